// BED reader (BED3 to BED12, plain or gzipped): coordinates are 0-based, half-open, as in the file.
// Columns 4-12 are parsed by @gmod/bed; this module adds what it leaves out: comment/track/browser
// and header lines, coordinate and chromosome checks against the genome, and per-line errors
// collected (up to `maxErrors`) with a summary, so a user can fix the whole file at once.
import BED from '@gmod/bed';
import { resolve } from 'node:path';
import { ErrorCollector, InputError, type ProblemGroup } from './errors';
import { readTextLines } from './io';
import type { LongCallOptions } from './progress';
import { ChromChecker } from './chroms';
import type { ChromDescriptions, ChromMapping, ChromSizes } from './chroms';
import { formatBp } from '../../shared/bp';

export interface BedRecord {
  chrom: string;
  /** 0-based, inclusive. */
  start: number;
  /** 0-based, exclusive. */
  end: number;
  name?: string;
  score?: number;
  strand?: '+' | '-' | '.';
  /** BED12 columns and any extra columns, as @gmod/bed parsed them (thickStart, blockSizes, ...). */
  extra?: Record<string, unknown>;
  /** 1-based line in the file. */
  line: number;
}

export interface ReadBedOptions extends LongCallOptions {
  /** The genome's sequence lengths: names and ends are checked against them when given. */
  chromSizes?: ChromSizes;
  /** File name -> genome name, applied before the checks (e.g. an accepted ChromMapping). */
  rename?: Readonly<Record<string, string>>;
  /** The genome's FASTA header descriptions: a name a header mentions is suggested as a renaming. */
  chromDescriptions?: ChromDescriptions;
  /** Stop collecting (not counting) errors after this many; default 100. */
  maxErrors?: number;
}

export interface BedReadResult {
  file: string;
  records: BedRecord[];
  /** Most columns seen on a data line (3 = BED3 ... 12 = BED12). */
  columns: number;
  /** Column names, when the first data line was a header. */
  header?: string[];
  linesRead: number;
  errors: InputError[];
  errorCount: number;
  summary: string;
  /** When chromosome names are missing from the genome but a renaming would fix them. */
  errorGroups: ProblemGroup[];
  /** Chromosome names of the file that the genome lacks (after renaming), in order of appearance. */
  unknownChroms: string[];
  chromMapping?: ChromMapping;
}

const INT = /^[+-]?\d+$/;
const KNOWN_KEYS = new Set(['chrom', 'chromStart', 'chromEnd', 'name', 'score', 'strand', 'uniqueId']);

function isDirective(text: string): boolean {
  return text.startsWith('#') || /^(track|browser)(\s|$)/.test(text);
}

/** Parses a coordinate column; returns the number or the problem. */
function coordinate(raw: string, what: string): number | string {
  if (!INT.test(raw)) return `${what} '${raw}' is not a whole number`;
  const n = Number(raw);
  if (n < 0) return `${what} is negative (${raw})`;
  if (!Number.isSafeInteger(n)) return `${what} ${raw} is too large`;
  return n;
}

/**
 * Reads a BED file. Throws InputError only for file-level problems (missing, empty, binary,
 * truncated gzip); line problems are collected in `errors` and those lines are left out.
 */
export async function readBed(path: string, opts: ReadBedOptions = {}): Promise<BedReadResult> {
  const file = resolve(path);
  const errors = new ErrorCollector(file, opts.maxErrors ?? 100);
  const chroms = new ChromChecker(opts.chromSizes, opts.rename, opts.chromDescriptions);
  const parser = new BED();
  const records: BedRecord[] = [];
  let header: string[] | undefined;
  let columns = 0;
  let linesRead = 0;
  let sawData = false;

  for await (const { text, line } of readTextLines(file, opts)) {
    linesRead = line;
    if (text.trim() === '' || isDirective(text)) continue;
    let fields = text.split('\t');
    if (fields.length < 3 && /\s/.test(text.trim())) fields = text.trim().split(/\s+/); // space-separated BED
    if (!sawData) {
      sawData = true;
      const looksLikeHeader = fields.length >= 3 && !INT.test(fields[1]!) && !INT.test(fields[2]!) && /^[A-Za-z_]/.test(fields[1]!);
      if (looksLikeHeader) {
        header = fields;
        continue;
      }
    }
    if (fields.length < 3) {
      const csv = text.includes(',') ? ' (this line looks comma-separated; BED columns are separated by tabs)' : '';
      errors.add({ line, code: 'too-few-columns', problem: `expected at least 3 columns (chrom, start, end), found ${fields.length}${csv}` });
      continue;
    }
    const chrom = chroms.name(fields[0]!);
    const start = coordinate(fields[1]!, 'start');
    const end = coordinate(fields[2]!, 'end');
    if (typeof start === 'string' || typeof end === 'string') {
      for (const p of [start, end]) if (typeof p === 'string') errors.add({ line, code: 'bad-coordinate', problem: p });
      continue;
    }
    if (start > end) {
      errors.add({ line, code: 'bad-range', problem: `start ${start} is after end ${end}` });
      continue;
    }
    const length = chroms.length(chrom);
    if (length === undefined) {
      errors.add({ line, code: 'unknown-chromosome', problem: chroms.unknownProblem(chrom, line) });
      continue;
    }
    if (length !== null && end > length) {
      errors.add({ line, code: 'beyond-chromosome', problem: `end ${end} is beyond the end of '${chrom}' (${formatBp(length)})` });
      continue;
    }
    const strandRaw = fields[5];
    if (strandRaw !== undefined && strandRaw !== '+' && strandRaw !== '-' && strandRaw !== '.') {
      errors.add({ line, code: 'bad-field', problem: `strand (column 6) must be '+', '-' or '.', found '${strandRaw}'` });
      continue;
    }
    columns = Math.max(columns, Math.min(fields.length, 12));
    const rec: BedRecord = { chrom, start, end, line };
    if (fields.length > 3) {
      const f = parser.parseLine(fields);
      if (typeof f.name === 'string' && f.name !== '.') rec.name = f.name;
      if (typeof f.score === 'number' && Number.isFinite(f.score)) rec.score = f.score;
      if (strandRaw) rec.strand = strandRaw;
      const extra = Object.fromEntries(Object.entries(f).filter(([k]) => !KNOWN_KEYS.has(k)));
      if (Object.keys(extra).length) rec.extra = extra;
    }
    records.push(rec);
  }
  if (!sawData) {
    throw new InputError({ file, code: 'empty-file', problem: 'the file holds no BED lines (only blank, comment, track or browser lines)' });
  }
  const chromMapping = chroms.suggestion();
  let summary = errors.summary(linesRead);
  if (chromMapping) summary += `. Chromosome names: ${chromMapping.description}`;
  return {
    file,
    records,
    columns,
    ...(header && { header }),
    linesRead,
    errors: errors.errors,
    errorCount: errors.count,
    errorGroups: errors.groups,
    unknownChroms: [...chroms.unknown.keys()],
    summary,
    ...(chromMapping && { chromMapping }),
  };
}
