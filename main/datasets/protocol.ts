// The protocols of the dataset-build and dataset-version jobs (see main/jobs/results.ts): what the serving side starts
// it with and gets back, without loading the builder. Their workers are in ./job.ts.
import { z } from 'zod';
import { DatasetSpec, type DatasetSummary } from '../../shared/contract/data';
import { defineJobKind } from '../jobs/kind';
import type { VersionChanges } from './version';

export const DatasetBuildParams = z.object({
  project: z.string().min(1),
  name: z.string().min(1),
  spec: DatasetSpec,
  /** <dataDir>/genomes, where a missing genome index is rebuilt. */
  cacheRoot: z.string().min(1),
});
export type DatasetBuildParams = z.infer<typeof DatasetBuildParams>;
export type Spec = DatasetBuildParams['spec'];

/** dataset-build: result.jsonl holds a DatasetBuildHeader, then one DatasetItemRow per line. */
export const datasetBuildKind = defineJobKind({
  kind: 'dataset-build',
  device: false,
  params: DatasetBuildParams,
  result: z.object({ total: z.number().int().nonnegative() }),
  files: { result: 'result.jsonl' },
});

/** The summary fields stored in datasets.summary (the rest comes from the row). */
export type StoredSummary = Omit<DatasetSummary, 'id' | 'name' | 'genomeId' | 'provenance' | 'createdAt'>;

/** The result file's first line; the dataset's items follow, one per line. */
export interface DatasetBuildHeader {
  genomeId: number | null;
  regionSetId: number | null;
  classes: string[];
  provenance: Record<string, unknown>;
  split: Record<string, unknown>;
  summary: StoredSummary;
  /** The genome's index was rebuilt (a project copied from another machine): its new files. */
  reindexed?: { genomeId: number; fastaPath: string; faiPath: string; gziPath: string | null; mtimeMs: number };
}

export const DatasetVersionParams = z.object({
  project: z.string().min(1),
  name: z.string().min(1),
  parentId: z.number().int().positive(),
  /** Usable annotations (the service left out conflicts and unknown classes, and counted them). */
  annotations: z.array(z.object({ id: z.number().int(), chrom: z.string().min(1), start: z.number().int().nonnegative(), end: z.number().int().positive(), label: z.string().min(1) })),
  includeTest: z.boolean(),
  /** Counted by the service, kept with the changes. */
  skipped: z.object({ conflicting: z.number().int().nonnegative(), unknownClasses: z.record(z.string(), z.number().int().nonnegative()) }),
  cacheRoot: z.string().min(1),
});
export type DatasetVersionParams = z.infer<typeof DatasetVersionParams>;

/** dataset-version (a dataset from its parent and the genome's annotations, for retrain.start): the result file is a dataset-build's. */
export const datasetVersionKind = defineJobKind({
  kind: 'dataset-version',
  device: false,
  params: DatasetVersionParams,
  result: z.object({ total: z.number().int().nonnegative() }),
  files: { result: 'result.jsonl' },
});

/** provenance.version of a dataset made from annotations. */
export interface StoredVersion {
  parentId: number;
  parentName: string;
  changes: VersionChanges & { conflicting: number; unknownClasses: Record<string, number> };
  description: string;
}
