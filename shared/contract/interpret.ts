// Why the model says so: in-silico mutagenesis (ISM) over a region and variant effects from a VCF
// (or typed variants), each as one background job of a classifier; see main/api/interpret.ts.
// ISM: every base changed to each of the other three in a window centred on it (as the model was
// trained), both strands; the result is a 4 x L table (rows A, C, G, T) of alt minus ref class
// probability per strand and combined (mean of the strands), and a per-base importance (reference
// minus the mean of the three alternatives, signed). Variants: reference and alternative windows
// centred on the variant, both strands; the effect is alt minus ref probability and the log2 fold
// change log2((alt + eps) / (ref + eps)), eps = 1e-6, per strand and combined. Coordinates:
// regions 0-based half-open as everywhere; variant positions 1-based as in VCF.
// Progress arrives on job.progress (metrics done, total, sequences) and project.changed
// {what: 'interpretations'}; pause, resume and cancel go through jobs.* with the jobId.
import { z } from 'zod';
import { method } from './define';
import { JobState } from './jobs';
import { FilePath } from './projects';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const project = FilePath;
const Chrom = z.string().trim().min(1, 'A chromosome name is required').max(1000);
const Position = z.number().int('A position is a whole number').nonnegative('Positions start at 0');
const Backend = z.enum(['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']).default('auto');

export const InterpretKind = z.enum(['ism', 'variants']);
export type InterpretKind = z.infer<typeof InterpretKind>;

const common = {
  project,
  /** The model a fine-tuning run produced (its training windows give the default window)... */
  runId: Id.optional(),
  /** ...or any classifier model of the project. */
  modelId: Id.optional(),
  /** Default: the genome of the run's dataset, else the project's only genome. */
  genomeId: Id.optional(),
  /** Window in bp (default: the run's training windows). */
  window: z.number().int('The window is a whole number of bp').min(8, 'A window of at least 8 bp').max(100_000).optional(),
  /** The class whose probability is explained (default: class 1 of a binary model, else 0). */
  classIndex: z.number().int().nonnegative().optional(),
  batchSize: z.number().int().positive().max(4096).optional(),
  name: z.string().trim().min(1).max(120).optional(),
  backend: Backend,
};
const oneModel = (v: { runId?: number | undefined; modelId?: number | undefined }) => (v.runId === undefined) !== (v.modelId === undefined);

/** The longest ISM region (8 forward passes per base). */
export const ISM_MAX_BP = 10_000;

export const IsmStartInput = z
  .object({ ...common, chrom: Chrom, start: Position, end: Position })
  .strict()
  .refine(oneModel, { message: 'Give either runId or modelId', path: ['modelId'] })
  .refine((v) => v.end > v.start, { message: 'The region is empty (end must be after start; 0-based, half-open)', path: ['end'] })
  .refine((v) => v.end - v.start <= ISM_MAX_BP, { message: `ISM covers at most ${ISM_MAX_BP.toLocaleString('en-US')} bp at a time (8 forward passes per base)`, path: ['end'] });

export const VariantsStartInput = z
  .object({
    ...common,
    /** A VCF (plain or gzipped) on the Node side's disk... */
    vcfPath: FilePath.optional(),
    /** ...or variants typed as `chr:pos REF>ALT` (1-based, as VCF). */
    variants: z.array(z.string().trim().min(1).max(100_000)).min(1, 'Type at least one variant').max(10_000).optional(),
  })
  .strict()
  .refine(oneModel, { message: 'Give either runId or modelId', path: ['modelId'] })
  .refine((v) => (v.vcfPath === undefined) !== (v.variants === undefined), { message: 'Give a VCF file or typed variants (one of them)', path: ['vcfPath'] });

export const SkippedAllele = z.object({ line: z.number().int(), chrom: z.string(), pos: z.number().int(), ref: z.string(), alt: z.string(), reason: z.string() });
export type SkippedAllele = z.infer<typeof SkippedAllele>;

