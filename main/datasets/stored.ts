// A dataset stored in a project, read back as the builder's windows: used by the serving process
// (export, training: main/api/datasets.ts) and by the dataset-version job (./job.ts).
import { datasetItems } from '../store/data-repo';
import type { SplitName } from './spec';
import type { DatasetWindow } from './types';

/** A stored dataset's items as builder windows, in stored order; ids count per split (`train-1`, ...). */
export function storedWindows(db: Parameters<typeof datasetItems>[0], id: number): DatasetWindow[] {
  const count: Record<SplitName, number> = { train: 0, dev: 0, test: 0 };
  return datasetItems(db, id).map((it) => ({
    id: `${it.split}-${++count[it.split]}`,
    split: it.split,
    label: it.label,
    labelIndex: it.labelIndex,
    chrom: it.chrom ?? '',
    start: it.start ?? 0,
    end: it.end ?? it.sequence.length,
    strand: it.strand === '-' ? '-' : '+',
    origin: it.origin as DatasetWindow['origin'],
    augmented: it.augmented,
    sequence: it.sequence,
    gc: it.gc,
  }));
}
