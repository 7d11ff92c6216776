// Labelled sequences for training: CSV/TSV tables ("sequence,label", the GUE format) and FASTA
// with the label in the header. Labels may be names or integers; the result carries the class
// list and an integer index per record.
//
// Accepted FASTA header forms (first match wins):
//   >seq1 label=promoter     a `label=` (or `class=`) token anywhere after the name
//   >seq1|promoter           the last '|'-separated part of the name
import { extname, resolve } from 'node:path';
import { ErrorCollector, InputError } from './errors';
import { readTextLines } from './io';
import { firstNonIupac, nonIupacProblem } from './iupac';
import type { LongCallOptions } from './progress';

export type LabelledFormat = 'csv' | 'tsv' | 'fasta';

export interface LabelledSequence {
  /** FASTA name, when read from FASTA. */
  id?: string;
  /** As in the file (case kept; callers may uppercase). */
  sequence: string;
  label: string;
  /** Index of `label` in the result's `classes`. */
  labelIndex: number;
  /** 1-based line (the header line for FASTA). */
  line: number;
}

export interface ReadLabelledOptions extends LongCallOptions {
  /** Default: from the extension (.tsv/.tab -> tsv, .fa/.fasta/.fna -> fasta), else sniffed. */
  format?: LabelledFormat;
  /** The allowed classes, in label-index order; labels outside it are errors. */
  classes?: readonly string[];
  /** Column name (with a header) or 0-based index; default: a column named sequence/seq, else the first. */
  sequenceColumn?: string | number;
  /** Column name or 0-based index; default: a column named label/class/target, else the second. */
  labelColumn?: string | number;
  maxErrors?: number;
}

export interface LabelledReadResult {
  file: string;
  format: LabelledFormat;
  records: LabelledSequence[];
  /** Class names in label-index order: the given list, else integers ascending, else names sorted. */
  classes: string[];
  classCounts: Record<string, number>;
  header?: string[];
  linesRead: number;
  errors: InputError[];
  errorCount: number;
  summary: string;
}

const SEQUENCE_NAMES = ['sequence', 'sequences', 'seq', 'dna', 'text'];
const LABEL_NAMES = ['label', 'labels', 'class', 'target', 'y', 'category'];

/**
 * Splits one CSV/TSV line (RFC 4180 quoting: "a,b" and "" for a quote). Returns the fields, or a
 * problem string. Hand-written: no CSV library is installed, and the format here is one record
 * per line.
 */
export function splitDelimited(text: string, delim: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return 'a quoted field is not closed (quotes must be doubled inside quotes; fields cannot span lines)';
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(field);
      if (i >= text.length) return out;
      if (text[i] !== delim) return `unexpected text after a quoted field at character ${i + 1}`;
      i++;
    } else {
      const d = text.indexOf(delim, i);
      if (d === -1) {
        out.push(text.slice(i));
        return out;
      }
      out.push(text.slice(i, d));
      i = d + 1;
    }
  }
}

function formatFromName(file: string): LabelledFormat | undefined {
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.csv') return 'csv';
  if (['.fa', '.fasta', '.fna', '.fas'].includes(ext)) return 'fasta';
  return undefined;
}

function findColumn(header: string[], wanted: string | number | undefined, names: string[]): number {
  if (typeof wanted === 'number') return wanted < header.length ? wanted : -1;
  const lower = header.map((h) => h.trim().toLowerCase());
  if (typeof wanted === 'string') return lower.indexOf(wanted.toLowerCase());
  return lower.findIndex((h) => names.includes(h));
}

interface RawRecord {
  id?: string;
  sequence: string;
  label: string;
  line: number;
}

