// Retraining on the user's annotations and suggesting where to annotate (issue 12, points 4 and 5).
// retrain.start builds a new version of the run's dataset from the genome's annotations (a
// `dataset-version` job: cancel with jobs.cancel) and then starts a fine-tuning run from the run's
// output model with the run's settings; training.get of the new run carries the before/after test
// metrics. suggestions.list ranks a scan's windows by how unsure the model is there.
import { z } from 'zod';
import { method } from './define';
import { DatasetSummary } from './data';
import { FilePath } from './projects';
import { RunSummary } from './training';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const project = FilePath;

export const RetrainInput = z
  .object({
    project,
    /** A finished fine-tuning run: its output model is trained further, with its settings. */
    runId: Id,
    /** Also put annotations (and relabelled windows) in the test split; the default keeps the test set unchanged. */
    includeTest: z.boolean().default(false),
    /** Name of the dataset version (default: "<dataset> v<n>"). */
    datasetName: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const RetrainPreview = z.object({
  runId: z.number().int(),
  datasetId: z.number().int().nullable(),
  genomeId: z.number().int().nullable(),
  /** Annotations on the dataset's genome. */
  annotations: z.number().int(),
  /** Of those, usable: in the dataset's classes and in no conflict. */
  usable: z.number().int(),
  /** Annotations overlapping one of another class (resolve them in the Genome view first). */
  conflicting: z.number().int(),
  /** Classes annotations use that the dataset (and so the model's classifier) lacks, with counts. */
  unknownClasses: z.record(z.string(), z.number().int()),
  /** Why retraining cannot start; null when it can. */
  refusal: z.string().nullable(),
  /** The name the dataset version would get. */
  datasetName: z.string(),
});
export type RetrainPreview = z.infer<typeof RetrainPreview>;

export const SuggestKind = z.enum(['uncertain', 'strands']);
export const Suggestion = z.object({
  chrom: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  /** 1 - |2p - 1| for two classes, 1 - (top - second) for several: 1 = the model cannot tell. */
  uncertainty: z.number(),
  /** Mean |forward - reverse| score of the class of interest (null when one strand was scanned). */
  strandGap: z.number().nullable(),
  /** The class of interest's mean combined score here. */
  score: z.number(),
  /** The ranking key: uncertainty, or strandGap. */
  rank: z.number(),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const retrainMethods = {
  'retrain.preview': method(
    RetrainInput.omit({ datasetName: true }).strict(),
    RetrainPreview,
    'What "Retrain with my annotations" would use (annotations, conflicts, unknown classes) or why it cannot start.',
  ),
  'retrain.start': method(
    RetrainInput,
    z.object({ dataset: DatasetSummary, run: RunSummary }),
    'Build a new dataset version from the annotations (original test set unchanged by default) and fine-tune the run’s model on it with the same settings.',
  ),
  'suggestions.list': method(
    z
      .object({
        project,
        scanId: Id,
        by: SuggestKind.default('uncertain'),
        /** How many regions (default 50). */
        top: z.number().int().min(1).max(10_000).default(50),
        /** Region size in bp (default: the scan's window). */
        size: z.number().int().min(8).max(1_000_000).optional(),
      })
      .strict(),
    z.object({ scanId: z.number().int(), classIndex: z.number().int(), className: z.string(), size: z.number().int(), by: SuggestKind, regions: z.array(Suggestion), considered: z.number().int() }),
    'Where the model is least certain, or where the strands disagree most, in a finished scan: regions sorted, most useful to annotate first.',
  ),
};
