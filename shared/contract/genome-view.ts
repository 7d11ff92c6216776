// The Genome view (igv.js, embedded and offline): the project's reference as an indexed FASTA read
// by byte range, its region sets and datasets as feature tracks read per visible window, the user's
// own track files added by reference, a locus search over the project's own feature names, and the
// view's settings (last locus, tracks shown, their order, colour and height) kept per genome in the
// project file, and the loci the user pinned (with a short note) for reports to draw as images.
// Files reach the renderer only as opaque ids (GET /files/<id> in browser mode, loci://app/files/<id>
// in the app), never as paths. Coordinates are 0-based half-open.
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const project = FilePath;
const Chrom = z.string().trim().min(1, 'A chromosome name is required').max(1000);
const Position = z.number().int('A position is a whole number').nonnegative('Positions start at 0');
const ok = z.object({ ok: z.literal(true) });

export const ViewReference = z.object({
  genomeId: z.number().int(),
  name: z.string(),
  /** File ids of the FASTA, its .fai, and the .gzi of a bgzip FASTA. */
  fastaFileId: z.string(),
  indexFileId: z.string(),
  compressedIndexFileId: z.string().nullable(),
  chromosomes: z.array(z.object({ name: z.string(), length: z.number().int() })),
  /** Every genome of the project, for the genome picker. */
  genomes: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type ViewReference = z.infer<typeof ViewReference>;

/** Formats of the user's own track files (as in IGV); BAM and CRAM need their index. */
export const TrackFileFormat = z.enum(['bigwig', 'bedgraph', 'bed', 'gff3', 'bam', 'cram']);
export type TrackFileFormat = z.infer<typeof TrackFileFormat>;

export const TrackFile = z.object({
  id: z.number().int(),
  name: z.string(),
  format: TrackFileFormat,
  path: z.string(),
  indexPath: z.string().nullable(),
  /** null when the file is missing (moved or deleted since it was added). */
  fileId: z.string().nullable(),
  indexFileId: z.string().nullable(),
  /** Why the file cannot be shown now, or '' when it can. */
  problem: z.string(),
});
export type TrackFile = z.infer<typeof TrackFile>;

export const ViewTracks = z.object({
  regionSets: z.array(z.object({ id: z.number().int(), name: z.string(), format: z.enum(['bed', 'gff3']), count: z.number().int() })),
  datasets: z.array(z.object({ id: z.number().int(), name: z.string(), classes: z.array(z.string()), count: z.number().int() })),
  files: z.array(TrackFile),
});
export type ViewTracks = z.infer<typeof ViewTracks>;

export const FeatureSource = z.discriminatedUnion(
  'kind',
  [z.object({ kind: z.literal('regionSet'), id: Id }).strict(), z.object({ kind: z.literal('dataset'), id: Id }).strict()],
  { error: "The source is {kind:'regionSet', id} or {kind:'dataset', id}" },
);
export type FeatureSource = z.infer<typeof FeatureSource>;

export const ViewFeature = z.object({
  chrom: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  name: z.string().optional(),
  strand: z.enum(['+', '-', '.']).optional(),
  score: z.number().optional(),
  /** Datasets: the example's split and class. */
  split: z.enum(['train', 'dev', 'test']).optional(),
  label: z.string().optional(),
});
export type ViewFeature = z.infer<typeof ViewFeature>;

/** One track's look in the view; `key` names the track: `regionSet:3`, `dataset:2`, `file:5`, `scan:4:1`, `regions:4:1`. */
export const TrackSetting = z
  .object({
    key: z.string().min(1).max(100),
    visible: z.boolean(),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour is #rrggbb').optional(),
    height: z.number().int().min(15, 'A track is at least 15 px high').max(1000, 'A track is at most 1000 px high').optional(),
  })
  .strict();
export type TrackSetting = z.infer<typeof TrackSetting>;

export const ViewSettings = z.object({
  genomeId: z.number().int().nullable(),
  /** igv.js locus string (`chr1:1,001-2,000`, 1-based as igv shows it), or null for the first chromosome. */
  locus: z.string().nullable(),
  /** In display order, top to bottom. */
  tracks: z.array(TrackSetting),
});
export type ViewSettings = z.infer<typeof ViewSettings>;

export const SearchMatch = z.object({
  chrom: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  name: z.string(),
  source: z.string(),
  /** For a chromosome: its FASTA header's text after the name, when it has one. */
  description: z.string().optional(),
});
export type SearchMatch = z.infer<typeof SearchMatch>;

/** A locus pinned for reports: the run report's genome section draws it as the Genome view shows it. */
export const Pin = z.object({
  id: z.number().int(),
  genomeId: z.number().int(),
  chrom: z.string(),
  /** 0-based, end excluded (shown to people 1-based inclusive through shared/locus). */
  start: z.number().int(),
  end: z.number().int(),
  note: z.string(),
  createdAt: z.string(),
});
export type Pin = z.infer<typeof Pin>;

const PinNote = z.string().trim().max(500, 'A pin note is at most 500 characters').regex(/^[^\t\n\r]*$/, 'A pin note is one line (no tabs or line breaks)');

export const genomeViewMethods = {
  'genomeView.reference': method(
    z.object({ project, genomeId: Id.optional() }).strict(),
    ViewReference,
    "A genome's indexed FASTA for the view, registered for byte-range reads (default: the genome last shown, else the first).",
  ),
  'genomeView.tracks': method(z.object({ project, genomeId: Id }).strict(), ViewTracks, 'The tracks the view can show for a genome: region sets, datasets and the track files added.'),
  'genomeView.features': method(
    z.object({ project, source: FeatureSource, chrom: Chrom, start: Position, end: Position, limit: z.number().int().min(1).max(100_000).optional() }).strict(),
    z.object({ features: z.array(ViewFeature), truncated: z.boolean() }),
    "The features of a region set or a dataset's examples that overlap a window (what igv.js draws).",
  ),
  'genomeView.addTrackFile': method(
    z
      .object({
        project,
        genomeId: Id,
        path: FilePath,
        /** Required for BAM (.bai/.csi) and CRAM (.crai); found next to the file when left out. */
        indexPath: FilePath.optional(),
        name: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    TrackFile,
    "Add one of the user's track files (bigWig, bedGraph, BED, GFF3, BAM or CRAM with its index) by reference; it is read by byte range.",
  ),
  'genomeView.removeTrackFile': method(z.object({ project, id: Id }).strict(), ok, 'Remove a track file from the view (the file itself is kept).'),
  'genomeView.search': method(
    z.object({ project, genomeId: Id, query: z.string().trim().min(1, 'Type a locus or a name').max(1000), limit: z.number().int().min(1).max(100).optional() }).strict(),
    z.object({ matches: z.array(SearchMatch) }),
    "Find a chromosome, or a feature by name in the project's region sets (exact names first, then prefixes).",
  ),
  'genomeView.pins.list': method(
    z.object({ project, genomeId: Id.optional() }).strict(),
    z.array(Pin),
    "The loci pinned for reports, oldest first: of one genome, or of every genome of the project.",
  ),
  'genomeView.pins.add': method(
    z.object({ project, genomeId: Id.optional(), chrom: Chrom, start: Position, end: Position, note: PinNote.default('') }).strict(),
    Pin,
    "Pin a locus (0-based, end excluded) with an optional one-line note, for the run reports' genome section (default genome: the project's only one).",
  ),
  'genomeView.pins.remove': method(z.object({ project, id: Id }).strict(), ok, 'Unpin a locus.'),
  'genomeView.settings.get': method(z.object({ project, genomeId: Id.optional() }).strict(), ViewSettings, "The view's last locus and track settings (default: the genome last shown)."),
  'genomeView.settings.set': method(
    z.object({ project, genomeId: Id, locus: z.string().trim().min(1).max(2000).nullable().optional(), tracks: z.array(TrackSetting).max(1000).optional() }).strict(),
    ok,
    "Keep the view's locus and/or track settings for a genome.",
  ),
};
