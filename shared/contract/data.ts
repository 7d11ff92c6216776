// Project data: reference genomes, labelled region sets, labelled tables and built datasets.
// Every method names the project file it works on. genomes.import, regions.import and datasets.build
// run as jobs (kinds `genome-index`, `regions-read`, `dataset-build`) in a worker process and resolve
// with the stored record when the job is done; meanwhile their progress is on the `job.progress`
// channel with the job's id, which `jobs.cancel` takes. A cancelled job changes nothing and the call
// fails with code `cancelled` ("Cancelled — nothing was changed").
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const Name = z.string().trim().min(1, 'A name is required').max(200, 'Keep the name under 200 characters');
const fraction = z.number().min(0, 'A fraction is at least 0').max(1, 'A fraction is at most 1');
const ok = z.object({ ok: z.literal(true) });

// ---------- genomes ----------

export const GenomeStatus = z.enum(['ok', 'moved', 'changed']);
export const GenomeSequence = z.object({
  name: z.string(),
  length: z.number().int().nonnegative(),
  /** (G+C) / (A+C+G+T), ambiguity codes left out. */
  gc: z.number(),
  nFraction: z.number(),
  softMaskedFraction: z.number(),
});
export const Genome = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The user's FASTA (plain, gzip or bgzip), absolute. Loci does not copy it. */
  path: z.string(),
  /** SHA-256 of that file. */
  checksum: z.string(),
  size: z.number().int().nonnegative(),
  compression: z.enum(['none', 'gzip', 'bgzip']),
  totalLength: z.number().int().nonnegative(),
  sequences: z.array(GenomeSequence),
  status: GenomeStatus,
  statusDetail: z.string(),
  addedAt: z.string(),
});
export type Genome = z.infer<typeof Genome>;

const project = FilePath;

// ---------- regions ----------

export const RegionFormat = z.enum(['bed', 'gff3']);
export const LineError = z.object({ file: z.string(), line: z.number().int().optional(), column: z.number().int().optional(), message: z.string() });
export type LineError = z.infer<typeof LineError>;
export const ChromMappingSuggestion = z.object({
  mapping: z.record(z.string(), z.string()),
  description: z.string(),
  unmapped: z.array(z.string()),
});
export const ProblemGroup = z.object({ problem: z.string(), count: z.number().int(), lines: z.array(z.number().int()) });
export type ProblemGroup = z.infer<typeof ProblemGroup>;
export const RegionRecord = z.object({
  chrom: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  name: z.string().optional(),
  score: z.number().optional(),
  strand: z.enum(['+', '-', '.']).optional(),
  /** GFF3 feature type. */
  type: z.string().optional(),
  line: z.number().int(),
});
export const RegionPreview = z.object({
  file: z.string(),
  format: RegionFormat,
  records: z.array(RegionRecord),
  /** Lines of the file read (for GFF3, up to its ##FASTA section). */
  linesRead: z.number().int(),
  /** Of those, the lines holding a record, good or bad (not blank, comment, track, browser or header lines). */
  dataLines: z.number().int(),
  /** Blank, comment (#), track, browser and column-header lines. */
  otherLines: z.number().int(),
  /** Records that passed the checks. */
  validCount: z.number().int(),
  /** Feature lines of each type; `valid`: those that passed the checks (what importing the type adds). */
  gffTypes: z.array(z.object({ type: z.string(), count: z.number().int(), valid: z.number().int().optional() })),
  errors: z.array(LineError),
  errorCount: z.number().int(),
  /** The problems with identical text folded into one entry each, with how many lines have it. */
  errorGroups: z.array(ProblemGroup).optional(),
  /** Chromosome names of the file that the genome lacks (after any renaming): the names a mapping can fix. */
  unknownChroms: z.array(z.string()).optional(),
  summary: z.string(),
  chromMapping: ChromMappingSuggestion.optional(),
  /** The file states chromosome lengths (GFF3 ##sequence-region) that differ from the genome's: probably another assembly. */
  assemblyWarning: z.string().optional(),
});
export type RegionPreview = z.infer<typeof RegionPreview>;

