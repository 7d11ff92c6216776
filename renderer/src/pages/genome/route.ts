// Where the Genome view is, kept in the address so "Show in genome view" links, a reload and the
// back button work: `#/genome?locus=chr1:1001-2000&genome=2&scan=4`. The locus is igv's 1-based
// form; the page also keeps the last locus per genome in the project.
export interface GenomeRoute {
  locus?: string;
  genomeId?: number;
  scanId?: number;
}

export function parseGenomeRoute(hash: string): GenomeRoute {
  const [page, query = ''] = hash.replace(/^#\/?/, '').split('?');
  if (!page?.startsWith('genome')) return {};
  const params = new URLSearchParams(query);
  const int = (name: string) => {
    const v = Number(params.get(name));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const locus = params.get('locus') ?? undefined;
  const genomeId = int('genome');
  const scanId = int('scan');
  return { ...(locus && { locus }), ...(genomeId && { genomeId }), ...(scanId && { scanId }) };
}

/** The address of the Genome view at a place; 0-based half-open coordinates become igv's 1-based locus. */
export function genomeHref(at: { chrom?: string; start?: number; end?: number; genomeId?: number | null; scanId?: number } = {}): string {
  const params = new URLSearchParams();
  if (at.chrom !== undefined) params.set('locus', at.start !== undefined && at.end !== undefined ? `${at.chrom}:${at.start + 1}-${Math.max(at.end, at.start + 1)}` : at.chrom);
  if (at.genomeId) params.set('genome', String(at.genomeId));
  if (at.scanId) params.set('scan', String(at.scanId));
  const q = params.toString();
  return q ? `#/genome?${q}` : '#/genome';
}
