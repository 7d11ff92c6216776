// annotations.*: the biologist's marks on a genome (see shared/contract/annotations.ts).
//
// Every change is one IMMEDIATE transaction that writes the annotation rows and a change-log row
// with the rows before and after it (main/store/annotation-repo.ts), so a crash loses at most the
// change in flight and undo/redo survive a reload. Undo checks that the rows are still as the
// change left them before reverting it (Apollo's ChangeManager validates the same way), so a
// history that no longer matches is refused instead of silently overwriting.
import { statSync } from 'node:fs';
import { basename, resolve as resolvePath } from 'node:path';
import { classColor, itemRgb } from '../../shared/class-colors';
import type { Annotation, AnnotationChange, AnnotationClassInfo, AnnotationConflict, AnnotationFormat, UndoState } from '../../shared/contract/annotations';
import { ApiError } from '../../shared/contract/errors';
import { formatLocus } from '../../shared/locus';
import { writeLinesAtomic } from '../datasets/export';
import { InputError } from '../genome/errors';
import { readBed } from '../genome/bed';
import { readGff } from '../genome/gff';
import {
  allAnnotations,
  applyRows,
  firstUndone,
  getAnnotation,
  getAnnotations,
  insertAnnotation,
  insertChange,
  labelCounts,
  lastDone,
  listChanges,
  markUndone,
  queryAnnotations,
  type AnnotationRow,
  type ChangeRow,
} from '../store/annotation-repo';
import { genomeSequences, listDatasetRows, listGenomeRows } from '../store/data-repo';
import { touchModified } from '../store/meta';
import type { Db } from '../store/project-file';
import { getScanRow } from '../store/scan-repo';
import type { AppContext } from './context';
import { tooManyProblems } from './data-support';
import type { Services } from './dispatch';
import { requireGenome } from './genomes';
import { existingPath, projectDb } from './projects';
import { formatBp } from '../../shared/bp';

type AnnotationServices = Pick<Services, Extract<keyof Services, `annotations.${string}`>>;

const now = () => new Date().toISOString();

function invalid(path: string, message: string): ApiError {
  return new ApiError({ code: 'invalid_input', message, issues: [{ path, message }] });
}

/** The genome asked for, or the project's only one. */
export function annotationGenome(db: Db, project: string, genomeId: number | undefined): number {
  if (genomeId !== undefined) return requireGenome(db, genomeId, project).id;
  const all = listGenomeRows(db);
  if (all.length === 1) return all[0]!.id;
  throw invalid('genomeId', all.length ? `The project has ${all.length} genomes: say which one the annotations are on` : 'The project has no genome: import one first');
}

// ---------- classes and colours ----------

/** The genome's class list: its datasets' classes in order, then classes only annotations use, in order of first use. */
export function genomeClasses(db: Db, genomeId: number): AnnotationClassInfo[] {
  const counts = new Map(labelCounts(db, genomeId).map((c) => [c.label, c.count]));
  const names: string[] = [];
  const fromDataset = new Set<string>();
  for (const d of listDatasetRows(db)) {
    if (d.genomeId !== genomeId) continue;
    for (const c of d.classes) {
      fromDataset.add(c);
      if (!names.includes(c)) names.push(c);
    }
  }
  for (const c of counts.keys()) if (!names.includes(c)) names.push(c);
  return names.map((name, i) => ({ name, color: classColor(i), count: counts.get(name) ?? 0, inDataset: fromDataset.has(name) }));
}

type Colors = (label: string) => string;
const colorsOf = (classes: readonly AnnotationClassInfo[]): Colors => {
  const map = new Map(classes.map((c) => [c.name, c.color]));
  return (label) => map.get(label) ?? classColor(classes.length);
};