export const RegionSet = z.object({
  id: z.number().int(),
  name: z.string(),
  genomeId: z.number().int().nullable(),
  format: RegionFormat,
  sourcePath: z.string(),
  /** SHA-256 of the source file when imported. */
  checksum: z.string(),
  count: z.number().int(),
  /** How the regions were derived: whole features or their start sites; GFF types kept. */
  derive: z.enum(['features', 'start-sites']),
  gffTypes: z.array(z.string()),
  createdAt: z.string(),
});
export type RegionSet = z.infer<typeof RegionSet>;

/** Negatives keep this many bp from every labelled region unless told otherwise: the wizard's and the CLI's default. */
export const DEFAULT_NEGATIVE_MARGIN = 100;

const Rename = z.record(z.string().min(1), z.string().min(1, 'The new chromosome name is empty'));

// ---------- labelled tables ----------

export const TablePreview = z.object({
  file: z.string(),
  format: z.enum(['csv', 'tsv', 'fasta']),
  header: z.array(z.string()).optional(),
  rows: z.array(z.object({ id: z.string().optional(), sequence: z.string(), label: z.string(), line: z.number().int() })),
  classes: z.array(z.string()),
  classCounts: z.record(z.string(), z.number().int()),
  count: z.number().int(),
  lengthMin: z.number().int(),
  lengthMax: z.number().int(),
  errors: z.array(LineError),
  errorCount: z.number().int(),
  summary: z.string(),
});
export type TablePreview = z.infer<typeof TablePreview>;

// ---------- dataset specs ----------

const Fractions = z
  .object({ train: fraction, dev: fraction, test: fraction })
  .refine((f) => Math.abs(f.train + f.dev + f.test - 1) < 1e-9, { message: 'train + dev + test must add up to 1' });

export const SplitSpec = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('chromosomes'), dev: z.array(z.string().min(1)).default([]), test: z.array(z.string().min(1)).default([]) }),
    /** Contiguous blocks of each chromosome dealt to the splits: held-out regions even on one chromosome. */
    z.object({ kind: z.literal('blocks'), fractions: Fractions, blockSize: z.number().int().positive().optional() }),
    z.object({ kind: z.literal('random'), fractions: Fractions }),
  ],
  { error: (iss) => (iss.input === undefined ? "A split is required (split.kind: 'chromosomes', 'blocks' or 'random')" : "split.kind must be 'chromosomes', 'blocks' or 'random'") },
);
export type SplitSpec = z.input<typeof SplitSpec>;

const boundary = z.enum(['shift', 'drop']).optional();
export const WindowSpec = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('centred'), length: z.number().int().positive('The window length must be at least 1 bp'), anchor: z.enum(['centre', 'start', 'end']).optional(), boundary }),
    z.object({ mode: z.literal('tiled'), length: z.number().int().positive(), stride: z.number().int().positive(), remainder: z.enum(['flush', 'drop']).optional(), boundary }),
    z.object({ mode: z.literal('sampled'), length: z.number().int().positive(), perRegion: z.number().int().positive(), boundary }),
  ],
  { error: "window.mode must be 'centred', 'tiled' or 'sampled'" },
);

export const RegionsDatasetSpec = z
  .object({
    source: z.literal('regions'),
    genomeId: Id,
    /** Each set's class is its `label` (default: the set's name) when labels come from the set. */
    regionSets: z.array(z.object({ id: Id, label: z.string().trim().min(1).optional() }).strict()).min(1, 'Choose at least one region set'),
    labels: z
      .discriminatedUnion('from', [
        z.object({ from: z.literal('set') }),
        z.object({ from: z.literal('name') }),
        z.object({ from: z.literal('score'), threshold: z.number(), above: z.string().min(1), below: z.string().min(1).nullable().optional() }),
      ])
      .optional(),
    window: WindowSpec,
    orientByStrand: z.boolean().optional(),
    negatives: z
      .object({
        strategy: z.enum(['none', 'random', 'gc-matched', 'shuffled']),
        ratio: z.number().positive('The ratio of negatives to positives must be above 0').optional(),
        margin: z.number().int().nonnegative('The margin is a distance in bp, 0 or more').optional(),
        label: z.string().trim().min(1).optional(),
      })
      .strict()
      .optional(),
    maxNFraction: fraction.optional(),
    split: SplitSpec,
    overlapGuard: z.object({ action: z.enum(['drop', 'move']), margin: z.number().int().nonnegative().optional() }).optional(),
    rcAugment: z.boolean().optional(),
    seed: z.number().int().optional(),
  })
  .strict();

