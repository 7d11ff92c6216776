// The GUE tables: per task, each model's test score (mean and spread over seeds, runtime, backend)
// next to its from-scratch twin and the published scores, plus the means over the tasks. Written
// as gue-results.json (for the Models page and scripts) and gue-results.md (for people and docs).
import { readFileSync } from 'node:fs';
import { GueResults } from '../../../shared/contract/benchmarks';
import type { PublishedScores } from './published';
import { publishedFor } from './published';
import type { GueUnitResult } from './unit';

export interface GueCell {
  /** Mean over seeds of the task's metric x 100. */
  mean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  sd: number;
  seeds: number;
  /** Mean runtime of one seed, seconds. */
  seconds: number;
  backend: string;
  /** Mean dev MCC x 100 of the kept checkpoints. */
  devMean: number | null;
  /** Seeds whose kept checkpoint scored test MCC 0, i.e. predicted one class: that run did not learn (they weigh on mean and spread). */
  seedsAtChance?: number[];
}

export interface GueTableRow {
  task: string;
  metric: 'mcc' | 'f1';
  /** Model label -> its cell (twins are labelled "<model> (scratch)"). */
  loci: Record<string, GueCell>;
  /** Published model -> score (MCC x 100), when the task is in the published table. */
  published: Record<string, number>;
}

export interface GueResultsFile {
  format: 'loci-gue-results';
  version: 1;
  createdAt: string;
  root: string;
  /** Loci model labels, in column order. */
  models: string[];
  publishedColumns: string[];
  publishedSource: string | null;
  rows: GueTableRow[];
  /** Mean over the tasks that have a value in that column (published means over the tasks run). */
  means: Record<string, { mean: number; tasks: number }>;
  /** Per pre-trained model: tasks where it beats its from-scratch twin (ties are not wins). */
  winsOverScratch: Record<string, { wins: number; tasks: number }>;
  settings: Record<string, unknown>;
  /** Machine facts for the record: cores, units run side by side, this call's load average at start and end, units run and reused, and the range of the units' own load averages. */
  machine: Record<string, unknown>;
}

export const scratchLabel = (model: string) => `${model} (scratch)`;

