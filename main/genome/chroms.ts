// Chromosome names in annotation files versus the genome: checks shared by the BED and GFF3
// readers, and the "did you mean chr1 for 1?" suggestion (UCSC names 'chr1', 'chrM'; Ensembl and
// NCBI names '1', 'MT').

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

/** The genome name `name` probably means: a naming-style alias or the same accession without/with a version. */
function aliasIn(name: string, genome: ReadonlyMap<string, number>): string | undefined {
  const hit = alternativeNames(name).find((alt) => genome.has(alt));
  if (hit !== undefined) return hit;
  const acc = ACCESSION.exec(name);
  if (!acc) return undefined;
  for (const g of genome.keys()) {
    const other = ACCESSION.exec(g);
    if (other && other[1] === acc[1]) return g;
  }
  return undefined;
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
 * dropping 'chr', chrM <-> MT). Undefined when nothing maps.
 */
export function suggestChromMapping(unknown: Iterable<string>, genome: ReadonlyMap<string, number>, knownUsed = 0): ChromMapping | undefined {
  const names = [...unknown];
  // One sequence in the genome, one chromosome name in the file (e.g. the demo's 'K-12-MG1655' and
  // NCBI's 'NC_000913.3'): almost surely the same molecule under two names.
  if (names.length === 1 && knownUsed === 0 && genome.size === 1) {
    const [only] = genome.keys();
    const from = names[0]!;
    if (aliasIn(from, genome) === undefined) {
      return {
        mapping: { [from]: only! },
        description: `the file names its only chromosome '${from}' and the genome has one sequence, '${only}': probably the same one under another name; renaming fixes 1 name: '${from}' -> '${only}'`,
        unmapped: [],
      };
    }
  }
  const mapping: Record<string, string> = {};
  const unmapped: string[] = [];
  let added = 0;
  let dropped = 0;
  for (const name of names) {
    const hit = aliasIn(name, genome);
    if (hit === undefined) {
      unmapped.push(name);
      continue;
    }
    mapping[name] = hit;
    if (hit.startsWith('chr') && !name.startsWith('chr')) added++;
    else if (name.startsWith('chr')) dropped++;
  }
  const pairs = Object.entries(mapping);
  if (pairs.length === 0) return undefined;
  const examples = pairs.slice(0, 3).map(([a, b]) => `'${a}' -> '${b}'`).join(', ');
  const style =
    added === 0 && dropped === 0
      ? 'the file and the genome write the same names differently (e.g. an accession with and without its version)'
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

  constructor(sizes: ChromSizes | undefined, rename: Readonly<Record<string, string>> = {}) {
    this.sizes = sizes ? toSizeMap(sizes) : undefined;
    this.rename = rename;
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
    const alt = this.sizes ? aliasIn(name, this.sizes) : undefined;
    const only = this.sizes?.size === 1 ? [...this.sizes.keys()][0] : undefined;
    const hint = alt
      ? ` (the genome has '${alt}': the names differ in style; apply the suggested renaming)`
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
    return this.sizes && this.unknown.size ? suggestChromMapping(this.unknown.keys(), this.sizes, this.known.size) : undefined;
  }

  /**
   * When the file states lengths (GFF3 ##sequence-region) that differ from the genome's for the
   * names it is read against (as renamed, or as the suggestion would rename them): probably another
   * assembly, whose positions need not match (the demo's U00096.2-length K-12-MG1655 vs NCBI's NC_000913.3).
   */
  assemblyWarning(suggested: Readonly<Record<string, string>> = {}): string | undefined {
    if (!this.sizes) return undefined;
    const n = (x: number) => x.toLocaleString('en-US');
    const differ: string[] = [];
    for (const [raw, declared] of this.declared) {
      const target = this.rename[raw] ?? suggested[raw] ?? raw;
      const actual = this.sizes.get(target);
      if (actual !== undefined && actual !== declared) differ.push(`the file says '${raw}' is ${n(declared)} bp but the genome's '${target}' is ${n(actual)} bp`);
    }
    if (differ.length === 0) return undefined;
    const more = differ.length > 1 ? ` (and ${differ.length - 1} more)` : '';
    return `${differ[0]}${more}: probably another assembly, so positions may not match. Import against the genome the annotation was made on, or map the names only if you know the positions agree.`;
  }
}