/** Checks one record's sequence and label; returns false (after recording errors) when bad. */
function checkRecord(r: RawRecord, errors: ErrorCollector, allowed: Set<string> | undefined, classes: readonly string[] | undefined, where: (pos: number) => { line: number; column?: number }): boolean {
  if (r.sequence === '') {
    errors.add({ line: r.line, code: 'empty-sequence', problem: 'the sequence is empty' });
    return false;
  }
  const bad = firstNonIupac(r.sequence);
  if (bad >= 0) {
    errors.add({ ...where(bad), code: 'invalid-character', problem: nonIupacProblem(r.sequence.charCodeAt(bad), `at position ${bad + 1} of the sequence`) });
    return false;
  }
  if (r.label === '') {
    errors.add({ line: r.line, code: 'missing-column', problem: 'the label is empty' });
    return false;
  }
  if (allowed && !allowed.has(r.label)) {
    errors.add({ line: r.line, code: 'unknown-label', problem: `unknown label '${r.label}' (the classes are: ${classes!.join(', ')})` });
    return false;
  }
  return true;
}

async function readTable(file: string, delim: string, opts: ReadLabelledOptions, errors: ErrorCollector, allowed: Set<string> | undefined) {
  const records: RawRecord[] = [];
  let header: string[] | undefined;
  let seqCol = -1;
  let labelCol = -1;
  /** Fields every row must have: the header's count, else the first row's (a stray comma shifts columns). */
  let width = -1;
  let widthFrom = '';
  let linesRead = 0;
  for await (const { text, line } of readTextLines(file, opts)) {
    linesRead = line;
    if (text.trim() === '') continue;
    const fields = splitDelimited(text, delim);
    if (typeof fields === 'string') {
      errors.add({ line, code: 'bad-field', problem: fields });
      continue;
    }
    if (seqCol < 0) {
      // First row: a header when its first cell (or the named sequence cell) is not DNA.
      const named = findColumn(fields, opts.sequenceColumn, SEQUENCE_NAMES);
      const probe = fields[typeof opts.sequenceColumn === 'number' ? opts.sequenceColumn : 0] ?? '';
      const isHeader = named >= 0 || typeof opts.sequenceColumn === 'string' || probe === '' || firstNonIupac(probe.trim()) >= 0;
      if (isHeader) {
        header = fields.map((f) => f.trim());
        seqCol = named >= 0 ? named : header.length === 2 && typeof opts.sequenceColumn !== 'string' ? 0 : -1;
        labelCol = findColumn(header, opts.labelColumn, LABEL_NAMES);
        const list = header.map((h) => `'${h}'`).join(', ');
        if (seqCol < 0) throw new InputError({ file, line, code: 'missing-column', problem: `no sequence column: the header has ${list}; name one 'sequence' or choose it` });
        if (labelCol < 0) throw new InputError({ file, line, code: 'missing-column', problem: `no label column: the header has ${list}; name one 'label' or choose it` });
        width = header.length;
        widthFrom = `as in the header on line ${line}`;
        continue;
      }
      seqCol = typeof opts.sequenceColumn === 'number' ? opts.sequenceColumn : 0;
      labelCol = typeof opts.labelColumn === 'number' ? opts.labelColumn : 1;
      if (fields.length <= Math.max(seqCol, labelCol)) {
        throw new InputError({ file, line, code: 'missing-column', problem: `no label column: the first line has ${fields.length} column(s) and no header; expected 'sequence${delim === '\t' ? '<tab>' : delim}label'` });
      }
      width = fields.length;
      widthFrom = `as on line ${line}, the first`;
    }
    if (fields.length !== width) {
      const quote = delim === ',' ? ' (a field holding a comma must be in double quotes)' : '';
      errors.add({ line, code: fields.length < width ? 'too-few-columns' : 'bad-field', problem: `expected ${width} fields ${widthFrom}, found ${fields.length}${fields.length > width ? quote : ''}` });
      continue;
    }
    const rec: RawRecord = { sequence: fields[seqCol]!.trim(), label: fields[labelCol]!.trim(), line };
    if (checkRecord(rec, errors, allowed, opts.classes, () => ({ line }))) records.push(rec);
  }
  return { records, header, linesRead };
}

function labelFromHeader(text: string): { id: string; label: string } | undefined {
  const [name = '', ...rest] = text.slice(1).trim().split(/\s+/);
  const token = rest.find((t) => /^(label|class)=/i.test(t));
  if (token) return { id: name, label: token.slice(token.indexOf('=') + 1) };
  const bar = name.lastIndexOf('|');
  if (bar > 0) return { id: name.slice(0, bar), label: name.slice(bar + 1) };
  return undefined;
}

