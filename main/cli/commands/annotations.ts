// loci annotations list|add|edit|remove|import|export|undo|redo|conflicts: the same annotations,
// undo history and checks as the Genome view (annotations.* in shared/contract/annotations.ts).
// Regions are typed 1-based inclusive like samtools (chr1:1,001-2,000); files are BED or GFF3.
import { resolve } from 'node:path';
import type { Annotation, UndoState } from '../../../shared/contract/annotations';
import { formatLocus } from '../../../shared/locus';
import { defineCommand, UsageError, type CliOption, type CliRun } from '../command';
import { printJson, table } from '../format';
import { projectOf, projectOption } from './finetune';
import { formatBp } from '../../../shared/bp';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

/** --project and --genome (default: the project's only genome); pins use them too. */
export const projectGenomeOptions: Record<string, CliOption> = {
  ...projectOption,
  genome: { type: 'string', short: 'g', value: 'ID', description: "the genome (default: the project's only one)" },
};

export function genomeOf(run: CliRun, command: string): { genomeId?: number } {
  const v = str(run.values.genome);
  if (v === undefined) return {};
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--genome must be a genome id (a whole number), got ${JSON.stringify(v)}`, command);
  return { genomeId: Number(v) };
}

/** "chr1:1,001-2,000" (1-based, inclusive) -> 0-based half-open; annotations and pins. */
export function parseAnnotationRegion(text: string, command: string): { chrom: string; start: number; end: number } {
  const m = /^(.+):([\d,]+)-([\d,]+)$/.exec(text.trim());
  if (!m) throw new UsageError(`${JSON.stringify(text)}: write the region as CHROM:START-END (1-based, inclusive, e.g. chr1:1001-2000)`, command);
  const start = Number(m[2]!.replace(/,/g, ''));
  const end = Number(m[3]!.replace(/,/g, ''));
  if (start < 1 || end < start) throw new UsageError(`${JSON.stringify(text)}: START must be at least 1 and END at least START (1-based, inclusive)`, command);
  return { chrom: m[1]!, start: start - 1, end };
}

const rows = (list: readonly Annotation[]) =>
  table(
    ['ID', 'REGION', 'CLASS', 'SOURCE', 'CHANGED', 'NOTE'],
    list.map((a) => [String(a.id), formatLocus(a), a.label, a.source, a.updatedAt.replace('T', ' ').slice(0, 19), a.note]),
  );

const undoLine = (s: UndoState) => `Undo: ${s.undo ? s.undo.description : '(nothing)'} · Redo: ${s.redo ? s.redo.description : '(nothing)'}`;

export const annotationsList = defineCommand({
  name: 'annotations list',
  summary: "A genome's annotations (filter by class, chromosome, region or text)",
  options: {
    ...projectGenomeOptions,
    class: { type: 'string', short: 'c', value: 'NAME[,NAME]', description: 'only these classes' },
    region: { type: 'string', value: 'CHR[:START-END]', description: 'only on this chromosome or overlapping this region (1-based inclusive)' },
    text: { type: 'string', value: 'TEXT', description: 'only those whose class or note contains TEXT' },
    sort: { type: 'string', value: 'position|changed|created|class', description: 'order (default position)' },
    limit: { type: 'string', value: 'N', description: 'at most N (default 1000)' },
  },
  async run(run) {
    const project = projectOf(run, 'annotations list');
    const region = str(run.values.region);
    const where = region === undefined ? {} : region.includes(':') ? parseAnnotationRegion(region, 'annotations list') : { chrom: region };
    const sort = str(run.values.sort) ?? 'position';
    if (!['position', 'changed', 'created', 'class'].includes(sort)) throw new UsageError(`--sort must be position, changed, created or class, got "${sort}"`, 'annotations list');
    const limit = str(run.values.limit);
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError(`--limit must be a whole number, got "${limit}"`, 'annotations list');
    const labels = str(run.values.class)?.split(',').map((s) => s.trim()).filter(Boolean);
    const out = await run.call('annotations.list', {
      project,
      ...genomeOf(run, 'annotations list'),
      ...where,
      ...(labels && { labels }),
      ...(str(run.values.text) && { text: str(run.values.text) }),
      sort: sort as 'position',
      ...(limit !== undefined && { limit: Number(limit) }),
    });
    if (run.json) return run.io.out(printJson(out));
    if (out.total === 0) return run.io.out('No annotations (make one in the Genome view, or: loci annotations add CHR:START-END --class NAME)');
    run.io.out(rows(out.annotations));
    if (out.total > out.annotations.length) run.io.out(`(${out.annotations.length} of ${out.total}; use --limit)`);
  },
});

export const annotationsAdd = defineCommand({
  name: 'annotations add',
  summary: 'Annotate a region with a class (one undoable change)',
  args: 'CHR:START-END',
  positionals: { min: 1, max: 1 },
  options: {
    ...projectGenomeOptions,
    class: { type: 'string', short: 'c', value: 'NAME', description: 'its class (required)' },
    note: { type: 'string', value: 'TEXT', description: 'a note' },
  },
  async run(run) {
    const project = projectOf(run, 'annotations add');
    const label = str(run.values.class);
    if (!label) throw new UsageError('loci annotations add needs --class NAME', 'annotations add');
    const r = parseAnnotationRegion(run.positionals[0]!, 'annotations add');
    const out = await run.call('annotations.add', { project, ...genomeOf(run, 'annotations add'), ...r, label, ...(str(run.values.note) !== undefined && { note: str(run.values.note) }) });
    if (run.json) return run.io.out(printJson(out));
    run.io.out(`Annotation ${out.annotation.id}: ${out.annotation.label} at ${formatLocus(out.annotation)}`);
  },
});

export const annotationsEdit = defineCommand({
  name: 'annotations edit',
  summary: "Change an annotation's class, note or region (one undoable change)",
  args: 'ID',
  positionals: { min: 1, max: 1 },
  options: {
    ...projectOption,
    class: { type: 'string', short: 'c', value: 'NAME', description: 'the new class' },
    note: { type: 'string', value: 'TEXT', description: 'the new note' },
    region: { type: 'string', value: 'CHR:START-END', description: 'the new region (1-based inclusive)' },
  },
  async run(run) {
    const project = projectOf(run, 'annotations edit');
    const id = run.positionals[0]!;
    if (!/^\d+$/.test(id)) throw new UsageError(`loci annotations edit needs an annotation id, got ${JSON.stringify(id)}`, 'annotations edit');
    const region = str(run.values.region);
    const out = await run.call('annotations.update', {
      project,
      id: Number(id),
      ...(region !== undefined && parseAnnotationRegion(region, 'annotations edit')),
      ...(str(run.values.class) !== undefined && { label: str(run.values.class) }),
      ...(str(run.values.note) !== undefined && { note: str(run.values.note) }),
    });
    if (run.json) return run.io.out(printJson(out));
    run.io.out(out.change ? out.change.description : 'Nothing changed');
  },
});

export const annotationsRemove = defineCommand({
  name: 'annotations remove',
  summary: 'Delete annotations by id (one undoable change)',
  args: 'ID...',
  positionals: { min: 1, max: 100_000 },
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'annotations remove');
    const bad = run.positionals.find((p) => !/^\d+$/.test(p));
    if (bad !== undefined) throw new UsageError(`annotation ids are whole numbers, got ${JSON.stringify(bad)}`, 'annotations remove');
    const out = await run.call('annotations.remove', { project, ids: run.positionals.map(Number) });
    if (run.json) return run.io.out(printJson(out));
    run.io.out(`${out.change.description} (undo: loci annotations undo --project ${project})`);
  },
});

export const annotationsImport = defineCommand({
  name: 'annotations import',
  summary: 'Import annotations from BED (class in the name column) or GFF3; nothing is stored if a line is wrong',
  args: 'FILE',
  positionals: { min: 1, max: 1 },
  options: {
    ...projectGenomeOptions,
    format: { type: 'string', value: 'bed|gff3', description: 'the file format (default: from its name)' },
    'new-classes': { type: 'boolean', description: 'accept classes no dataset or annotation uses yet' },
  },
  async run(run) {
    const project = projectOf(run, 'annotations import');
    const format = str(run.values.format);
    if (format !== undefined && format !== 'bed' && format !== 'gff3') throw new UsageError(`--format must be bed or gff3, got "${format}"`, 'annotations import');
    const out = await run.call('annotations.import', {
      project,
      ...genomeOf(run, 'annotations import'),
      path: resolve(run.positionals[0]!),
      ...(format && { format }),
      newClasses: run.values['new-classes'] === true,
    });
    if (run.json) return run.io.out(printJson(out));
    run.io.out(`${out.change.description} (classes: ${out.classes.join(', ')})`);
  },
});

export const annotationsExport = defineCommand({
  name: 'annotations export',
  summary: 'Write annotations as BED9 (class in the name column, colour in itemRgb) or GFF3',
  args: 'FILE',
  positionals: { min: 1, max: 1 },
  options: {
    ...projectGenomeOptions,
    format: { type: 'string', value: 'bed|gff3', description: 'default: from the file name (.bed, .gff3)' },
    class: { type: 'string', short: 'c', value: 'NAME[,NAME]', description: 'only these classes' },
    chrom: { type: 'string', value: 'CHR', description: 'only this chromosome' },
  },
  async run(run) {
    const project = projectOf(run, 'annotations export');
    const file = resolve(run.positionals[0]!);
    const format = str(run.values.format) ?? (/\.bed$/i.test(file) ? 'bed' : /\.gff3?$/i.test(file) ? 'gff3' : undefined);
    if (format !== 'bed' && format !== 'gff3') throw new UsageError('say --format bed or --format gff3 (or name the file .bed or .gff3)', 'annotations export');
    const labels = str(run.values.class)?.split(',').map((s) => s.trim()).filter(Boolean);
    const out = await run.call('annotations.export', { project, ...genomeOf(run, 'annotations export'), format, out: file, ...(labels && { labels }), ...(str(run.values.chrom) && { chrom: str(run.values.chrom) }) });
    if (run.json) return run.io.out(printJson(out));
    run.io.out(`Wrote ${out.count} annotation${out.count === 1 ? '' : 's'} to ${out.path}`);
  },
});

function undoCommand(direction: 'undo' | 'redo') {
  return defineCommand({
    name: `annotations ${direction}`,
    summary: direction === 'undo' ? 'Revert the last change to the annotations' : 'Re-apply the last undone change',
    options: projectGenomeOptions,
    async run(run) {
      const project = projectOf(run, `annotations ${direction}`);
      const out = await run.call(`annotations.${direction}`, { project, ...genomeOf(run, `annotations ${direction}`) });
      if (run.json) return run.io.out(printJson(out));
      run.io.out(out.change ? `${direction === 'undo' ? 'Undid' : 'Redid'}: ${out.change.description}` : `Nothing to ${direction}`);
      run.io.out(undoLine(out.state));
    },
  });
}

export const annotationsConflicts = defineCommand({
  name: 'annotations conflicts',
  summary: 'Overlapping annotations with different classes (resolve them before retraining)',
  options: projectGenomeOptions,
  async run(run) {
    const project = projectOf(run, 'annotations conflicts');
    const out = await run.call('annotations.conflicts', { project, ...genomeOf(run, 'annotations conflicts') });
    if (run.json) return run.io.out(printJson(out));
    if (out.total === 0) return run.io.out('No conflicts');
    run.io.out(table(['A', 'CLASS A', 'B', 'CLASS B', 'OVERLAP'], out.conflicts.map((c) => [`${c.a.id} ${formatLocus(c.a)}`, c.a.label, `${c.b.id} ${formatLocus(c.b)}`, c.b.label, formatBp(c.overlap)])));
    return 1;
  },
});

export const annotationCommands = [annotationsList, annotationsAdd, annotationsEdit, annotationsRemove, annotationsImport, annotationsExport, undoCommand('undo'), undoCommand('redo'), annotationsConflicts];
