// Variants to score: a VCF file (plain or gzipped) or variants typed as `chr:pos ref>alt`.
//
// Hand-written rather than @gmod/vcf: only the fixed columns CHROM..ALT matter here (INFO is passed
// through to the output VCF as text), and what this needs beyond splitting the columns is checks
// per line against the genome with the line number (positions, REF matching the genome, alleles),
// which @gmod/vcf does not do (it parses without validating); it is also not in the install.
//
// A file with any malformed line, unknown chromosome, or REF that differs from the genome is
// refused as a whole (every problem listed with its line). Alleles that cannot be scored (symbolic
// `<DEL>`, breakends, `*`, no ALT, longer than the model's window) are listed as skipped with their
// line and reason; the rest are split one per ALT allele.
import { resolve } from 'node:path';
import { ChromChecker, type ChromSizes } from '../genome/chroms';
import { ErrorCollector, type InputError } from '../genome/errors';
import { readTextLines } from '../genome/io';

export interface VcfVariant {
  /** 1-based line of the file (or the typed variant's number). */
  line: number;
  chrom: string;
  /** 1-based, as in the VCF. */
  pos: number;
  id: string;
  ref: string;
  alt: string;
  /** 1-based index of this ALT in its record, and how many the record has. */
  altIndex: number;
  altCount: number;
  /** QUAL, FILTER and INFO as written (for the output VCF). */
  qual: string;
  filter: string;
  info: string;
}

export interface SkippedAllele {
  line: number;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  reason: string;
}

export interface VariantList {
  file: string;
  variants: VcfVariant[];
  skipped: SkippedAllele[];
  /** The header lines (## and #CHROM) as read, for the output VCF. */
  header: string[];
  errors: InputError[];
  errorCount: number;
  linesRead: number;
}

export interface VariantCheckOptions {
  chromSizes: ChromSizes;
  /** Reads the genome (0-based, half-open) to check REF. */
  getSequence: (chrom: string, start: number, end: number) => Promise<string>;
  /** The model's window in bp: longer alleles are skipped. */
  window: number;
  maxErrors?: number;
}

const ALLELE = /^[ACGTN]+$/i;
const POS = /^\d+$/;

/** Why an ALT cannot be scored, or null when it can. */
function unsupported(ref: string, alt: string, window: number): string | null {
  if (alt === '.') return 'no alternative allele (ALT is .)';
  if (alt === '*') return "'*' (an allele deleted by an overlapping variant) has no sequence to score";
  if (/^<.*>$/.test(alt)) return `symbolic allele ${alt} has no sequence to score: only SNVs and short indels written out in bases are scored`;
  if (/[[\]]/.test(alt)) return `breakend ${alt} is a structural variant: only SNVs and short indels are scored`;
  const longest = Math.max(ref.length, alt.length);
  if (longest > window) return `${ref.length} bp REF / ${alt.length} bp ALT is longer than the model's ${window} bp window`;
  return null;
}

interface RawRecord {
  line: number;
  fields: string[];
}

