// Benchmarks: the GUE protocol (fine-tune on train, keep the lowest-dev-loss checkpoint, score test)
// run on GUE-format task folders a user points to, for models of a project, each next to the same
// architecture trained from scratch and the published scores. One benchmark is one `gue` job (id =
// the job's id); its tables are the files `loci gue` writes (gue-results.json / .md). The same JSON
// shipped beside a bundled model (resources/models/<name>/gue-results.json) gives the Models page
// that model's GUE mean (BundledModel.gue).
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';

export const GueCell = z.object({
  mean: z.number(),
  sd: z.number(),
  seeds: z.number().int(),
  seconds: z.number(),
  backend: z.string(),
  devMean: z.number().nullable(),
  /** Seeds that ended at test MCC 0 (one class predicted); absent in files written before 2026-12-07. */
  seedsAtChance: z.array(z.number().int()).optional(),
});

/** The runner's gue-results.json (main/engine/gue/report.ts writes it). */
export const GueResults = z.object({
  format: z.literal('loci-gue-results'),
  version: z.literal(1),
  createdAt: z.string(),
  root: z.string(),
  models: z.array(z.string()),
  publishedColumns: z.array(z.string()),
  publishedSource: z.string().nullable(),
  rows: z.array(z.object({ task: z.string(), metric: z.enum(['mcc', 'f1']), loci: z.record(z.string(), GueCell), published: z.record(z.string(), z.number()) })),
  means: z.record(z.string(), z.object({ mean: z.number(), tasks: z.number().int() })),
  winsOverScratch: z.record(z.string(), z.object({ wins: z.number().int(), tasks: z.number().int() })),
  settings: z.record(z.string(), z.unknown()),
  machine: z.record(z.string(), z.unknown()),
});
export type GueResults = z.infer<typeof GueResults>;

/** One model's line of a results file: its mean, its from-scratch twin's, the published means over the same tasks. */
export const GueSummary = z.object({
  model: z.string(),
  /** Mean test score x 100 over `tasks` tasks. */
  mean: z.number(),
  tasks: z.number().int(),
  scratchMean: z.number().nullable(),
  /** Tasks where the model beats its twin (of the tasks both ran). */
  winsOverScratch: z.object({ wins: z.number().int(), tasks: z.number().int() }).nullable(),
  /** Published models' means over the tasks this model ran (e.g. DNABERT-2, CNN baseline). */
  published: z.array(z.object({ name: z.string(), mean: z.number(), tasks: z.number().int() })),
  /** The budget, for people: "600 steps, 1 seed". */
  budget: z.string(),
  createdAt: z.string(),
});
export type GueSummary = z.infer<typeof GueSummary>;

export const BenchmarkSettings = z.object({
  project: FilePath,
  /** A folder of GUE-format task folders (train.csv, dev.csv, test.csv), or one task folder. */
  root: z.string().trim().min(1, 'Choose the folder with the tasks').max(4096, 'That path is too long'),
  /** Task names or folder prefixes under root ("tf", "prom/prom_core_all"); empty = all. */
  tasks: z.array(z.string().trim().min(1).max(500)).max(64, 'At most 64 tasks').default([]),
  modelIds: z.array(z.number().int().positive()).min(1, 'Choose at least one model').max(4, 'At most 4 models at once'),
  /** Optimizer steps per task; absent = each model's default budget. */
  maxSteps: z.number().int('Steps are a whole number').positive('Steps must be at least 1').max(1_000_000).optional(),
  seeds: z.array(z.number().int().nonnegative()).min(1, 'At least one seed').max(10, 'At most 10 seeds').default([42]),
  /** Also train each model's architecture from random weights with the same settings. */
  scratch: z.boolean().default(true),
  /** Fine-tune the models themselves; false runs only their from-scratch twins (a baseline while a model still pre-trains). */
  pretrained: z.boolean().default(true),
});
export type BenchmarkSettings = z.infer<typeof BenchmarkSettings>;

export const BenchmarkRun = z.object({
  /** The job's id. */
  id: z.string(),
  state: z.string(),
  root: z.string(),
  tasks: z.array(z.string()),
  models: z.array(z.string()),
  seeds: z.array(z.number().int()),
  maxSteps: z.number().int().nullable(),
  scratch: z.boolean(),
  pretrained: z.boolean(),
  fraction: z.number().nullable(),
  message: z.string(),
  error: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  /** Where the tables and the units' folders are written. */
  outDir: z.string(),
});
export type BenchmarkRun = z.infer<typeof BenchmarkRun>;

export const BenchmarkDetail = BenchmarkRun.extend({
  /** The tables so far (written when the job ends; a cancelled run's finished units are in them). */
  results: GueResults.nullable(),
  markdown: z.string().nullable(),
  /** Units that failed, with why. */
  failures: z.array(z.object({ key: z.string(), error: z.string() })),
});
export type BenchmarkDetail = z.infer<typeof BenchmarkDetail>;

const RunRef = z.object({ project: FilePath, id: z.string().trim().min(1, 'A benchmark id is required').max(100) }).strict();

export const benchmarkMethods = {
  'benchmarks.start': method(
    BenchmarkSettings.strict(),
    BenchmarkRun,
    "Run the GUE protocol on a folder of GUE-format tasks for models of the project, next to from-scratch twins and the published scores (a gue job, like `loci gue`).",
  ),
  'benchmarks.list': method(z.object({ project: FilePath }).strict(), z.array(BenchmarkRun), "The project's benchmark runs, newest first."),
  'benchmarks.get': method(RunRef, BenchmarkDetail, 'One benchmark run with its tables.'),
};
