// The protocols of the genome and region import jobs (see main/jobs/results.ts): what the serving
// side starts them with and gets back, without loading the readers. Their workers are in ./job.ts.
import { z } from 'zod';
import { defineJobKind } from '../jobs/kind';
import type { GenomeRecord } from './fasta/index';

const files = { result: 'result.jsonl' } as const;

export const GenomeIndexParams = z.object({
  /** The user's FASTA, absolute. */
  path: z.string().min(1),
  /** <dataDir>/genomes */
  cacheRoot: z.string().min(1),
  /** The display name the serving side stores (the worker ignores it). */
  name: z.string().optional(),
});
export type GenomeIndexParams = z.infer<typeof GenomeIndexParams>;

/** genome-index: checks, hashes and indexes a FASTA into the genome cache. result.jsonl's only line is the GenomeRecord. */
export const genomeIndexKind = defineJobKind({
  kind: 'genome-index',
  device: false,
  params: GenomeIndexParams,
  result: z.object({ sha256: z.string(), sequences: z.number().int().nonnegative(), totalLength: z.number().nonnegative() }),
  files,
});

/** The result file's only line: the record to store (with every sequence's statistics). */
export type GenomeIndexResult = GenomeRecord;

export const RegionsReadParams = z.object({
  project: z.string().min(1),
  genomeId: z.number().int(),
  path: z.string().min(1),
  format: z.enum(['bed', 'gff3', 'auto']),
  gffTypes: z.array(z.string()).optional(),
  derive: z.enum(['features', 'start-sites']),
  rename: z.record(z.string(), z.string()).optional(),
  maxBadLines: z.number().int().nonnegative(),
  /** The region set's name, stored by the serving side. */
  name: z.string(),
});
export type RegionsReadParams = z.infer<typeof RegionsReadParams>;

/** regions-read: reads and checks a BED/GFF3 against a genome. result.jsonl: a RegionsReadHeader, then one RegionRow per line. */
export const regionsReadKind = defineJobKind({
  kind: 'regions-read',
  device: false,
  params: RegionsReadParams,
  result: z.object({ count: z.number().int().nonnegative() }),
  files,
});

/** The result file's first line; the regions follow, one per line. */
export interface RegionsReadHeader {
  format: 'bed' | 'gff3';
  gffTypes: string[];
  checksum: string;
  count: number;
}
