// Inline SVG charts for reports: line charts with axes, ticks and a legend. Hand-written (a few
// dozen lines) because the charting libraries in the app (recharts) need a DOM and React, and a
// report must be a static file a reviewer opens anywhere. Curves are thinned to a bounded number of
// points before drawing (a run of 100,000 steps must not make a 100 MB file); the figures in the
// tables are never thinned.
import { esc } from './html';

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  name: string;
  points: readonly Point[];
  color?: string;
  dashed?: boolean;
  /** Dots at each point (sparse series such as dev evaluations). */
  dots?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Fixed axis ranges (ROC/PR: [0, 1]); default: the data's. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** A dashed reference line, e.g. the diagonal of a ROC plot. */
  reference?: [Point, Point];
  /** A labelled vertical line across the plot, e.g. a threshold. */
  marker?: { x: number; label: string };
}

export const PALETTE = ['#1c6fb8', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d'];

/** At most `max` points: the first, the last and, per bucket, the lowest and highest y (so spikes stay visible). */
export function thin(points: readonly Point[], max = 400): Point[] {
  if (points.length <= max) return [...points];
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const inner = points.slice(1, -1);
  const size = inner.length / buckets;
  const out: Point[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(inner.length, Math.floor((b + 1) * size));
    if (to <= from) continue;
    let lo = inner[from]!;
    let hi = inner[from]!;
    for (let i = from + 1; i < to; i++) {
      const p = inner[i]!;
      if (p.y < lo.y) lo = p;
      if (p.y > hi.y) hi = p;
    }
    if (lo === hi) out.push(lo);
    else out.push(...(lo.x <= hi.x ? [lo, hi] : [hi, lo]));
  }
  out.push(points[points.length - 1]!);
  return out;
}

/** Round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10000) return `${(v / 1000).toFixed(0)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return String(Number(v.toFixed(2)));
  return String(Number(v.toPrecision(2)));
}

function domain(values: number[], fixed?: [number, number]): [number, number] {
  if (fixed) return fixed;
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const W = o.width ?? 480;
  const H = o.height ?? 280;
  const drawn = series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length]!, points: thin(s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))) }));
  // The legend sits in rows between the title and the plot, never over the data.
  const named = drawn.filter((s) => s.name);
  const legendWidth = (s: { name: string }) => 30 + Math.min(s.name.length, 28) * 6.2;
  const legendRows: (typeof named)[] = [];
  let rowWidth = Infinity;
  for (const s of named) {
    if (rowWidth + legendWidth(s) > W - 70) {
      legendRows.push([]);
      rowWidth = 0;
    }
    legendRows.at(-1)!.push(s);
    rowWidth += legendWidth(s);
  }
  const m = { l: 58, r: 14, t: 30 + legendRows.length * 15, b: 44 };
  const all = drawn.flatMap((s) => s.points);
  const [x0, x1] = domain(all.map((p) => p.x), o.xDomain);
  const [y0, y1] = domain(all.map((p) => p.y), o.yDomain);
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.t + ph - ((y - y0) / (y1 - y0)) * ph;
  const f = (v: number) => v.toFixed(1);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}">`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${m.l}" y="17" font-size="13" font-weight="600" fill="#1b1f24">${esc(o.title)}</text>`);
  for (const t of ticks(y0, y1)) {
    const y = f(sy(t));
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#e9ecef"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y}" font-size="10.5" text-anchor="end" dominant-baseline="middle" fill="#5c6670">${tickLabel(t)}</text>`);
  }
  const wholeX = all.length > 0 && all.every((p) => Number.isInteger(p.x)); // steps: no tick at 2.5
  for (const t of ticks(x0, x1).filter((v) => !wholeX || Number.isInteger(v))) {
    const x = f(sx(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.t + ph}" y2="${m.t + ph + 4}" stroke="#868e96"/>`);
    parts.push(`<text x="${x}" y="${m.t + ph + 16}" font-size="10.5" text-anchor="middle" fill="#5c6670">${tickLabel(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#adb5bd"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 8}" font-size="11.5" text-anchor="middle" fill="#1b1f24">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" font-size="11.5" text-anchor="middle" fill="#1b1f24">${esc(o.yLabel)}</text>`);
  if (o.reference) {
    const [a, b] = o.reference;
    parts.push(`<line x1="${f(sx(a.x))}" y1="${f(sy(a.y))}" x2="${f(sx(b.x))}" y2="${f(sy(b.y))}" stroke="#adb5bd" stroke-dasharray="4 4"/>`);
  }
  if (o.marker && o.marker.x >= x0 && o.marker.x <= x1) {
    const x = f(sx(o.marker.x));
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.t}" y2="${m.t + ph}" stroke="#c92a2a" stroke-width="1.4" stroke-dasharray="5 3"/>`);
    const right = sx(o.marker.x) > m.l + pw * 0.7;
    parts.push(`<text x="${right ? Number(x) - 4 : Number(x) + 4}" y="${m.t + 12}" font-size="10.5" text-anchor="${right ? 'end' : 'start'}" fill="#c92a2a">${esc(o.marker.label)}</text>`);
  }
  for (const s of drawn) {
    if (s.points.length === 0) continue;
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${f(sx(p.x))} ${f(sy(p.y))}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`);
    if (s.dots || s.points.length === 1) for (const p of s.points) parts.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="2.6" fill="${s.color}"/>`);
  }
  legendRows.forEach((row, r) => {
    let x = m.l;
    const y = 30 + r * 15;
    for (const s of row) {
      parts.push(`<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`);
      parts.push(`<text x="${x + 23}" y="${y}" font-size="10.5" dominant-baseline="middle" fill="#1b1f24">${esc(s.name.length > 28 ? `${s.name.slice(0, 27)}…` : s.name)}</text>`);
      x += legendWidth(s);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

export function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${caption}</figcaption></figure>`;
}
