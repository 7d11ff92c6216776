// The arithmetic of the ISM heatmap (4 rows A C G T x L positions), kept free of the DOM so it is
// tested on its own: the diverging colour scale, which positions each pixel column shows at a
// zoom, and the view range kept inside the ISM region. Drawing lives in IsmHeatmap.tsx.

export const BASES = ['A', 'C', 'G', 'T'] as const;

/** A range of positions, 0-based half-open, in genome coordinates. */
export interface Span {
  start: number;
  end: number;
}

// ColorBrewer RdBu's ends and white: losses blue, gains red (the usual ISM convention), and
// colour-blind safe. Linear in RGB between white and each end: enough for a 4 x L table.
const NEG: readonly [number, number, number] = [33, 102, 172];
const POS: readonly [number, number, number] = [178, 24, 43];
const MID: readonly [number, number, number] = [247, 247, 247];

/** The colour of a change `v` on a scale symmetric around 0 that saturates at |v| = bound; null (no value) is grey. */
export function divergingColor(v: number | null, bound: number): [number, number, number] {
  if (v === null || Number.isNaN(v)) return [200, 200, 200];
  const t = bound > 0 ? Math.max(-1, Math.min(1, v / bound)) : 0;
  const end = t < 0 ? NEG : POS;
  const a = Math.abs(t);
  return [0, 1, 2].map((c) => Math.round(MID[c]! + (end[c]! - MID[c]!) * a)) as [number, number, number];
}

/** The largest |delta| of the table, so the scale is fixed while the view moves (never 0). */
export function scaleBound(delta: readonly (number | null)[]): number {
  let m = 0;
  for (const v of delta) if (v !== null && Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? m : 1e-6;
}

/**
 * For each of `width` pixel columns over `view`, the position (index into the table, 0-based from
 * the region's start) whose cell it shows. Zoomed out (more bases than pixels) a column shows, per
 * row, the strongest change of the bases under it; `pick` does that per row.
 */
export function columnPositions(view: Span, regionStart: number, width: number): { from: number; to: number }[] {
  const n = view.end - view.start;
  const out: { from: number; to: number }[] = [];
  if (width <= 0 || n <= 0) return out;
  for (let x = 0; x < width; x++) {
    const a = Math.floor((x * n) / width);
    const b = Math.max(a + 1, Math.floor(((x + 1) * n) / width));
    out.push({ from: view.start - regionStart + a, to: view.start - regionStart + b });
  }
  return out;
}

/** The strongest (largest |v|) change of a row over positions [from, to) of an L x 4 row-major table. */
export function strongest(delta: readonly (number | null)[], row: number, from: number, to: number): number | null {
  let best: number | null = null;
  for (let i = from; i < to; i++) {
    const v = delta[i * 4 + row];
    if (v === null || v === undefined) continue;
    if (best === null || Math.abs(v) > Math.abs(best)) best = v;
  }
  return best;
}

/** The view clamped to the region, at least `minBases` wide (or the whole region when smaller). */
export function clampView(view: Span, region: Span, minBases = 20): Span {
  const total = region.end - region.start;
  let n = Math.min(total, Math.max(minBases, Math.round(view.end - view.start)));
  if (n <= 0) n = total;
  let start = Math.round(view.start);
  start = Math.max(region.start, Math.min(region.end - n, start));
  return { start, end: start + n };
}

/** Zoom by `factor` (< 1 in, > 1 out) around `centre` (a genome position), within the region. */
export function zoomView(view: Span, region: Span, factor: number, centre = (view.start + view.end) / 2): Span {
  const n = (view.end - view.start) * factor;
  const left = (centre - view.start) / Math.max(1, view.end - view.start);
  return clampView({ start: centre - n * left, end: centre - n * left + n }, region);
}

/** Shift the view by `bases` (negative: left), within the region. */
export function panView(view: Span, region: Span, bases: number): Span {
  return clampView({ start: view.start + bases, end: view.end + bases }, region);
}

/** The part of igv's locus that lies in the region, or null when they do not overlap. */
export function viewFromLocus(locus: { chr: string; start: number; end: number }, region: { chrom: string } & Span): Span | null {
  if (locus.chr !== region.chrom || locus.end <= region.start || locus.start >= region.end) return null;
  return clampView({ start: Math.max(region.start, locus.start), end: Math.min(region.end, locus.end) }, region);
}
