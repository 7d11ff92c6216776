// Export lines of interpretation results: ISM as CSV (one row per position: the 4 x L table,
// combined and per strand) and bedGraph (per-base importance); variant effects as TSV and as a VCF
// with the scores in INFO fields (one line per scored ALT allele).
import { ISM_BASES } from './ism';

const num = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '' : String(Math.fround(x)));

export interface IsmExportTable {
  chrom: string;
  start: number;
  refBases: string;
  refForward: ArrayLike<number>;
  refReverse: ArrayLike<number>;
  deltaForward: ArrayLike<number>;
  deltaReverse: ArrayLike<number>;
  deltaCombined: ArrayLike<number>;
  importance: ArrayLike<number>;
  maxAbs: ArrayLike<number>;
}

export function* ismCsvLines(t: IsmExportTable): Generator<string> {
  const cols = (suffix: string) => ISM_BASES.map((b) => `${b}${suffix}`);
  yield ['chrom', 'position', 'ref', 'ref_prob_forward', 'ref_prob_reverse', ...cols(''), ...cols('_forward'), ...cols('_reverse'), 'importance', 'max_abs_change'].join(',');
  for (let i = 0; i < t.refBases.length; i++) {
    const four = (a: ArrayLike<number>) => [0, 1, 2, 3].map((b) => num(a[i * 4 + b]));
    yield [t.chrom, String(t.start + i + 1), t.refBases[i]!, num(t.refForward[i]), num(t.refReverse[i]), ...four(t.deltaCombined), ...four(t.deltaForward), ...four(t.deltaReverse), num(t.importance[i]), num(t.maxAbs[i])].join(',');
  }
}

export function* ismBedGraphLines(t: IsmExportTable, name: string): Generator<string> {
  yield `track type=bedGraph name="${name.replace(/"/g, "'")}" description="ISM importance: reference minus mean of the 3 alternatives"`;
  for (let i = 0; i < t.refBases.length; i++) if (!Number.isNaN(t.importance[i]!)) yield `${t.chrom}\t${t.start + i}\t${t.start + i + 1}\t${num(t.importance[i])}`;
}

export interface VariantExportRow {
  line: number;
  chrom: string;
  pos: number;
  id: string;
  ref: string;
  alt: string;
  qual: string;
  filter: string;
  info: string;
  refProb: number;
  altProb: number;
  diff: number;
  log2fc: number;
  refForward: number;
  refReverse: number;
  altForward: number;
  altReverse: number;
  diffForward: number;
  diffReverse: number;
  log2fcForward: number;
  log2fcReverse: number;
}

const TSV_COLUMNS: [string, (r: VariantExportRow) => string][] = [
  ['chrom', (r) => r.chrom],
  ['pos', (r) => String(r.pos)],
  ['id', (r) => r.id],
  ['ref', (r) => r.ref],
  ['alt', (r) => r.alt],
  ['ref_prob', (r) => num(r.refProb)],
  ['alt_prob', (r) => num(r.altProb)],
  ['diff', (r) => num(r.diff)],
  ['log2fc', (r) => num(r.log2fc)],
  ['ref_prob_forward', (r) => num(r.refForward)],
  ['alt_prob_forward', (r) => num(r.altForward)],
  ['diff_forward', (r) => num(r.diffForward)],
  ['log2fc_forward', (r) => num(r.log2fcForward)],
  ['ref_prob_reverse', (r) => num(r.refReverse)],
  ['alt_prob_reverse', (r) => num(r.altReverse)],
  ['diff_reverse', (r) => num(r.diffReverse)],
  ['log2fc_reverse', (r) => num(r.log2fcReverse)],
  ['vcf_line', (r) => String(r.line)],
];

export function* variantTsvLines(rows: Iterable<VariantExportRow>): Generator<string> {
  yield TSV_COLUMNS.map(([h]) => h).join('\t');
  for (const r of rows) yield TSV_COLUMNS.map(([, f]) => f(r)).join('\t');
}

const INFO: [string, string, (r: VariantExportRow) => number][] = [
  ['LOCI_REF_P', 'Reference-window probability of the class, strands combined (mean)', (r) => r.refProb],
  ['LOCI_ALT_P', 'Alternative-window probability of the class, strands combined (mean)', (r) => r.altProb],
  ['LOCI_DIFF', 'LOCI_ALT_P - LOCI_REF_P', (r) => r.diff],
  ['LOCI_LOG2FC', 'log2((LOCI_ALT_P + 1e-6) / (LOCI_REF_P + 1e-6))', (r) => r.log2fc],
  ['LOCI_DIFF_FWD', 'alt - ref probability, forward strand', (r) => r.diffForward],
  ['LOCI_DIFF_REV', 'alt - ref probability, reverse complement', (r) => r.diffReverse],
  ['LOCI_LOG2FC_FWD', 'log2 fold change, forward strand', (r) => r.log2fcForward],
  ['LOCI_LOG2FC_REV', 'log2 fold change, reverse complement', (r) => r.log2fcReverse],
];

/** The input's meta lines, Loci's INFO definitions, then one line per scored ALT allele. */
export function* variantVcfLines(header: readonly string[], rows: Iterable<VariantExportRow>, about: { model: string; className: string; window: number }): Generator<string> {
  const meta = header.filter((h) => h.startsWith('##') && !/^##INFO=<ID=LOCI_/.test(h));
  if (!meta.some((h) => h.startsWith('##fileformat='))) yield '##fileformat=VCFv4.2';
  yield* meta;
  for (const [id, desc] of INFO) yield `##INFO=<ID=${id},Number=1,Type=Float,Description="${desc}; class '${about.className.replace(/"/g, "'")}' of model '${about.model.replace(/"/g, "'")}', ${about.window} bp window centred on the variant">`;
  yield '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO';
  for (const r of rows) {
    const loci = INFO.map(([id, , f]) => `${id}=${num(f(r))}`).join(';');
    yield [r.chrom, String(r.pos), r.id, r.ref, r.alt, r.qual, r.filter, r.info === '.' || r.info === '' ? loci : `${r.info};${loci}`].join('\t');
  }
}
