// Chromosome names in annotation files versus the genome: checks shared by the BED and GFF3
// readers, and the "did you mean chr1 for 1?" suggestion (UCSC names 'chr1', 'chrM'; Ensembl and
// NCBI names '1', 'MT').
import { formatBp } from '../../shared/bp';

/** Sequence name -> length; a Map, a plain object, or anything with the FastaReader's shape. */
export type ChromSizes = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export function toSizeMap(sizes: ChromSizes): ReadonlyMap<string, number> {
  return sizes instanceof Map ? sizes : new Map(Object.entries(sizes as Record<string, number>));
}

const MITO = ['chrM', 'MT', 'chrMT', 'M', 'mt', 'mito', 'Mito'];

// RefSeq/GenBank accessions with or without their version ('NC_000913.3' vs 'NC_000913').
const ACCESSION = /^([A-Z]{1,2}_?[0-9]+)(\.[0-9]+)?$/;

/** Names the same chromosome may go by in the other naming style. */
export function alternativeNames(name: string): string[] {
  const out: string[] = [];
  if (MITO.includes(name)) out.push(...MITO.filter((m) => m !== name));
  if (/^chr/i.test(name)) out.push(name.slice(3));
  else out.push(`chr${name}`);
  return out;
}

/** Sequence name -> the FASTA header's text after the name, for names the header mentions. */
export type ChromDescriptions = ReadonlyMap<string, string>;

// Words of a header description: '>chr NC_000913.3 Escherichia coli ..., complete genome'.
const WORD_SPLIT = /[\s,;|()[\]]+/;
// 'chromosome I', 'chromosome 2', 'chromosome X' in NCBI/Ensembl headers (-> 'chrI', 'I', 'chr2', ...).
const CHROMOSOME_WORD = /\bchromosome[\s:]+([A-Za-z0-9]+)\b/i;
const MITO_HEADER = /\bmitochondri(on|al)\b/i;

/** The one genome sequence whose header description names `name` (as a word, an accession, or 'chromosome N'). */
function describedIn(name: string, descriptions: ChromDescriptions | undefined): string | undefined {
  if (!descriptions || descriptions.size === 0) return undefined;
  const acc = ACCESSION.exec(name);
  const bare = name.replace(/^chr/i, '').toLowerCase();
  const hits: string[] = [];
  for (const [seq, text] of descriptions) {
    if (!text) continue;
    const words = text.split(WORD_SPLIT).filter(Boolean);
    const byWord = words.some((w) => w === name || (acc !== null && ACCESSION.exec(w)?.[1] === acc[1]));
    const chrom = CHROMOSOME_WORD.exec(text)?.[1]?.toLowerCase();
    const byChromosome = chrom !== undefined && chrom === bare;
    const byMito = MITO.includes(name) && MITO_HEADER.test(text);
    if (byWord || byChromosome || byMito) hits.push(seq);
  }
  // Only an unambiguous match: two sequences mentioning the same name say nothing.
  return hits.length === 1 ? hits[0] : undefined;
}

type AliasKind = 'style' | 'version' | 'header';

/**
 * The genome name `name` probably means, and why: a naming-style alias ('chr1' <-> '1'), the same
 * accession without/with a version, or a sequence whose FASTA header mentions it.
 */
function aliasOf(name: string, genome: ReadonlyMap<string, number>, descriptions?: ChromDescriptions): { hit: string; kind: AliasKind } | undefined {
  const hit = alternativeNames(name).find((alt) => genome.has(alt));
  if (hit !== undefined) return { hit, kind: 'style' };
  const acc = ACCESSION.exec(name);
  if (acc) {
    for (const g of genome.keys()) {
      const other = ACCESSION.exec(g);
      if (other && other[1] === acc[1]) return { hit: g, kind: 'version' };
    }
  }
  const described = describedIn(name, descriptions);
  return described !== undefined && genome.has(described) ? { hit: described, kind: 'header' } : undefined;
}

export interface ChromMapping {
  /** File name -> genome name. */
  mapping: Record<string, string>;
  /** For the user: e.g. "the file uses Ensembl-style names ('1', 'MT'); the genome uses UCSC-style ('chr1', 'chrM')". */
  description: string;
  /** File names for which no genome name was found even with the mapping. */
  unmapped: string[];
}

/**
 * For names of a file that the genome lacks, finds genome names they probably mean (adding or
 * dropping 'chr', chrM <-> MT, an accession's version, or a name the FASTA header mentions).
 * Undefined when nothing maps.
 */