const toApi = (r: AnnotationRow, color: Colors): Annotation => ({
  id: r.id,
  genomeId: r.genomeId,
  chrom: r.chrom,
  start: r.start,
  end: r.end,
  label: r.label,
  note: r.note,
  color: color(r.label),
  source: r.source as Annotation['source'],
  scanId: r.scanId,
  runId: r.runId,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

// ---------- changes ----------

const summary = (c: Pick<ChangeRow, 'id' | 'kind' | 'description' | 'createdAt'> & { count: number }): AnnotationChange => ({
  id: c.id,
  kind: c.kind,
  description: c.description,
  count: c.count,
  createdAt: c.createdAt,
});
const changeOf = (c: ChangeRow): AnnotationChange => summary({ ...c, count: Math.max(c.before.length, c.after.length) });

export function undoState(db: Db, genomeId: number): UndoState {
  const u = lastDone(db, genomeId);
  const r = firstUndone(db, genomeId);
  return { genomeId, undo: u ? changeOf(u) : null, redo: r ? changeOf(r) : null };
}

const ids = (rows: readonly AnnotationRow[]) => rows.map((r) => r.id);
const same = (a: readonly AnnotationRow[], b: readonly AnnotationRow[]) => JSON.stringify([...a].sort((x, y) => x.id - y.id)) === JSON.stringify([...b].sort((x, y) => x.id - y.id));

// ---------- checks ----------

interface Bounds {
  chrom: string;
  start: number;
  end: number;
}

/** What is wrong with a region on a genome (no such sequence, empty, past the sequence's end), or null; annotations and pins. */
export function checkBounds(sizes: ReadonlyMap<string, number>, b: Bounds, genomeName: string): string | null {
  const len = sizes.get(b.chrom);
  if (len === undefined) {
    const names = [...sizes.keys()].slice(0, 5).join(', ');
    return `Genome "${genomeName}" has no sequence named '${b.chrom}' (it has ${sizes.size}: ${names}${sizes.size > 5 ? ', …' : ''})`;
  }
  if (b.end <= b.start) return `end ${b.end} is not after start ${b.start} (0-based, half-open: a region covers at least 1 bp)`;
  if (b.end > len) return `end ${b.end} is beyond the end of '${b.chrom}' (${formatBp(len)})`;
  return null;
}

/** Where two annotations of different classes overlap: a sweep over each chromosome in start order. */
export function findConflicts(rows: readonly AnnotationRow[]): [AnnotationRow, AnnotationRow][] {
  const out: [AnnotationRow, AnnotationRow][] = [];
  const sorted = [...rows].sort((a, b) => (a.chrom < b.chrom ? -1 : a.chrom > b.chrom ? 1 : a.start - b.start || a.end - b.end || a.id - b.id));
  let open: AnnotationRow[] = [];
  let chrom = '';
  for (const r of sorted) {
    if (r.chrom !== chrom) {
      chrom = r.chrom;
      open = [];
    }
    open = open.filter((o) => o.end > r.start);
    for (const o of open) if (o.label !== r.label) out.push([o, r]);
    open.push(r);
  }
  return out;
}

// ---------- import and export ----------

export function annotationFormatOf(path: string): AnnotationFormat | undefined {
  const name = basename(path).toLowerCase().replace(/\.(gz|bgz)$/, '');
  if (name.endsWith('.bed')) return 'bed';
  if (name.endsWith('.gff3') || name.endsWith('.gff')) return 'gff3';
  return undefined;
}

interface Parsed {
  chrom: string;
  start: number;
  end: number;
  label: string;
  note: string;
  line: number;
}

const CLASS_OK = /^[^\t\n\r;=,]{1,100}$/;

async function readAnnotationFile(
  path: string,
  format: AnnotationFormat,
  sizes: ReadonlyMap<string, number>,
  known: ReadonlySet<string>,
  newClasses: boolean,
): Promise<{ records: Parsed[]; errors: InputError[]; errorCount: number }> {
  const errors: InputError[] = [];
  let errorCount = 0;
  const add = (e: InputError) => {
    errorCount++;
    if (errors.length < 100) errors.push(e);
  };
  const records: Parsed[] = [];
  let read: { chrom: string; start: number; end: number; label: string | undefined; note: string; line: number }[];
  if (format === 'bed') {
    const bed = await readBed(path, { chromSizes: sizes });
    bed.errors.forEach(add);
    errorCount += bed.errorCount - bed.errors.length;
    read = bed.records.map((r) => ({ chrom: r.chrom, start: r.start, end: r.end, label: r.name, note: '', line: r.line }));
  } else {
    const gff = await readGff(path, { chromSizes: sizes });
    gff.errors.forEach(add);
    errorCount += gff.errorCount - gff.errors.length;
    read = gff.features.map((f) => ({ chrom: f.chrom, start: f.start, end: f.end, label: f.attributes.class?.[0] ?? f.name ?? f.type, note: f.attributes.Note?.join(', ') ?? '', line: f.line }));
  }
  for (const r of read) {
    const bad = (code: 'bad-range' | 'bad-field' | 'unknown-label', problem: string) => add(new InputError({ file: path, line: r.line, code, problem }));
    if (r.end <= r.start) bad('bad-range', `the region is empty (end ${r.end} is not after start ${r.start}); an annotation covers at least 1 bp`);
    else if (r.label === undefined || r.label === '') bad('bad-field', format === 'bed' ? 'no class: put the class in the name column (column 4)' : 'no class: give a class=, Name= attribute or a type');
    else if (!CLASS_OK.test(r.label)) bad('bad-field', `class '${r.label}' cannot be used (at most 100 characters, no tabs, ';', '=' or ',')`);
    else if (!newClasses && !known.has(r.label)) {
      const list = [...known].slice(0, 8).join(', ');
      bad('unknown-label', `unknown class '${r.label}' (${known.size ? `the classes are ${list}${known.size > 8 ? ', …' : ''}` : 'the genome has no classes yet'}); accept new classes to import it anyway`);
    } else records.push({ chrom: r.chrom, start: r.start, end: r.end, label: r.label, note: r.note.replace(/[\t\r\n]+/g, ' '), line: r.line });
  }
  return { records, errors: errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), errorCount };
}

function* bedExport(rows: readonly AnnotationRow[], color: Colors, name: string): Generator<string> {
  yield `track name="${name.replace(/"/g, "'")}" itemRgb="On"`;
  for (const r of rows) yield [r.chrom, r.start, r.end, r.label, 0, '.', r.start, r.end, itemRgb(color(r.label))].join('\t');
}

/** GFF3 attribute values escape tabs, newlines, ; = & , and % (section "Column 9"). */
const gffEscape = (s: string) => s.replace(/[%\t\n\r;=&,]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

function* gffExport(rows: readonly AnnotationRow[], color: Colors, sizes: ReadonlyMap<string, number>): Generator<string> {
  yield '##gff-version 3';
  const chroms = [...new Set(rows.map((r) => r.chrom))];
  for (const c of chroms) yield `##sequence-region ${c} 1 ${sizes.get(c) ?? 0}`;
  for (const r of rows) {
    const attrs = [`ID=annotation${r.id}`, `Name=${gffEscape(r.label)}`, `class=${gffEscape(r.label)}`, `color=${color(r.label)}`, ...(r.note ? [`Note=${gffEscape(r.note)}`] : [])];
    yield [r.chrom, 'Loci', 'region', r.start + 1, r.end, '.', '.', '.', attrs.join(';')].join('\t');
  }
}

// ---------- services ----------

export function createAnnotationServices(ctx: AppContext): AnnotationServices {
  const open = (project: string) => {
    const real = existingPath(project);
    return { real, db: projectDb(ctx, real) };
  };
  const changed = (db: Db, project: string) => {
    touchModified(db, ctx.appVersion);
    ctx.bus.emit('project.changed', { path: project, what: 'annotations' });
  };
  /** One change: the rows before, the rows after, recorded with the edit in one transaction. */
  const record = (db: Db, genomeId: number, kind: ChangeRow['kind'], description: string, before: AnnotationRow[], after: AnnotationRow[]): ChangeRow => {
    const createdAt = now();
    const id = insertChange(db, { genomeId, kind, description, before, after, createdAt });
    return { id, genomeId, kind, description, before, after, undone: false, createdAt };
  };

  const step = (project: string, genomeIdIn: number | undefined, direction: 'undo' | 'redo') => {
    const { real, db } = open(project);
    const genomeId = annotationGenome(db, real, genomeIdIn);
    const result = db.transaction(() => {
      const c = direction === 'undo' ? lastDone(db, genomeId) : firstUndone(db, genomeId);
      if (!c) return null;
      const [from, to] = direction === 'undo' ? [c.after, c.before] : [c.before, c.after];
      const touched = [...new Set([...ids(c.before), ...ids(c.after)])];
      if (!same(getAnnotations(db, touched), from)) {
        throw new ApiError({ code: 'conflict', message: `Cannot ${direction} "${c.description}": those annotations were changed since in a way the history does not record` });
      }
      applyRows(db, touched, to);
      markUndone(db, c.id, direction === 'undo');
      changed(db, real);
      return c;
    }).immediate();
    return { change: result ? changeOf(result) : null, state: undoState(db, genomeId) };
  };

  return {
    async 'annotations.list'({ project, genomeId, labels, chrom, start, end, text, sort, limit, offset }) {
      const { real, db } = open(project);
      const g = annotationGenome(db, real, genomeId);
      const color = colorsOf(genomeClasses(db, g));
      const { rows, total } = queryAnnotations(db, g, { labels, chrom, start, end, text }, sort, limit, offset);
      return { genomeId: g, annotations: rows.map((r) => toApi(r, color)), total };
    },

    async 'annotations.classes'({ project, genomeId }) {
      const { real, db } = open(project);
      const g = annotationGenome(db, real, genomeId);
      return { genomeId: g, classes: genomeClasses(db, g) };
    },

    async 'annotations.add'({ project, genomeId, chrom, start, end, label, note, source, scanId }) {
      const { real, db } = open(project);
      const g = annotationGenome(db, real, genomeId);
      const genome = requireGenome(db, g, real);
      const sizes = new Map(genomeSequences(db, g).map((s) => [s.name, s.length]));
      const problem = checkBounds(sizes, { chrom, start, end }, genome.name);
      if (problem) throw invalid(problem.startsWith('Genome') ? 'chrom' : 'end', problem);
      let runId: number | null = null;
      if (scanId !== undefined) {
        const scan = getScanRow(db, scanId);
        if (!scan) throw invalid('scanId', `No scan ${scanId} in this project`);
        runId = scan.params.runId;
      }
      const t = now();
      const { row, change } = db.transaction(() => {
        const base = { genomeId: g, chrom, start, end, label, note, source, scanId: scanId ?? null, runId, createdAt: t, updatedAt: t };
        const id = insertAnnotation(db, base);
        const row = { id, ...base };
        const change = record(db, g, 'add', `Added ${label} at ${formatLocus(row)}`, [], [row]);
        changed(db, real);
        return { row, change };
      }).immediate();
      return { annotation: toApi(row, colorsOf(genomeClasses(db, g))), change: changeOf(change), state: undoState(db, g) };
    },

    async 'annotations.update'({ project, id, chrom, start, end, label, note }) {
      const { real, db } = open(project);
      const before = getAnnotation(db, id);
      if (!before) throw new ApiError({ code: 'not_found', message: `No annotation ${id} in ${real}` });
      const genome = requireGenome(db, before.genomeId, real);
      const next = { ...before, ...(chrom !== undefined && { chrom }), ...(start !== undefined && { start }), ...(end !== undefined && { end }), ...(label !== undefined && { label }), ...(note !== undefined && { note }) };
      const sizes = new Map(genomeSequences(db, before.genomeId).map((s) => [s.name, s.length]));
      const problem = checkBounds(sizes, next, genome.name);
      if (problem) throw invalid(problem.startsWith('Genome') ? 'chrom' : 'end', problem);
      const g = before.genomeId;
      const differs = next.chrom !== before.chrom || next.start !== before.start || next.end !== before.end || next.label !== before.label || next.note !== before.note;
      if (!differs) return { annotation: toApi(before, colorsOf(genomeClasses(db, g))), change: null, state: undoState(db, g) };
      const after: AnnotationRow = { ...next, updatedAt: now() };
      const what = [
        next.label !== before.label && `class ${before.label} → ${next.label}`,
        (next.chrom !== before.chrom || next.start !== before.start || next.end !== before.end) && `bounds ${formatLocus(before)} → ${formatLocus(next)}`,
        next.note !== before.note && 'note',
      ].filter(Boolean);
      const change = db.transaction(() => {
        applyRows(db, [id], [after]);
        const c = record(db, g, 'update', `Changed ${what.join(', ')} of ${before.label} at ${formatLocus(before)}`, [before], [after]);
        changed(db, real);
        return c;
      }).immediate();
      return { annotation: toApi(after, colorsOf(genomeClasses(db, g))), change: changeOf(change), state: undoState(db, g) };
    },

    async 'annotations.remove'({ project, ids: wanted }) {
      const { real, db } = open(project);
      const unique = [...new Set(wanted)];
      const rows = getAnnotations(db, unique);
      const found = new Set(ids(rows));
      const missing = unique.filter((i) => !found.has(i));
      if (missing.length) throw new ApiError({ code: 'not_found', message: `No annotation${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} in ${real}` });
      const genomes = new Set(rows.map((r) => r.genomeId));
      if (genomes.size > 1) throw invalid('ids', 'Remove the annotations of one genome at a time (each genome has its own undo history)');
      const g = rows[0]!.genomeId;
      const description = rows.length === 1 ? `Removed ${rows[0]!.label} at ${formatLocus(rows[0]!)}` : `Removed ${rows.length.toLocaleString('en-US')} annotations`;
      const change = db.transaction(() => {
        applyRows(db, unique, []);
        const c = record(db, g, 'remove', description, rows, []);
        changed(db, real);
        return c;
      }).immediate();
      return { removed: rows.length, change: changeOf(change), state: undoState(db, g) };
    },

    async 'annotations.undo'({ project, genomeId }) {
      return step(project, genomeId, 'undo');
    },

    async 'annotations.redo'({ project, genomeId }) {
      return step(project, genomeId, 'redo');
    },

    async 'annotations.history'({ project, genomeId, limit }) {
      const { real, db } = open(project);
      const g = annotationGenome(db, real, genomeId);
      return { state: undoState(db, g), done: listChanges(db, g, false, limit).map(summary), undone: listChanges(db, g, true, limit).map(summary) };
    },

    async 'annotations.conflicts'({ project, genomeId, limit }) {
      const { real, db } = open(project);
      const g = annotationGenome(db, real, genomeId);
      const color = colorsOf(genomeClasses(db, g));
      const all = findConflicts(allAnnotations(db, g));
      const conflicts: AnnotationConflict[] = all.slice(0, limit).map(([a, b]) => ({ a: toApi(a, color), b: toApi(b, color), overlap: Math.min(a.end, b.end) - Math.max(a.start, b.start) }));
      return { genomeId: g, conflicts, total: all.length };
    },

    async 'annotations.import'({ project, genomeId, path, format, newClasses }) {
      const { real, db } = open(project);
      const g = annotationGenome(db, real, genomeId);
      const genome = requireGenome(db, g, real);
      const file = existingFile(path);
      const fmt = format ?? annotationFormatOf(file);
      if (!fmt) throw new ApiError({ code: 'bad_file', message: `${basename(file)}: name it .bed or .gff3 (or say which format it is)`, file });
      const sizes = new Map(genomeSequences(db, g).map((s) => [s.name, s.length]));
      const known = new Set(genomeClasses(db, g).map((c) => c.name));
      let read;
      try {
        read = await readAnnotationFile(file, fmt, sizes, known, newClasses);
      } catch (err) {
        if (err instanceof InputError) throw new ApiError({ code: 'bad_file', message: err.message, file, ...(err.line !== undefined && { line: err.line }) });
        throw err;
      }
      if (read.errorCount > 0) throw tooManyProblems(file, `${read.errorCount} line(s) of ${basename(file)} cannot be annotations on genome "${genome.name}"; nothing was imported`, read.errors, read.errorCount);
      if (read.records.length === 0) throw new ApiError({ code: 'bad_file', message: `${basename(file)} holds no regions`, file });
      const t = now();
      const change = db.transaction(() => {
        const rows: AnnotationRow[] = read.records.map((r) => {
          const base = { genomeId: g, chrom: r.chrom, start: r.start, end: r.end, label: r.label, note: r.note, source: 'import', scanId: null, runId: null, createdAt: t, updatedAt: t };
          return { id: insertAnnotation(db, base), ...base };
        });
        const c = record(db, g, 'import', `Imported ${rows.length.toLocaleString('en-US')} annotations from ${basename(file)}`, [], rows);
        changed(db, real);
        return c;
      }).immediate();
      return { added: read.records.length, classes: [...new Set(read.records.map((r) => r.label))], change: changeOf(change), state: undoState(db, g) };
    },

    async 'annotations.export'({ project, genomeId, format, out, labels, chrom }) {
      const { real, db } = open(project);
      const g = annotationGenome(db, real, genomeId);
      const genome = requireGenome(db, g, real);
      const rows = allAnnotations(db, g, { labels, chrom });
      const color = colorsOf(genomeClasses(db, g));
      const sizes = new Map(genomeSequences(db, g).map((s) => [s.name, s.length]));
      const target = resolvePath(out);
      await writeLinesAtomic(target, format === 'bed' ? bedExport(rows, color, `${genome.name} annotations`) : gffExport(rows, color, sizes));
      return { path: target, count: rows.length };
    },
  };
}

function existingFile(path: string): string {
  const file = resolvePath(path);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new ApiError({ code: 'not_found', message: `No file at ${file}`, file });
  }
  if (!isFile) throw new ApiError({ code: 'bad_file', message: `${file} is a folder, not a BED or GFF3 file`, file });
  return file;
}
