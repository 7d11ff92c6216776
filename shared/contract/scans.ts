// Genome scans: a classifier from the project run over windows of a genome (both strands), as one
// `scan` job. Its output per class of interest is a per-base score track (a bigWig stored inside
// the project file, read by igv.js by byte range) and regions called above a threshold, which can
// be changed afterwards without rescanning. Coordinates are 0-based half-open, as everywhere.
// Pause, resume and cancel go through jobs.* with the scan's jobId; progress arrives on job.progress
// (metrics bpDone, bpTotal, bpPerSecond) and project.changed {what: 'scans'}.
import { z } from 'zod';
import { method } from './define';
import { JobState } from './jobs';
import { FilePath } from './projects';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const project = FilePath;
const Chrom = z.string().trim().min(1, 'A chromosome name is required').max(1000);
const Position = z.number().int('A position is a whole number').nonnegative('Positions start at 0');

export const ScanStrand = z.enum(['forward', 'reverse', 'both']);
export type ScanStrand = z.infer<typeof ScanStrand>;
export const ScanCombine = z.enum(['mean', 'max']);
export type ScanCombine = z.infer<typeof ScanCombine>;
/** Which of a scan's per-strand tracks: `combined` is the stored choice (mean or max) of both strands, or the one strand scanned. */
export const TrackStrand = z.enum(['combined', 'forward', 'reverse']);
export type TrackStrand = z.infer<typeof TrackStrand>;

export const ScanTarget = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('genome') }).strict(),
    z.object({ kind: z.literal('chrom'), chrom: Chrom }).strict(),
    z.object({ kind: z.literal('region'), chrom: Chrom, start: Position, end: Position }).strict(),
    /** A BED file of regions on the Node side's disk (read when the scan starts). */
    z.object({ kind: z.literal('bed'), path: FilePath }).strict(),
  ],
  { error: "The target is {kind:'genome'}, {kind:'chrom', chrom}, {kind:'region', chrom, start, end} or {kind:'bed', path}" },
);
export type ScanTarget = z.infer<typeof ScanTarget>;

export const ScanSettings = z.object({
  /** Window length in bp (default: the length of the run's training windows). */
  window: z.number().int(),
  /** Step between window starts in bp (default: half the window). */
  stride: z.number().int(),
  strand: ScanStrand,
  /** How the two strands' scores of a window are combined (strand 'both'). */
  combine: ScanCombine,
  /** How overlapping windows become a per-base score, in words (e.g. "mean of the windows covering the base"). */
  aggregation: z.string(),
  /** Windows per inference batch. */
  batchSize: z.number().int(),
  /** Engine instances that score each chunk side by side, one core each (the job's process and worker threads). */
  workers: z.number().int(),
  /** Called regions shorter than this (bp) are dropped. */
  minRegionLength: z.number().int(),
});
export type ScanSettings = z.infer<typeof ScanSettings>;

export const ThresholdSource = z.enum(['dev-mcc', 'user', 'default-0.5']);
export type ThresholdSource = z.infer<typeof ThresholdSource>;

export const ScanThreshold = z.object({
  classIndex: z.number().int(),
  className: z.string(),
  threshold: z.number(),
  source: ThresholdSource,
  /** The dev-set MCC (class vs the rest) at the threshold chosen from the run's dev set; null otherwise. */
  devMcc: z.number().nullable(),
});
export type ScanThreshold = z.infer<typeof ScanThreshold>;

export const ScanInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The fine-tuning run whose model is scanned (its dev set gives the default threshold); null for a model without a run. */
  runId: z.number().int().nullable(),
  modelId: z.number().int().nullable(),
  modelName: z.string(),
  genomeId: z.number().int().nullable(),
  genomeName: z.string(),
  target: ScanTarget,
  /** Every class of the model, in its label order. */
  classes: z.array(z.string()),
  /** The classes that get a score track and called regions. */
  classesOfInterest: z.array(z.number().int()),
  settings: ScanSettings,
  state: JobState,
  jobId: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  /** Seconds of scanning (all attempts), once done. */
  runtimeSeconds: z.number().nullable(),
  backend: z.string().nullable(),
  bpDone: z.number().int(),
  bpTotal: z.number().int(),
  bpPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  /** One per class of interest. */
  thresholds: z.array(ScanThreshold),
  /** Bytes of the stored tracks in the project file. */
  storedBytes: z.number().int(),
  error: z.string().nullable(),
});
export type ScanInfo = z.infer<typeof ScanInfo>;

export const ScanRegion = z.object({ chrom: z.string(), start: z.number().int(), end: z.number().int(), maxScore: z.number(), meanScore: z.number() });
export type ScanRegion = z.infer<typeof ScanRegion>;

