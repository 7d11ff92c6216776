// GFF3 reader (plain or gzipped). Lines are parsed one at a time with @gmod/gff's feature-line
// parser, so every error keeps its line number and memory holds only the features asked for
// (its stream API buffers whole feature graphs and drops line numbers).
// GFF3 is 1-based and closed [start, end]; every feature returned here is converted to BED's
// 0-based half-open [start - 1, end), the coordinates the rest of Loci uses.
import { util as gffUtil } from '@gmod/gff';
import { resolve } from 'node:path';
import { ErrorCollector, InputError, type ProblemGroup } from './errors';
import { readTextLines } from './io';
import type { LongCallOptions } from './progress';
import { ChromChecker } from './chroms';
import type { ChromDescriptions, ChromMapping, ChromSizes } from './chroms';
import { formatBp } from '../../shared/bp';

export interface GffFeature {
  chrom: string;
  /** 0-based inclusive (GFF3 start - 1). */
  start: number;
  /** 0-based exclusive (= GFF3 end). */
  end: number;
  type: string;
  strand: '+' | '-' | '.' | '?';
  source?: string;
  score?: number;
  phase?: string;
  id?: string;
  name?: string;
  /** All attributes (values are lists, as in GFF3). */
  attributes: Record<string, string[]>;
  /** 1-based line in the file. */
  line: number;
}

export interface ReadGffOptions extends LongCallOptions {
  /** Keep only these feature types (e.g. ['gene', 'CDS', 'tRNA']); all when absent. */
  types?: readonly string[];
  chromSizes?: ChromSizes;
  rename?: Readonly<Record<string, string>>;
  /** The genome's FASTA header descriptions: a name a header mentions is suggested as a renaming. */
  chromDescriptions?: ChromDescriptions;
  maxErrors?: number;
}

export interface GffReadResult {
  file: string;
  features: GffFeature[];
  /** Every type in the file (also those not kept) -> number of feature lines. */
  typeCounts: Record<string, number>;
  linesRead: number;
  errors: InputError[];
  errorCount: number;
  summary: string;
  errorGroups: ProblemGroup[];
  /** Chromosome names of the file that the genome lacks (after renaming), in order of appearance. */
  unknownChroms: string[];
  chromMapping?: ChromMapping;
  /** The file's ##sequence-region lengths differ from the genome's (see ChromChecker.assemblyWarning). */
  assemblyWarning?: string;
}

const INT = /^\d+$/;

/**
 * Reads GFF3 features. Throws InputError only for file-level problems; line problems are
 * collected. Stops at a `##FASTA` section (sequences embedded in the GFF are not features).
 */
