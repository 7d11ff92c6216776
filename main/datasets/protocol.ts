// The protocol of the dataset-build job (see main/jobs/results.ts): what the serving side starts
// it with and gets back, without loading the builder. Its worker is in ./job.ts.
import { z } from 'zod';
import { DatasetSpec, type DatasetSummary } from '../../shared/contract/data';
import { defineJobKind } from '../jobs/kind';

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
