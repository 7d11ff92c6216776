// Annotations: the biologist's own marks on a genome (a region, a class, a note), made in the
// Genome view, imported from a BED/GFF3 file, or taken from a scan's called region. Every change
// (add, edit, remove, import, bulk remove) is one transaction that also records the rows before
// and after it, so undo and redo work in order and survive a reload (Apollo's ChangeManager).
// Coordinates are 0-based half-open, as everywhere. Changes arrive on project.changed
// {what: 'annotations'}.
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const project = FilePath;
const Chrom = z.string().trim().min(1, 'A chromosome name is required').max(1000);
const Position = z.number().int('A position is a whole number').nonnegative('Positions start at 0');
/** A class name: what a dataset's labels are. */
export const AnnotationClass = z
  .string()
  .trim()
  .min(1, 'An annotation needs a class')
  .max(100, 'A class name is at most 100 characters')
  .regex(/^[^\t\n\r;=,]+$/, 'A class name cannot hold tabs, line breaks, ";", "=" or ","');
const Note = z.string().max(10_000, 'A note is at most 10,000 characters').regex(/^[^\t\n\r]*$/, 'A note is one line (no tabs or line breaks)');
/** Default: the project's only genome. */
const genomeId = Id.optional();

export const AnnotationSource = z.enum(['manual', 'import', 'scan', 'region']);
export type AnnotationSource = z.infer<typeof AnnotationSource>;

export const Annotation = z.object({
  id: z.number().int(),
  genomeId: z.number().int(),
  chrom: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  label: z.string(),
  note: z.string(),
  /** #rrggbb of its class (the same in the track, the table and the exported BED's itemRgb). */
  color: z.string(),
  /** How it was made: drawn in the view, imported, from a scan's called region, from a feature. */
  source: AnnotationSource,
  scanId: z.number().int().nullable(),
  runId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Annotation = z.infer<typeof Annotation>;

export const AnnotationClassInfo = z.object({
  name: z.string(),
  color: z.string(),
  /** Annotations of this class on the genome. */
  count: z.number().int(),
  /** A class of one of the genome's datasets (else only annotations use it). */
  inDataset: z.boolean(),
});
export type AnnotationClassInfo = z.infer<typeof AnnotationClassInfo>;

export const AnnotationChange = z.object({
  id: z.number().int(),
  kind: z.enum(['add', 'update', 'remove', 'import']),
  /** In words: "Added exon at chr1:1,001-2,000". */
  description: z.string(),
  /** Annotations it touched. */
  count: z.number().int(),
  createdAt: z.string(),
});
export type AnnotationChange = z.infer<typeof AnnotationChange>;

export const UndoState = z.object({
  genomeId: z.number().int(),
  /** The change undo would revert, and the one redo would re-apply. */
  undo: AnnotationChange.nullable(),
  redo: AnnotationChange.nullable(),
});
export type UndoState = z.infer<typeof UndoState>;

export const AnnotationConflict = z.object({
  a: Annotation,
  b: Annotation,
  /** Bases both cover. */
  overlap: z.number().int(),
});
export type AnnotationConflict = z.infer<typeof AnnotationConflict>;

export const AnnotationSort = z.enum(['position', 'changed', 'created', 'class']);

export const AnnotationFormat = z.enum(['bed', 'gff3']);
export type AnnotationFormat = z.infer<typeof AnnotationFormat>;

const Filter = {
  /** Only these classes. */
  labels: z.array(z.string().min(1)).max(1000).optional(),
  chrom: Chrom.optional(),
  /** Only annotations overlapping [start, end) on chrom. */
  start: Position.optional(),
  end: Position.optional(),
  /** Case-insensitive text in the class or the note. */
  text: z.string().max(200).optional(),
};

const changeResult = z.object({ change: AnnotationChange.nullable(), state: UndoState });

export const annotationMethods = {
  'annotations.list': method(
    z
      .object({
        project,
        genomeId,
        ...Filter,
        sort: AnnotationSort.default('position'),
        limit: z.number().int().min(1).max(100_000).default(1000),
        offset: z.number().int().nonnegative().default(0),
      })
      .strict(),
    z.object({ genomeId: z.number().int(), annotations: z.array(Annotation), total: z.number().int() }),
    "A genome's annotations, filtered (class, chromosome, window, text) and sorted, a page at a time.",
  ),
  'annotations.classes': method(
    z.object({ project, genomeId }).strict(),
    z.object({ genomeId: z.number().int(), classes: z.array(AnnotationClassInfo) }),
    "The classes to annotate with: the genome's datasets' classes, then those only annotations use, each with its colour and count.",
  ),
  'annotations.add': method(
    z
      .object({
        project,
        genomeId,
        chrom: Chrom,
        start: Position,
        end: Position,
        label: AnnotationClass,
        note: Note.default(''),
        source: AnnotationSource.default('manual'),
        scanId: Id.optional(),
      })
      .strict(),
    z.object({ annotation: Annotation, change: AnnotationChange, state: UndoState }),
    'Annotate a region with a class (and a note); one undoable change.',
  ),
  'annotations.update': method(
    z.object({ project, id: Id, chrom: Chrom.optional(), start: Position.optional(), end: Position.optional(), label: AnnotationClass.optional(), note: Note.optional() }).strict(),
    z.object({ annotation: Annotation, change: AnnotationChange.nullable(), state: UndoState }),
    "Change an annotation's class, note or bounds; one undoable change (none when nothing differs).",
  ),
  'annotations.remove': method(
    z.object({ project, ids: z.array(Id).min(1, 'Say which annotations to remove').max(1_000_000) }).strict(),
    z.object({ removed: z.number().int(), change: AnnotationChange, state: UndoState }),
    'Delete annotations (of one genome); one undoable change.',
  ),
  'annotations.undo': method(z.object({ project, genomeId }).strict(), changeResult, 'Revert the last change to a genome’s annotations (nothing when there is none).'),
  'annotations.redo': method(z.object({ project, genomeId }).strict(), changeResult, 'Re-apply the last undone change.'),
  'annotations.history': method(
    z.object({ project, genomeId, limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    z.object({ state: UndoState, done: z.array(AnnotationChange), undone: z.array(AnnotationChange) }),
    'The changes that undo would revert (newest first) and those redo would re-apply (next first).',
  ),
  'annotations.conflicts': method(
    z.object({ project, genomeId, limit: z.number().int().min(1).max(100_000).default(1000) }).strict(),
    z.object({ genomeId: z.number().int(), conflicts: z.array(AnnotationConflict), total: z.number().int() }),
    'Overlapping annotations with different classes: resolve them (edit or remove one) before retraining.',
  ),
  'annotations.import': method(
    z
      .object({
        project,
        genomeId,
        path: FilePath,
        /** Default: from the file name (.bed, .gff3/.gff). */
        format: AnnotationFormat.optional(),
        /** Accept classes that neither a dataset nor an annotation uses yet (else such a line is an error). */
        newClasses: z.boolean().default(false),
      })
      .strict(),
    z.object({ added: z.number().int(), classes: z.array(z.string()), change: AnnotationChange, state: UndoState }),
    'Import annotations from a BED (class in the name column) or GFF3 (class attribute, Name or type) file; one undoable change, nothing stored when any line is wrong.',
  ),
  'annotations.export': method(
    z.object({ project, genomeId, format: AnnotationFormat, out: FilePath, labels: Filter.labels, chrom: Filter.chrom }).strict(),
    z.object({ path: z.string(), count: z.number().int() }),
    'Write annotations as BED9 (class in the name column, its colour in itemRgb) or GFF3.',
  ),
};
