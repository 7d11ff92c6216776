// Genome-view images for reports: a locus drawn as static SVG from the stored data (the scan's
// per-base score, its called regions, the run's labelled regions, the dataset's labels and the
// user's annotations), so a report shows what the Genome view shows without igv.js or a browser:
// the strongest called regions of each scan, and the loci the user pinned. Scores are reduced to
// one bar per pixel column (the highest score in it), so a figure stays a few kB however many
// windows the scan had; a track draws at most 200 features and counts the rest.
import { esc, int } from './html';

export interface LocusTrackItem {
  start: number;
  end: number;
  name?: string;
  strand?: '+' | '-' | '.';
  color?: string;
}

export interface LocusView {
  chrom: string;
  /** The window drawn, 0-based half-open. */
  start: number;
  end: number;
  /** The called region this view is about (shaded); absent for a pinned locus. */
  focus?: { start: number; end: number };
  /** The class scored, its threshold and the per-base score intervals overlapping the window (bigWig records); absent where no scan covers the locus. */
  className?: string;
  threshold?: number;
  scores?: ScoreIntervals;
  /** Feature tracks (called regions, region sets, dataset labels, annotations) overlapping the window. */
  tracks: { name: string; items: readonly LocusTrackItem[]; truncated?: boolean }[];
}

export interface ScoreIntervals {
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
  values: ArrayLike<number>;
}

const MAX_ITEMS = 200;
const ROWS = 3;

/** The highest score per pixel column of [start, end) in `columns` columns (NaN where nothing was scored). */
export function columnMax(v: { start: number; end: number; scores: ScoreIntervals }, columns: number): Float64Array {
  const out = new Float64Array(columns).fill(Number.NaN);
  const span = v.end - v.start;
  const { starts, ends, values } = v.scores;
  for (let i = 0; i < starts.length; i++) {
    const s = Math.max(v.start, starts[i]!);
    const e = Math.min(v.end, ends[i]!);
    if (e <= s) continue;
    const c0 = Math.floor(((s - v.start) / span) * columns);
    const c1 = Math.min(columns - 1, Math.floor(((e - 1 - v.start) / span) * columns));
    const val = values[i]!;
    for (let c = c0; c <= c1; c++) if (!(out[c]! >= val)) out[c] = val;
  }
  return out;
}