async function readLabelledFasta(file: string, opts: ReadLabelledOptions, errors: ErrorCollector, allowed: Set<string> | undefined) {
  const records: RawRecord[] = [];
  let linesRead = 0;
  let cur: (RawRecord & { lines: number[]; starts: number[] }) | undefined;
  let badHeader = false;
  const flush = () => {
    if (!cur) return;
    const c = cur;
    // Map a position in the joined sequence back to its line and column.
    const where = (pos: number) => {
      let k = c.starts.length - 1;
      while (k > 0 && c.starts[k]! > pos) k--;
      return { line: c.lines[k] ?? c.line, column: pos - (c.starts[k] ?? 0) + 1 };
    };
    const rec: RawRecord = { id: c.id!, sequence: c.sequence, label: c.label, line: c.line };
    if (checkRecord(rec, errors, allowed, opts.classes, where)) records.push(rec);
    cur = undefined;
  };
  for await (const { text, line } of readTextLines(file, opts)) {
    linesRead = line;
    if (text.startsWith('>')) {
      flush();
      const parsed = labelFromHeader(text);
      badHeader = !parsed;
      if (!parsed) {
        errors.add({ line, code: 'missing-column', problem: "no label in the header (accepted: '>id label=NAME' or '>id|NAME')" });
        continue;
      }
      cur = { id: parsed.id, label: parsed.label, sequence: '', line, lines: [], starts: [] };
      continue;
    }
    const s = text.trim();
    if (s === '') continue;
    if (!cur) {
      if (!badHeader) errors.add({ line, code: 'data-before-header', problem: 'sequence data before the first header line' });
      continue;
    }
    cur.lines.push(line);
    cur.starts.push(cur.sequence.length);
    cur.sequence += s;
  }
  flush();
  return { records, header: undefined, linesRead };
}

/** Sorts class names: all integers -> numerically, else by name. */
function classOrder(labels: Iterable<string>): string[] {
  const unique = [...new Set(labels)];
  if (unique.every((l) => /^-?\d+$/.test(l))) return unique.sort((a, b) => Number(a) - Number(b));
  return unique.sort();
}

/** Reads a CSV/TSV/FASTA of labelled sequences. Throws InputError for file-level problems. */
export async function readLabelledSequences(path: string, opts: ReadLabelledOptions = {}): Promise<LabelledReadResult> {
  const file = resolve(path);
  const errors = new ErrorCollector(file, opts.maxErrors ?? 100);
  const allowed = opts.classes ? new Set(opts.classes) : undefined;
  let format = opts.format ?? formatFromName(file);
  if (!format) {
    // Sniff the first line.
    for await (const { text } of readTextLines(file, opts)) {
      format = text.startsWith('>') ? 'fasta' : text.includes('\t') ? 'tsv' : 'csv';
      break;
    }
  }
  const fmt: LabelledFormat = format ?? 'csv';
  const read = fmt === 'fasta' ? await readLabelledFasta(file, opts, errors, allowed) : await readTable(file, fmt === 'tsv' ? '\t' : ',', opts, errors, allowed);
  if (read.records.length === 0 && errors.count === 0) {
    throw new InputError({ file, code: 'empty-file', problem: 'the file holds no labelled sequences' });
  }
  const classes = opts.classes ? [...opts.classes] : classOrder(read.records.map((r) => r.label));
  const index = new Map(classes.map((c, i) => [c, i]));
  const classCounts: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  const records: LabelledSequence[] = read.records.map((r) => {
    classCounts[r.label] = (classCounts[r.label] ?? 0) + 1;
    return { ...(r.id !== undefined && { id: r.id }), sequence: r.sequence, label: r.label, labelIndex: index.get(r.label)!, line: r.line };
  });
  let summary = errors.summary(read.linesRead);
  summary += `; ${records.length} sequences in ${classes.length} classes (${classes.map((c) => `${c}: ${classCounts[c]}`).join(', ')})`;
  return {
    file,
    format: fmt,
    records,
    classes,
    classCounts,
    ...(read.header && { header: read.header }),
    linesRead: read.linesRead,
    errors: errors.errors,
    errorCount: errors.count,
    summary,
  };
}