function meanSd(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

export function buildResults(args: {
  root: string;
  tasks: { name: string; metric: 'mcc' | 'f1' }[];
  models: string[];
  results: GueUnitResult[];
  published: PublishedScores | null;
  settings: Record<string, unknown>;
  machine: Record<string, unknown>;
}): GueResultsFile {
  const rows: GueTableRow[] = args.tasks.map((t) => {
    const loci: Record<string, GueCell> = {};
    for (const model of args.models) {
      // In seed order: units finish in any order, and the table (its sums too) must not depend on it.
      const rs = args.results.filter((r) => r.task === t.name && r.model === model).sort((a, b) => a.seed - b.seed);
      if (rs.length === 0) continue;
      const { mean, sd } = meanSd(rs.map((r) => r.score));
      const devs = rs.map((r) => r.devMcc).filter((d): d is number => d !== null);
      loci[model] = { mean, sd, seeds: rs.length, seconds: meanSd(rs.map((r) => r.seconds)).mean, backend: [...new Set(rs.map((r) => r.backend))].join('+'), devMean: devs.length ? 100 * meanSd(devs).mean : null, seedsAtChance: rs.filter((r) => r.testMcc === 0).map((r) => r.seed) };
    }
    return { task: t.name, metric: t.metric, loci, published: (args.published && publishedFor(args.published, t.name)) ?? {} };
  });
  const means: GueResultsFile['means'] = {};
  const columns = [...args.models, ...(args.published?.columns ?? [])];
  for (const col of columns) {
    const xs = rows.map((r) => r.loci[col]?.mean ?? r.published[col]).filter((x): x is number => x !== undefined);
    if (xs.length) means[col] = { mean: meanSd(xs).mean, tasks: xs.length };
  }
  const winsOverScratch: GueResultsFile['winsOverScratch'] = {};
  for (const model of args.models.filter((m) => args.models.includes(scratchLabel(m)))) {
    const both = rows.filter((r) => r.loci[model] && r.loci[scratchLabel(model)]);
    winsOverScratch[model] = { wins: both.filter((r) => r.loci[model]!.mean > r.loci[scratchLabel(model)]!.mean).length, tasks: both.length };
  }
  return {
    format: 'loci-gue-results',
    version: 1,
    createdAt: new Date().toISOString(),
    root: args.root,
    models: args.models,
    publishedColumns: args.published?.columns ?? [],
    publishedSource: args.published?.source ?? null,
    rows,
    means,
    winsOverScratch,
    settings: args.settings,
    machine: args.machine,
  };
}

const f1 = (x: number) => x.toFixed(1);
/** "seed 43", "seeds 1 and 2", "seeds 42, 43 and 44". */
const seedList = (seeds: number[]) => (seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds.slice(0, -1).join(', ')} and ${seeds[seeds.length - 1]}`);
const tasksText = (n: number) => `${n} task${n === 1 ? '' : 's'}`;
const fmtSeconds = (s: number) => (s >= 90 ? `${(s / 60).toFixed(1)} min` : `${Math.round(s)} s`);

export function resultsMarkdown(r: GueResultsFile): string {
  const pub = r.publishedColumns;
  const lines: string[] = [];
  lines.push(`# GUE results`, '');
  lines.push(`Test score x 100 (MCC; F1 where a task says so), mean ± sample SD over seeds, for the checkpoint with the lowest dev loss. Tasks: \`${r.root}\`. Written ${r.createdAt}.`, '');
  const head = ['task', 'metric', ...r.models.flatMap((m) => [m, `${m} runtime`]), ...pub.map((p) => `${p} (published)`)];
  lines.push(`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
  for (const row of r.rows) {
    const cells = [row.task, row.metric.toUpperCase()];
    for (const m of r.models) {
      const c = row.loci[m];
      cells.push(c ? `${f1(c.mean)} ± ${f1(c.sd)} (n=${c.seeds}${c.seedsAtChance?.length ? `; ${seedList(c.seedsAtChance)} at chance` : ''})` : 'n/a', c ? `${fmtSeconds(c.seconds)} ${c.backend}` : '');
    }
    for (const p of pub) cells.push(row.published[p] !== undefined ? f1(row.published[p]!) : 'n/a');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const meanCells = ['**mean**', ''];
  for (const m of r.models) meanCells.push(r.means[m] ? `**${f1(r.means[m]!.mean)}** (${tasksText(r.means[m]!.tasks)})` : 'n/a', '');
  for (const p of pub) meanCells.push(r.means[p] ? `${f1(r.means[p]!.mean)} (${tasksText(r.means[p]!.tasks)})` : 'n/a');
  lines.push(`| ${meanCells.join(' | ')} |`, '');
  for (const [m, w] of Object.entries(r.winsOverScratch)) lines.push(`- ${m} beats its from-scratch twin on ${w.wins} of ${tasksText(w.tasks)}.`);
  const atChance = r.rows.flatMap((row) => Object.entries(row.loci).flatMap(([m, c]) => (c.seedsAtChance?.length ? [`${m} on ${row.task} (${seedList(c.seedsAtChance)})`] : [])));
  if (atChance.length) lines.push(`- At chance (test MCC 0: one class predicted for every sequence; that run did not learn, and it counts in the mean): ${atChance.join('; ')}.`);
  if (r.publishedSource) lines.push(`- Published scores read from \`${r.publishedSource}\`; their means are over the tasks above only.`);
  lines.push(`- Settings: \`${JSON.stringify(r.settings)}\``);
  lines.push(`- Machine: \`${JSON.stringify(r.machine)}\``, '');
  return lines.join('\n');
}

/** A gue-results.json as the runner wrote it (checked against the contract's schema); null when there is none; an error naming the file otherwise. */
export function readGueResultsFile(path: string): GueResults | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${path}: cannot be read (${(e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = GueResults.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${path}: not a loci gue results file (${i.path.join('.') || 'top level'}: ${i.message})`);
  }
  return parsed.data;
}