/** One locus as an SVG: ruler (1-based), score track with the threshold, called region shaded, feature tracks. */
export function locusSvg(v: LocusView, width = 720): string {
  const m = { l: 110, r: 12 };
  const pw = width - m.l - m.r;
  const span = v.end - v.start;
  const sx = (pos: number) => m.l + ((pos - v.start) / span) * pw;
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [];
  let y = 8;
  // Ruler: 1-based positions, as the Genome view and IGV show them.
  const step = Math.max(1, 10 ** Math.floor(Math.log10(span / 4)));
  const tick = [1, 2, 5, 10].map((k) => k * step).find((s) => span / s <= 6) ?? step * 10;
  parts.push(`<text x="4" y="${y + 12}" font-size="11" font-weight="600" fill="#1b1f24">${esc(v.chrom)}</text>`);
  parts.push(`<line x1="${m.l}" x2="${width - m.r}" y1="${y + 16}" y2="${y + 16}" stroke="#868e96"/>`);
  for (let p = Math.ceil(v.start / tick) * tick; p <= v.end; p += tick) {
    const x = f(sx(p));
    parts.push(`<line x1="${x}" x2="${x}" y1="${y + 12}" y2="${y + 16}" stroke="#868e96"/><text x="${x}" y="${y + 9}" font-size="9.5" text-anchor="middle" fill="#5c6670">${int(p)}</text>`);
  }
  y += 24;
  // Score track (when a scan covers the locus).
  if (v.scores) {
    const H = 70;
    const cols = Math.max(1, Math.round(pw));
    const max = columnMax({ start: v.start, end: v.end, scores: v.scores }, cols);
    const top = y;
    if (v.focus) {
      const fx = sx(v.focus.start);
      parts.push(`<rect x="${f(fx)}" y="${top}" width="${f(Math.max(1, sx(v.focus.end) - fx))}" height="${H}" fill="#ffe8cc"/>`);
    }
    let d = '';
    for (let c = 0; c < cols; c++) {
      const val = max[c]!;
      if (!(val > 0)) continue;
      const h = Math.min(1, val) * H;
      d += `M${m.l + c} ${f(top + H)}v${f(-h)}h1v${f(h)}z`;
    }
    parts.push(`<path d="${d}" fill="#1c6fb8"/>`);
    const threshold = v.threshold ?? 0.5;
    const className = v.className ?? 'class';
    const ty = f(top + H - Math.min(1, Math.max(0, threshold)) * H);
    parts.push(`<line x1="${m.l}" x2="${width - m.r}" y1="${ty}" y2="${ty}" stroke="#c92a2a" stroke-dasharray="5 3"/>`);
    parts.push(`<rect x="${m.l}" y="${top}" width="${pw}" height="${H}" fill="none" stroke="#adb5bd"/>`);
    parts.push(`<text x="4" y="${top + 14}" font-size="10.5" fill="#1b1f24">P(${esc(className.length > 14 ? `${className.slice(0, 13)}…` : className)})</text>`);
    parts.push(`<text x="4" y="${top + 28}" font-size="9.5" fill="#5c6670">0 to 1; dashed:</text><text x="4" y="${top + 40}" font-size="9.5" fill="#c92a2a">threshold ${threshold.toFixed(3)}</text>`);
    y += H + 8;
  }
  // Feature tracks: items packed into a few rows; the rest counted.
  for (const t of v.tracks) {
    const items = t.items.slice(0, MAX_ITEMS);
    const rowEnd: number[] = [];
    let hidden = t.items.length - items.length;
    const placed: { item: LocusTrackItem; row: number }[] = [];
    for (const item of [...items].sort((a, b) => a.start - b.start)) {
      const x0 = sx(Math.max(v.start, item.start));
      let row = rowEnd.findIndex((e) => e < x0);
      if (row === -1 && rowEnd.length < ROWS) row = rowEnd.push(0) - 1;
      if (row === -1) {
        hidden++;
        continue;
      }
      const label = item.name ? item.name.length * 5.6 : 0;
      rowEnd[row] = Math.max(sx(Math.min(v.end, item.end)), x0 + label) + 3;
      placed.push({ item, row });
    }
    const rows = Math.max(1, rowEnd.length);
    parts.push(`<text x="4" y="${y + 11}" font-size="10.5" fill="#1b1f24">${esc(t.name.length > 17 ? `${t.name.slice(0, 16)}…` : t.name)}</text>`);
    if (hidden > 0 || t.truncated) parts.push(`<text x="4" y="${y + 23}" font-size="9.5" fill="#5c6670">${hidden > 0 ? `+${int(hidden)} not drawn` : 'more not drawn'}</text>`);
    for (const { item, row } of placed) {
      const x0 = sx(Math.max(v.start, item.start));
      const w = Math.max(1, sx(Math.min(v.end, item.end)) - x0);
      const ry = y + row * 20;
      parts.push(`<rect x="${f(x0)}" y="${ry + 2}" width="${f(w)}" height="9" fill="${esc(item.color ?? '#2b8a3e')}"/>`);
      const arrow = item.strand === '+' ? ' →' : item.strand === '-' ? ' ←' : '';
      if (item.name) parts.push(`<text x="${f(x0)}" y="${ry + 19}" font-size="9" fill="#1b1f24">${esc(item.name)}${arrow}</text>`);
    }
    y += rows * 20 + 6;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" role="img" aria-label="${esc(`${v.chrom}:${v.start + 1}-${v.end}`)}"><rect x="0" y="0" width="${width}" height="${y}" fill="#fff"/>${parts.join('')}</svg>`;
}