export const InterpretInfo = z.object({
  id: z.number().int(),
  kind: InterpretKind,
  name: z.string(),
  state: JobState,
  jobId: z.string().nullable(),
  runId: z.number().int().nullable(),
  modelId: z.number().int().nullable(),
  modelName: z.string(),
  genomeId: z.number().int().nullable(),
  genomeName: z.string(),
  classIndex: z.number().int(),
  className: z.string(),
  window: z.number().int(),
  /** ISM: the region (0-based, half-open); null for variants. */
  region: z.object({ chrom: z.string(), start: z.number().int(), end: z.number().int() }).nullable(),
  /** Variants: the VCF's path (null when typed). */
  vcfPath: z.string().nullable(),
  /** Positions (ISM) or variant alleles to score, and done so far. */
  total: z.number().int(),
  done: z.number().int(),
  /** Forward passes run (both strands). */
  sequences: z.number().int(),
  /** Alleles not scored (symbolic, too long, ...), with their line and why; the first 1,000. */
  skipped: z.array(SkippedAllele),
  runtimeSeconds: z.number().nullable(),
  backend: z.string().nullable(),
  etaSeconds: z.number().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** How the two strands are combined, and the epsilon of the log2 fold change, in words. */
  method: z.string(),
});
export type InterpretInfo = z.infer<typeof InterpretInfo>;

const Num = z.number().nullable();
export const IsmTable = z.object({
  chrom: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  window: z.number().int(),
  classIndex: z.number().int(),
  className: z.string(),
  /** The reference base of each position. */
  refBases: z.string(),
  /** Reference-window probability per position, per strand (null where the base is not A, C, G or T). */
  refForward: z.array(Num),
  refReverse: z.array(Num),
  /** Alt minus ref probability, L x 4 row-major (position, then A C G T); 0 at the reference base. */
  deltaForward: z.array(Num),
  deltaReverse: z.array(Num),
  deltaCombined: z.array(Num),
  /** Per position: reference minus the mean of the three alternatives (combined strands), and the largest |change|. */
  importance: z.array(Num),
  maxAbs: z.array(Num),
});
export type IsmTable = z.infer<typeof IsmTable>;

export const VariantEffectRow = z.object({
  index: z.number().int(),
  line: z.number().int(),
  chrom: z.string(),
  pos: z.number().int(),
  id: z.string(),
  ref: z.string(),
  alt: z.string(),
  refProb: z.number(),
  altProb: z.number(),
  diff: z.number(),
  log2fc: z.number(),
  refForward: z.number(),
  refReverse: z.number(),
  altForward: z.number(),
  altReverse: z.number(),
  diffForward: z.number(),
  diffReverse: z.number(),
  log2fcForward: z.number(),
  log2fcReverse: z.number(),
});
export type VariantEffectRow = z.infer<typeof VariantEffectRow>;

export const VariantSort = z.enum(['index', 'position', 'diff', 'absDiff', 'log2fc']);
export type VariantSort = z.infer<typeof VariantSort>;

const Ref = z.object({ project, id: Id }).strict();

export const interpretMethods = {
  'interpret.ism': method(IsmStartInput, z.object({ id: z.number().int(), jobId: z.string() }), 'In-silico mutagenesis of a region with a classifier (every base to each other base, both strands), in the background.'),
  'interpret.variants': method(VariantsStartInput, z.object({ id: z.number().int(), jobId: z.string() }), "Score the variants of a VCF (or typed ones) with a classifier, both strands, in the background; a bad VCF is refused with each line's problem."),
  'interpret.list': method(z.object({ project }).strict(), z.array(InterpretInfo), "A project's ISM and variant-effect runs, newest first."),
  'interpret.get': method(Ref, InterpretInfo, 'One ISM or variant-effect run: model, settings, progress, skipped alleles.'),
  'interpret.ismTable': method(Ref, IsmTable, "A finished ISM run's 4 x L table and per-base importance."),
  'interpret.variantEffects': method(
    Ref.extend({ sort: VariantSort.default('index'), descending: z.boolean().default(false), offset: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    z.object({ rows: z.array(VariantEffectRow), total: z.number().int() }),
    "A finished variant run's scored alleles, one page, sorted.",
  ),
  'interpret.export': method(
    Ref.extend({ format: z.enum(['csv', 'bedgraph', 'tsv', 'vcf']), out: FilePath }).strict(),
    z.object({ path: z.string(), bytes: z.number().int() }),
    'Write an ISM table (CSV: position x base; bedGraph: per-base importance) or variant effects (TSV; VCF with the scores in INFO).',
  ),
  'interpret.remove': method(Ref, z.object({ ok: z.literal(true) }), 'Delete an ISM or variant-effect run and its results (a running one is cancelled first).'),
};
