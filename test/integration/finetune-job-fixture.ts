// Shared by the fine-tuning run tests: a project with a tiny DNABERT-2 model (2 layers, 16 wide,
// 20-token BPE) and a ~200-example planted-motif dataset (label "motif" = TATAAAAGGC somewhere in
// 40 random bases), stored straight through the data repository (building it through
// datasets.build would cost a worker process per test).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { projectDb } from '../../main/api/projects';
import { insertDataset, type DatasetItemRow, type SplitName } from '../../main/store/data-repo';
import type { Db } from '../../main/store/project-file';
import { Prng } from '../../main/engine/train/prng';
import { SPLITS } from '../../main/datasets/spec';
import { summariseSplit } from '../../main/datasets/summary';
import { writeBpeModel } from '../unit/api/models-helpers';
import { jobsHarness, type JobsHarness } from '../unit/jobs/fixtures/harness';

const MOTIF = 'TATAAAAGGC';
const BASES = 'ACGT';
export const CLASSES = ['background', 'motif'];

export function motifItems(n: number, seed: number): DatasetItemRow[] {
  const rng = new Prng(seed);
  return Array.from({ length: n }, (_, i) => {
    let s = '';
    for (let j = 0; j < 40; j++) s += BASES[rng.int(4)];
    const label = i % 2;
    if (label) {
      const at = rng.int(40 - MOTIF.length);
      s = s.slice(0, at) + MOTIF + s.slice(at + MOTIF.length);
    }
    const split: SplitName = i < n * 0.7 ? 'train' : i < n * 0.85 ? 'dev' : 'test';
    return { split, label: CLASSES[label]!, labelIndex: label, chrom: null, start: null, end: null, strand: null, sequence: s, origin: 'imported', augmented: false, gc: 0.5 };
  });
}

export interface FinetuneHarness extends JobsHarness {
  datasetId: number;
  modelId: number;
}

/**
 * Stores `items` as the dataset "motif" (or `name`), with a summary as a build stores it, so datasets.list (the
 * CLI resolves names through it) can describe it; `genomeId` when the items lie on a project genome.
 */
export function insertMotifDataset(db: Db, items: DatasetItemRow[], opts: { genomeId?: number; name?: string } = {}): number {
  const splits = Object.fromEntries(SPLITS.map((sp) => [sp, summariseSplit(items.filter((i) => i.split === sp) as never, CLASSES)]));
  const summary = { source: 'table', classes: CLASSES, total: items.length, splits, split: 'fixed in the fixture', dropped: {}, warnings: [] };
  return insertDataset(
    db,
    { name: opts.name ?? 'motif', kind: 'classification', genomeId: opts.genomeId ?? null, regionSetId: null, provenance: {}, split: {}, summary, classes: CLASSES, createdAt: new Date().toISOString() },
    items,
  );
}

export async function finetuneHarness(t: { after(fn: () => void | Promise<void>): void }, opts: { examples?: number } = {}): Promise<FinetuneHarness> {
  const h = await jobsHarness(t);
  const model = await h.call('models.importFolder', { project: h.project, path: await writeBpeModel(join(h.dir, 'tiny-bpe'), { card: false }), name: 'tiny-bpe' });
  const datasetId = insertMotifDataset(projectDb(h.ctx, h.project), motifItems(opts.examples ?? 200, 7));
  return { ...h, datasetId, modelId: model.id };
}

/** Small and fast: ~20 optimizer steps of 16 examples. */
export const FAST = { batchSize: 16, maxSteps: 20, evalEvery: 5, lr: 2e-3, warmupSteps: 2, backend: 'wasm' as const };

export function integrity(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}