export async function readGff(path: string, opts: ReadGffOptions = {}): Promise<GffReadResult> {
  const file = resolve(path);
  const errors = new ErrorCollector(file, opts.maxErrors ?? 100);
  const chroms = new ChromChecker(opts.chromSizes, opts.rename, opts.chromDescriptions);
  const wanted = opts.types ? new Set(opts.types) : undefined;
  const features: GffFeature[] = [];
  const typeCounts: Record<string, number> = {};
  let linesRead = 0;
  let sawFeature = false;

  for await (const { text, line } of readTextLines(file, opts)) {
    linesRead = line;
    if (text.startsWith('##FASTA') || text.startsWith('>')) break;
    const region = /^##sequence-region\s+(\S+)\s+(\d+)\s+(\d+)/.exec(text);
    if (region) chroms.declare(region[1]!, Number(region[3]) - Number(region[2]) + 1);
    if (text.trim() === '' || text.startsWith('#')) continue;
    const cols = text.split('\t');
    if (cols.length !== 9) {
      const spaces = cols.length < 9 && / {2,}|\S \S+ \S/.test(text) ? ' (GFF3 columns are separated by tabs, not spaces)' : '';
      errors.add({ line, code: 'too-few-columns', problem: `expected 9 tab-separated columns, found ${cols.length}${spaces}` });
      continue;
    }
    sawFeature = true;
    const [, , typeRaw, startRaw, endRaw, , strandRaw] = cols as [string, string, string, string, string, string, string];
    typeCounts[typeRaw] = (typeCounts[typeRaw] ?? 0) + 1;
    if (wanted && !wanted.has(typeRaw)) continue;
    if (!INT.test(startRaw) || !INT.test(endRaw)) {
      const bad = !INT.test(startRaw) ? ['start', startRaw] : ['end', endRaw];
      const neg = bad[1]!.startsWith('-') ? ' (negative)' : '';
      errors.add({ line, code: 'bad-coordinate', problem: `${bad[0]} '${bad[1]}' is not a positive whole number${neg}` });
      continue;
    }
    const start1 = Number(startRaw);
    const end1 = Number(endRaw);
    if (start1 < 1) {
      errors.add({ line, code: 'bad-coordinate', problem: 'start is 0, but GFF3 positions start at 1 (is this a 0-based BED-style file?)' });
      continue;
    }
    if (start1 > end1) {
      errors.add({ line, code: 'bad-range', problem: `start ${start1} is after end ${end1}` });
      continue;
    }
    if (!['+', '-', '.', '?'].includes(strandRaw)) {
      errors.add({ line, code: 'bad-field', problem: `strand (column 7) must be '+', '-', '.' or '?', found '${strandRaw}'` });
      continue;
    }
    let parsed: ReturnType<typeof gffUtil.parseFeature>;
    try {
      parsed = gffUtil.parseFeature(text);
    } catch (e) {
      errors.add({ line, code: 'bad-field', problem: `cannot parse the attributes (${(e as Error).message}); check the %-escapes` });
      continue;
    }
    const chrom = chroms.name(parsed.seq_id ?? '');
    const length = chroms.length(chrom);
    if (length === undefined) {
      errors.add({ line, code: 'unknown-chromosome', problem: chroms.unknownProblem(chrom, line) });
      continue;
    }
    if (length !== null && end1 > length) {
      errors.add({ line, code: 'beyond-chromosome', problem: `end ${end1} is beyond the end of '${chrom}' (${formatBp(length)})` });
      continue;
    }
    const attributes = (parsed.attributes ?? {}) as Record<string, string[]>;
    const f: GffFeature = { chrom, start: start1 - 1, end: end1, type: typeRaw, strand: strandRaw as GffFeature['strand'], attributes, line };
    if (parsed.source) f.source = parsed.source;
    if (parsed.score !== null && Number.isFinite(parsed.score)) f.score = parsed.score;
    if (parsed.phase) f.phase = parsed.phase;
    if (attributes.ID?.[0]) f.id = attributes.ID[0];
    const name = attributes.Name?.[0] ?? attributes.gene?.[0] ?? attributes.locus_tag?.[0];
    if (name) f.name = name;
    features.push(f);
  }
  if (!sawFeature) {
    if (errors.count > 0) throw errors.noneReadable('a GFF3 feature');
    throw new InputError({ file, code: 'empty-file', problem: 'the file holds no GFF3 feature lines' });
  }
  const chromMapping = chroms.suggestion();
  let summary = errors.summary(linesRead);
  if (chromMapping) summary += `. Chromosome names: ${chromMapping.description}`;
  const assemblyWarning = chroms.assemblyWarning(chromMapping?.mapping);
  if (assemblyWarning) summary += `. Warning: ${assemblyWarning}`;
  return { file, features, typeCounts, linesRead, errors: errors.errors, errorCount: errors.count, errorGroups: errors.groups, unknownChroms: [...chroms.unknown.keys()], summary, ...(chromMapping && { chromMapping }), ...(assemblyWarning && { assemblyWarning }) };
}

/** Feature types present with their counts, most common first. */
export async function listGffTypes(path: string, opts: LongCallOptions = {}): Promise<{ type: string; count: number }[]> {
  const r = await readGff(path, { ...opts, types: [] });
  return Object.entries(r.typeCounts)
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

export interface PointRegion {
  chrom: string;
  /** 0-based. */
  start: number;
  /** start + 1 */
  end: number;
  strand: '+' | '-' | '.';
  name?: string;
  /** 1-based line of the feature it came from. */
  line: number;
}

/**
 * Start sites (the TSS of genes/transcripts, the start codon end of CDS) as 1-bp regions:
 * the first base of a + (or unstranded) feature, the last base of a - feature.
 * Features with strand '?' are skipped: their start is unknown.
 */
export function startSites(features: readonly GffFeature[]): PointRegion[] {
  const out: PointRegion[] = [];
  for (const f of features) {
    if (f.strand === '?') continue;
    const pos = f.strand === '-' ? f.end - 1 : f.start;
    out.push({ chrom: f.chrom, start: pos, end: pos + 1, strand: f.strand, ...(f.name !== undefined && { name: f.name }), line: f.line });
  }
  return out;
}