async function checkRecords(file: string, raw: readonly RawRecord[], header: string[], linesRead: number, o: VariantCheckOptions): Promise<VariantList> {
  const errors = new ErrorCollector(file, o.maxErrors ?? 100);
  const chroms = new ChromChecker(o.chromSizes);
  const variants: VcfVariant[] = [];
  const skipped: SkippedAllele[] = [];
  for (const { line, fields } of raw) {
    if (fields.length < 5) {
      const hint = /\s/.test(fields.join('\t')) || fields.length === 1 ? ' (VCF columns are separated by tabs)' : '';
      errors.add({ line, code: 'too-few-columns', problem: `expected at least 5 columns (CHROM, POS, ID, REF, ALT), found ${fields.length}${hint}` });
      continue;
    }
    const [chrom, posText, id, refText, altText, qual = '.', filter = '.', info = '.'] = fields as [string, string, string, string, string, ...string[]];
    if (!POS.test(posText) || Number(posText) < 1 || !Number.isSafeInteger(Number(posText))) {
      errors.add({ line, code: 'bad-coordinate', problem: `POS '${posText}' is not a position (a whole number from 1)` });
      continue;
    }
    const pos = Number(posText);
    if (!ALLELE.test(refText)) {
      errors.add({ line, code: 'bad-field', problem: `REF '${refText}' is not a sequence of A, C, G, T, N` });
      continue;
    }
    const ref = refText.toUpperCase();
    const length = chroms.length(chrom);
    if (length === undefined) {
      errors.add({ line, code: 'unknown-chromosome', problem: chroms.unknownProblem(chrom, line) });
      continue;
    }
    if (length !== null && pos - 1 + ref.length > length) {
      errors.add({ line, code: 'beyond-chromosome', problem: `REF ${ref} at ${chrom}:${pos} runs past the end of '${chrom}' (${length} bp)` });
      continue;
    }
    const genome = (await o.getSequence(chrom, pos - 1, pos - 1 + ref.length)).toUpperCase();
    const mismatch = [...ref].some((b, i) => b !== 'N' && b !== genome[i]);
    if (mismatch) {
      errors.add({ line, code: 'ref-mismatch', problem: `REF is ${ref} but the genome has ${genome} at ${chrom}:${pos} (is the VCF for another assembly, or are positions 0-based? VCF positions start at 1)` });
      continue;
    }
    const alts = altText.split(',');
    const bad = alts.find((a) => a !== '.' && a !== '*' && !/^<.*>$/.test(a) && !/[[\]]/.test(a) && !ALLELE.test(a));
    if (bad !== undefined) {
      errors.add({ line, code: 'bad-field', problem: `ALT '${bad}' is not a sequence of A, C, G, T, N (nor a symbolic allele)` });
      continue;
    }
    alts.forEach((a, k) => {
      const alt = ALLELE.test(a) ? a.toUpperCase() : a;
      const why = unsupported(ref, alt, o.window);
      if (why) skipped.push({ line, chrom, pos, ref, alt, reason: why });
      else if (alt === ref) skipped.push({ line, chrom, pos, ref, alt, reason: 'ALT equals REF' });
      else variants.push({ line, chrom, pos, id, ref, alt, altIndex: k + 1, altCount: alts.length, qual, filter, info });
    });
  }
  return { file, variants, skipped, header, errors: errors.errors, errorCount: errors.count, linesRead };
}

/** Reads and checks a VCF (plain or gzipped). Throws InputError only for file-level problems. */
export async function readVcf(path: string, o: VariantCheckOptions & { signal?: AbortSignal }): Promise<VariantList> {
  const file = resolve(path);
  const raw: RawRecord[] = [];
  const header: string[] = [];
  let linesRead = 0;
  for await (const { text, line } of readTextLines(file, o.signal ? { signal: o.signal } : {})) {
    linesRead = line;
    if (text.trim() === '') continue;
    if (text.startsWith('#')) {
      header.push(text);
      continue;
    }
    raw.push({ line, fields: text.split('\t') });
  }
  return checkRecords(file, raw, header, linesRead, o);
}

/** Typed variants, one per entry: `chr1:12345 A>G` (1-based position, as VCF; commas in numbers allowed). */
export async function parseTypedVariants(entries: readonly string[], o: VariantCheckOptions): Promise<VariantList> {
  const raw: RawRecord[] = [];
  const errors: RawRecord[] = [];
  entries.forEach((text, i) => {
    const m = /^\s*([^\s:]+):([\d,]+)\s+([A-Za-z]+)\s*>\s*([A-Za-z,<>*.]+)\s*$/.exec(text);
    if (m) raw.push({ line: i + 1, fields: [m[1]!, m[2]!.replace(/,/g, ''), '.', m[3]!, m[4]!] });
    else errors.push({ line: i + 1, fields: [text] });
  });
  const list = await checkRecords('typed variants', raw, [], entries.length, o);
  if (errors.length) {
    const c = new ErrorCollector('typed variants', o.maxErrors ?? 100);
    for (const e of errors) c.add({ line: e.line, code: 'bad-field', problem: `'${e.fields[0]}' is not a variant: write chr:pos REF>ALT, e.g. chr1:12345 A>G` });
    for (const e of list.errors) c.add({ ...(e.line !== undefined && { line: e.line }), code: e.code, problem: e.problem });
    c.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { ...list, errors: c.errors, errorCount: c.count };
  }
  return list;
}