export function suggestChromMapping(unknown: Iterable<string>, genome: ReadonlyMap<string, number>, knownUsed = 0, descriptions?: ChromDescriptions): ChromMapping | undefined {
  const names = [...unknown];
  // One sequence in the genome, one chromosome name in the file (e.g. the demo's 'K-12-MG1655' and
  // NCBI's 'NC_000913.3'): almost surely the same molecule under two names.
  if (names.length === 1 && knownUsed === 0 && genome.size === 1) {
    const [only] = genome.keys();
    const from = names[0]!;
    const alias = aliasOf(from, genome, descriptions);
    if (alias === undefined || alias.kind === 'header') {
      const why = alias ? `its FASTA header mentions '${from}'` : 'probably the same one under another name';
      return {
        mapping: { [from]: only! },
        description: `the file names its only chromosome '${from}' and the genome has one sequence, '${only}': ${why}; renaming fixes 1 name: '${from}' -> '${only}'`,
        unmapped: [],
      };
    }
  }
  const mapping: Record<string, string> = {};
  const unmapped: string[] = [];
  let added = 0;
  let dropped = 0;
  let header = 0;
  for (const name of names) {
    const alias = aliasOf(name, genome, descriptions);
    if (alias === undefined) {
      unmapped.push(name);
      continue;
    }
    mapping[name] = alias.hit;
    if (alias.kind === 'header') header++;
    else if (alias.hit.startsWith('chr') && !name.startsWith('chr')) added++;
    else if (name.startsWith('chr')) dropped++;
  }
  const pairs = Object.entries(mapping);
  if (pairs.length === 0) return undefined;
  const examples = pairs.slice(0, 3).map(([a, b]) => `'${a}' -> '${b}'`).join(', ');
  const style =
    header === pairs.length
      ? "the genome's FASTA headers name the file's chromosomes (e.g. an accession or 'chromosome I' after the sequence name)"
      : added === 0 && dropped === 0
        ? header > 0
          ? "the file and the genome write the same names differently (an accession with and without its version, or a name from the genome's FASTA headers)"
          : 'the file and the genome write the same names differently (e.g. an accession with and without its version)'
        : added >= dropped
          ? "the file uses Ensembl/NCBI-style names (e.g. '1', 'MT') while the genome uses UCSC-style names ('chr1', 'chrM')"
          : "the file uses UCSC-style names (e.g. 'chr1', 'chrM') while the genome uses Ensembl/NCBI-style names ('1', 'MT')";
  const rest = unmapped.length ? `; ${unmapped.length} name(s) still unmatched: ${unmapped.slice(0, 5).join(', ')}` : '';
  return { mapping, description: `${style}; renaming fixes ${pairs.length} name(s): ${examples}${rest}`, unmapped };
}

/** Tracks unknown chromosome names while reading, for the per-line message and the final hint. */
export class ChromChecker {
  private readonly sizes: ReadonlyMap<string, number> | undefined;
  readonly unknown = new Map<string, number>(); // name -> first line
  private readonly known = new Set<string>(); // genome names the file used
  private readonly declared = new Map<string, number>(); // lengths the file states (##sequence-region)
  private readonly rename: Readonly<Record<string, string>>;
  private readonly descriptions: ChromDescriptions | undefined;

  constructor(sizes: ChromSizes | undefined, rename: Readonly<Record<string, string>> = {}, descriptions?: ChromDescriptions) {
    this.sizes = sizes ? toSizeMap(sizes) : undefined;
    this.rename = rename;
    this.descriptions = descriptions;
  }

  /** The name after the caller's renaming (e.g. a mapping the user accepted). */
  name(raw: string): string {
    return this.rename[raw] ?? raw;
  }

  /** Length of `name` in the genome; undefined when unknown (or no genome given: then `null`). */
  length(name: string): number | undefined | null {
    if (!this.sizes) return null;
    const n = this.sizes.get(name);
    if (n !== undefined) this.known.add(name);
    return n;
  }

  /** Problem text for an unknown name, with the alternative when the genome has it. */
  unknownProblem(name: string, line: number): string {
    if (!this.unknown.has(name)) this.unknown.set(name, line);
    const alias = this.sizes ? aliasOf(name, this.sizes, this.descriptions) : undefined;
    const only = this.sizes?.size === 1 ? [...this.sizes.keys()][0] : undefined;
    const hint = alias
      ? alias.kind === 'header'
        ? ` (the FASTA header of the genome's '${alias.hit}' mentions it: apply the suggested renaming)`
        : ` (the genome has '${alias.hit}': the names differ in style; apply the suggested renaming)`
      : only !== undefined
        ? ` (the genome's only sequence is '${only}': map the name to it if they are the same)`
        : '';
    return `chromosome '${name}' is not in the genome${hint}`;
  }

  /** A length the file itself states for one of its names (GFF3 `##sequence-region name 1 N`). */
  declare(rawName: string, length: number): void {
    this.declared.set(rawName, length);
  }

  suggestion(): ChromMapping | undefined {
    return this.sizes && this.unknown.size ? suggestChromMapping(this.unknown.keys(), this.sizes, this.known.size, this.descriptions) : undefined;
  }

  /**
   * When the file states lengths (GFF3 ##sequence-region) that differ from the genome's for the
   * names it is read against (as renamed, or as the suggestion would rename them): probably another
   * assembly, whose positions need not match (the demo's U00096.2-length K-12-MG1655 vs NCBI's NC_000913.3).
   */
  assemblyWarning(suggested: Readonly<Record<string, string>> = {}): string | undefined {
    if (!this.sizes) return undefined;
    const differ: string[] = [];
    for (const [raw, declared] of this.declared) {
      const target = this.rename[raw] ?? suggested[raw] ?? raw;
      const actual = this.sizes.get(target);
      if (actual !== undefined && actual !== declared) differ.push(`the file says '${raw}' is ${formatBp(declared)} but the genome's '${target}' is ${formatBp(actual)}`);
    }
    if (differ.length === 0) return undefined;
    const more = differ.length > 1 ? ` (and ${differ.length - 1} more)` : '';
    return `${differ[0]}${more}: probably another assembly, so positions may not match. Import against the genome the annotation was made on, or map the names only if you know the positions agree.`;
  }
}