const ScanRef = z.object({ project, scanId: Id }).strict();
const ClassRef = z.object({ project, scanId: Id, classIndex: z.number().int().nonnegative() });

export const ScanStartInput = z
  .object({
    project,
    /** Scan the model a fine-tuning run produced (and take the default threshold from its dev set)... */
    runId: Id.optional(),
    /** ...or any classifier model of the project. */
    modelId: Id.optional(),
    /** The dataset a model without a run here (e.g. an imported fine-tuned model) was trained on: its dev set picks the default threshold, its windows the default window. */
    datasetId: Id.optional(),
    /** Default: the genome of the run's dataset, else the project's only genome. */
    genomeId: Id.optional(),
    target: ScanTarget.default({ kind: 'genome' }),
    window: z.number().int('The window is a whole number of bp').min(8, 'A window of at least 8 bp').max(1_000_000).optional(),
    stride: z.number().int('The stride is a whole number of bp').positive('The stride must be at least 1 bp').max(1_000_000).optional(),
    strand: ScanStrand.default('both'),
    combine: ScanCombine.default('mean'),
    /** Class indices to make tracks for (default: every class but the first, the background, of a 2-class model; all of a multi-class one). */
    classes: z.array(z.number().int().nonnegative()).min(1).optional(),
    batchSize: z.number().int().positive().max(4096).optional(),
    /** Engine instances side by side (default: one per core, at most 4, on wasm and cpu; 1 on tfjs-node and tfjs-node-gpu). */
    workers: z.number().int('Workers is a whole number').positive('At least 1 worker').max(64).optional(),
    minRegionLength: z.number().int().positive().max(1_000_000).optional(),
    name: z.string().trim().min(1).max(120).optional(),
    backend: z.enum(['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']).default('auto'),
  })
  .strict()
  .refine((v) => (v.runId === undefined) !== (v.modelId === undefined), { message: 'Give either runId or modelId', path: ['modelId'] });

export const scanMethods = {
  'scans.start': method(ScanStartInput, z.object({ scanId: z.number().int(), jobId: z.string() }), 'Scan a genome (or a chromosome, a region, BED regions) with a classifier, in the background.'),
  'scans.list': method(z.object({ project }).strict(), z.array(ScanInfo), "A project's scans, newest first."),
  'scans.get': method(ScanRef, ScanInfo, 'One scan: model, genome, settings, progress, runtime, thresholds.'),
  'scans.track': method(
    ClassRef.extend({ strand: TrackStrand.default('combined') }).strict(),
    z.object({ fileId: z.string(), format: z.literal('bigwig'), name: z.string(), min: z.number(), max: z.number() }),
    "Registers a class's score track (bigWig in the project file) for byte-range reads at /files/<fileId> or loci://files/<fileId>.",
  ),
  'scans.regions': method(
    ClassRef.extend({
      threshold: z.number().min(0).max(1).optional(),
      chrom: Chrom.optional(),
      start: Position.optional(),
      end: Position.optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    }).strict(),
    z.object({ threshold: z.number(), regions: z.array(ScanRegion), total: z.number().int() }),
    'Regions whose score is at or above the threshold (default: the stored one), merged, at least minRegionLength long.',
  ),
  'scans.nextRegion': method(
    ClassRef.extend({ chrom: Chrom, position: Position, direction: z.enum(['next', 'previous']) }).strict(),
    ScanRegion.nullable(),
    'The first called region that starts after a position (next) or the last that ends at or before it (previous), across chromosomes in genome order; null when there is none.',
  ),
  'scans.setThreshold': method(ClassRef.extend({ threshold: z.number().min(0, 'A threshold is between 0 and 1').max(1, 'A threshold is between 0 and 1') }).strict(), ScanInfo, "Change a class's threshold (no rescan)."),
  'scans.export': method(
    ClassRef.extend({ format: z.enum(['bigwig', 'bedgraph', 'bed']), out: FilePath, strand: TrackStrand.default('combined'), threshold: z.number().min(0).max(1).optional() }).strict(),
    z.object({ path: z.string(), bytes: z.number().int() }),
    'Write a class track as bigWig or bedGraph, or its called regions as BED.',
  ),
  'scans.remove': method(ScanRef, z.object({ ok: z.literal(true) }), 'Delete a scan and its tracks (a running scan is cancelled first).'),
  'scans.scoreAt': method(
    z.object({ project, scanId: Id, chrom: Chrom, position: Position }).strict(),
    z.object({ perClass: z.array(z.object({ classIndex: z.number().int(), className: z.string(), forward: z.number().nullable(), reverse: z.number().nullable(), combined: z.number().nullable() })) }),
    'Scores at one base, per class of interest and strand (click details).',
  ),
};