/** Labelled CSV/TSV/FASTA tables already split (a GUE task folder gives train/dev/test.csv). */
export const TablesDatasetSpec = z
  .object({
    source: z.literal('tables'),
    /** A folder holding train.csv, dev.csv and test.csv (tsv/fa accepted); or the files below. */
    dir: FilePath.optional(),
    train: FilePath.optional(),
    dev: FilePath.optional(),
    test: FilePath.optional(),
    /** Allowed labels in class order; others are errors. Default: the labels of the train file. */
    classes: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((s) => (s.dir === undefined) !== (s.train === undefined), { message: 'Give either a folder (dir) or a train file, not both and not neither', path: ['dir'] });

/** One labelled table, split at random. */
export const TableDatasetSpec = z
  .object({
    source: z.literal('table'),
    path: FilePath,
    fractions: Fractions.optional(),
    classes: z.array(z.string().min(1)).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

// Discriminated by `source`, so a bad field inside a known source is reported by its own path
// (a plain union would report only "spec.source must be ...").
export const DatasetSpec = z.discriminatedUnion('source', [RegionsDatasetSpec, TablesDatasetSpec, TableDatasetSpec], { error: "spec.source must be 'regions', 'tables' or 'table'" });
export type DatasetSpec = z.input<typeof DatasetSpec>;

// ---------- datasets ----------

export const SplitName = z.enum(['train', 'dev', 'test']);
export const SplitSummary = z.object({
  sequences: z.number().int(),
  lengthMin: z.number().int(),
  lengthMax: z.number().int(),
  lengthMean: z.number(),
  gcMean: z.number(),
  classCounts: z.record(z.string(), z.number().int()),
  augmented: z.number().int(),
});
export const DatasetSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  source: z.enum(['regions', 'tables', 'table']),
  genomeId: z.number().int().nullable(),
  classes: z.array(z.string()),
  total: z.number().int(),
  splits: z.object({ train: SplitSummary, dev: SplitSummary, test: SplitSummary }),
  /** How the splits were made, in words. */
  split: z.string(),
  negatives: z
    .object({ strategy: z.string(), ratio: z.number(), margin: z.number(), wanted: z.number(), made: z.number(), ksDistance: z.number().optional(), shortfall: z.number().optional() })
    .optional(),
  dropped: z.record(z.string(), z.number()),
  warnings: z.array(z.string()),
  /** Builder version, seed, parameters, input files with checksums. */
  provenance: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const DatasetExample = z.object({
  split: SplitName,
  label: z.string(),
  chrom: z.string().nullable(),
  start: z.number().int().nullable(),
  end: z.number().int().nullable(),
  strand: z.enum(['+', '-', '.']).nullable(),
  origin: z.string(),
  sequence: z.string(),
});

export const dataMethods = {
  'genomes.import': method(
    z.object({ project, path: FilePath, name: Name.optional() }).strict(),
    Genome,
    'Check and index a FASTA (plain, gzip or bgzip) and add it to the project by reference (a genome-index job; cancel with jobs.cancel).',
  ),
  'genomes.list': method(z.object({ project }).strict(), z.array(Genome), "The project's genomes, with a quick check that each file is still there."),
  'genomes.get': method(z.object({ project, id: Id }).strict(), Genome, 'One genome with its sequences.'),
  'genomes.verify': method(
    z.object({ project, id: Id, deep: z.boolean().optional() }).strict(),
    Genome,
    'Re-check the FASTA file: ok, moved (missing) or changed (different content); deep hashes it again.',
  ),
  'genomes.relocate': method(
    z.object({ project, id: Id, newPath: FilePath }).strict(),
    Genome,
    'Point a moved genome at its new location (accepted only if the content is the same).',
  ),
  'genomes.remove': method(z.object({ project, id: Id }).strict(), ok, 'Remove a genome and its region sets (datasets keep their sequences).'),

  'regions.preview': method(
    z.object({ project, path: FilePath, format: z.enum(['bed', 'gff3', 'auto']).optional(), genomeId: Id.optional(), rename: Rename.optional() }).strict(),
    RegionPreview,
    'Read a BED or GFF3 file without changing the project: first records, feature types, per-line errors, chromosome-name suggestions.',
  ),
  'regions.import': method(
    z
      .object({
        project,
        path: FilePath,
        genomeId: Id,
        name: Name,
        format: z.enum(['bed', 'gff3', 'auto']).optional(),
        gffTypes: z.array(z.string().min(1)).optional(),
        derive: z.enum(['features', 'start-sites']).optional(),
        rename: Rename.optional(),
        /** Lines with problems tolerated (left out) before the import is refused; default 0. */
        maxBadLines: z.number().int().nonnegative().optional(),
      })
      .strict(),
    RegionSet,
    'Import labelled regions (BED or GFF3 features or their start sites) checked against a genome (a regions-read job; cancel with jobs.cancel).',
  ),
  'regions.list': method(z.object({ project, genomeId: Id.optional() }).strict(), z.array(RegionSet), "The project's region sets."),
  'regions.remove': method(z.object({ project, id: Id }).strict(), ok, 'Remove a region set (datasets built from it keep their sequences).'),

  'tables.preview': method(z.object({ project, path: FilePath }).strict(), TablePreview, 'Read a labelled CSV/TSV/FASTA: first rows, classes and counts, per-line errors.'),

  'datasets.build': method(
    z.object({ project, name: Name, spec: DatasetSpec }).strict(),
    DatasetSummary,
    'Build a labelled train/dev/test dataset from region sets or labelled tables and store it in the project (a dataset-build job; cancel with jobs.cancel).',
  ),
  'datasets.list': method(z.object({ project }).strict(), z.array(DatasetSummary), "The project's datasets."),
  'datasets.get': method(
    z.object({ project, id: Id, examples: z.number().int().min(0).max(1000).optional() }).strict(),
    z.object({ summary: DatasetSummary, examples: z.array(DatasetExample) }),
    'A dataset summary with the first examples of each split.',
  ),
  'datasets.export': method(
    z.object({ project, datasetId: Id, format: z.enum(['csv', 'fasta', 'bed']), dir: FilePath, overwrite: z.boolean().default(false) }).strict(),
    z.object({ files: z.array(z.string()), skipped: z.number().int() }),
    'Write a dataset as GUE-style CSV (one file per split), FASTA or BED, plus a manifest; refuses to replace existing files unless overwrite.',
  ),
  'datasets.remove': method(z.object({ project, id: Id }).strict(), ok, 'Delete a dataset from the project.'),
};

// ---------- wording shared by the services and the UI ----------

/** Words that end a phrase's leading noun group ("window | crosses a sequence end", "region | on a ..."). */
const AFTER_NOUN = new Set(['on', 'in', 'of', 'at', 'with', 'without', 'below', 'above', 'shorter', 'longer', 'than', 'crosses', 'overlaps', 'is', 'has']);
const VERB_PLURAL: Record<string, string> = { crosses: 'cross', overlaps: 'overlap', is: 'are', has: 'have' };

function pluralWord(w: string): string {
  if (/(s|x|z|ch|sh)$/.test(w)) return `${w}es`;
  if (/[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}ies`;
  return `${w}s`;
}

/**
 * A count with its noun phrase, in agreement: "1 duplicate window", "2 duplicate windows",
 * "3 dev windows overlap train", "2 windows cross a sequence end", "4 start sites". The phrases are
 * the dataset builder's reasons for leaving windows out: the head noun is the last word of the
 * leading noun group, and a verb right after it agrees. "too many N" reads "2 with too many N";
 * "same window with different labels" (a description, not a noun) goes in brackets.
 */
export function countOf(n: number, phrase: string): string {
  const count = n.toLocaleString('en-US');
  const words = phrase.split(' ');
  if (words[0] === 'too') return `${count} with ${phrase}`;
  if (words[0] === 'same') return n === 1 ? `1 ${phrase}` : `${count} (${phrase})`;
  if (n === 1) return `1 ${phrase}`;
  const end = words.findIndex((w, i) => i > 0 && AFTER_NOUN.has(w));
  const head = (end < 0 ? words.length : end) - 1;
  const out = [...words];
  out[head] = pluralWord(words[head]!);
  const verb = words[head + 1];
  if (verb !== undefined && VERB_PLURAL[verb]) out[head + 1] = VERB_PLURAL[verb];
  return `${count} ${out.join(' ')}`;
}
