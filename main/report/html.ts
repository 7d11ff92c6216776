// The pieces every report section is written with: escaping, number formats, tables, the page
// shell with its inline style sheet. A report is one self-contained HTML file: no script, no
// external style sheet, font or picture, so it reads the same offline, in a mail attachment, in
// the app's sandboxed preview and in Chromium's PDF printer.
import { INLINE, parseMarkdown } from '../../shared/markdown';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A figure for people: n/a for missing, fixed digits otherwise. */
export function num(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);
}

export function int(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : Math.round(v).toLocaleString('en-US');
}

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(digits)}%`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'n/a';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Cells are HTML already (escape text with esc); `numeric` right-aligns those columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], opts: { numeric?: readonly number[]; className?: string } = {}): string {
  const cls = (j: number) => (opts.numeric?.includes(j) ? ' class="n"' : '');
  return [
    `<table${opts.className ? ` class="${opts.className}"` : ''}>`,
    header.length ? `<thead><tr>${header.map((h, j) => `<th${cls(j)}>${h}</th>`).join('')}</tr></thead>` : '',
    `<tbody>${rows.map((r) => `<tr>${r.map((c, j) => `<td${cls(j)}>${c}</td>`).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('');
}

/** Two-column facts: label (text) -> value (HTML). */
export function facts(rows: readonly (readonly [string, string])[]): string {
  return `<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('\n')}</tbody></table>`;
}

export function note(kind: 'warn' | 'info', html: string): string {
  return `<p class="note ${kind}">${html}</p>`;
}

export function code(text: string): string {
  return `<pre><code>${esc(text)}</code></pre>`;
}

/** A shell argument quoted only where it needs to be. */
export function shellArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

function inlineMarkdown(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    out += esc(text.slice(last, m.index));
    if (m[2] !== undefined) out += `<em>[picture: ${esc(m[1] || m[2])}]</em>`;
    else if (m[4] !== undefined) out += `${inlineMarkdown(m[3]!)} <span class="muted">(${esc(m[4])})</span>`;
    else if (m[5] !== undefined) out += `<code>${esc(m[5])}</code>`;
    else if (m[6] !== undefined || m[7] !== undefined) out += `<strong>${inlineMarkdown(m[6] ?? m[7]!)}</strong>`;
    else out += `<em>${inlineMarkdown(m[8] ?? m[9]!)}</em>`;
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last));
}

/** A model card (or part of one) as HTML; headings shift down so they sit under the section's. */
export function markdownHtml(source: string, headingShift = 2): string {
  return parseMarkdown(source)
    .map((b) => {
      switch (b.kind) {
        case 'heading': {
          const level = Math.min(6, b.level + headingShift);
          return `<h${level}>${inlineMarkdown(b.text)}</h${level}>`;
        }
        case 'paragraph':
          return `<p>${inlineMarkdown(b.text)}</p>`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          return `<${tag}>${b.items.map((i) => `<li>${inlineMarkdown(i)}</li>`).join('')}</${tag}>`;
        }
        case 'table':
          return table(
            b.header.every((c) => c === '') ? [] : b.header.map(inlineMarkdown),
            b.rows.map((r) => r.map(inlineMarkdown)),
          );
        case 'code':
          return code(b.text);
        case 'quote':
          return `<blockquote>${inlineMarkdown(b.text)}</blockquote>`;
      }
    })
    .join('\n');
}

/**
 * The parts of a card under headings matching `pattern` (with their sub-headings), as Markdown;
 * empty when the card has none.
 */
export function cardSections(markdown: string, pattern: RegExp): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let keepLevel = 0;
  let fenced = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h = fenced ? null : /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      const level = h[1]!.length;
      if (keepLevel && level <= keepLevel) keepLevel = 0;
      if (!keepLevel && pattern.test(h[2]!)) keepLevel = level;
    }
    if (keepLevel) out.push(line);
  }
  return out.join('\n').trim();
}

const STYLE = `
:root { --ink: #1b1f24; --muted: #5c6670; --line: #d8dee4; --head: #f3f5f7; --accent: #1c6fb8; --warn: #a15c00; --warnbg: #fff6e5; --infobg: #eef5fc; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; }
header.top { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 8px; }
header.top h1 { margin: 0 0 4px; font-size: 24px; }
header.top .sub { color: var(--muted); }
nav.toc { font-size: 13px; margin: 10px 0 18px; color: var(--muted); }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: 14px; }
section { margin: 26px 0 0; break-inside: auto; }
section > h2 { font-size: 19px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin: 0 0 10px; break-after: avoid; }
h3 { font-size: 15.5px; margin: 18px 0 6px; break-after: avoid; }
h4, h5, h6 { font-size: 14px; margin: 12px 0 4px; break-after: avoid; }
p { margin: 6px 0 8px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; break-inside: auto; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
tr { break-inside: avoid; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { background: var(--head); font-weight: 600; width: 230px; }
table.summary { font-size: 14px; }
table.summary td.n { font-weight: 600; }
table.wide { width: 100%; }
table.confusion td.n { min-width: 70px; }
td.seq { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; word-break: break-all; max-width: 520px; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: 12px; break-inside: avoid; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
blockquote { border-left: 3px solid var(--line); margin: 6px 0; padding: 2px 10px; color: var(--muted); }
.muted { color: var(--muted); }
.note { padding: 8px 12px; border-radius: 4px; }
.note.warn { background: var(--warnbg); color: var(--warn); border: 1px solid #f0d29e; }
.note.info { background: var(--infobg); border: 1px solid #c6dcf2; }
.figs { display: flex; flex-wrap: wrap; gap: 14px; }
figure { margin: 4px 0 10px; break-inside: avoid; }
figcaption { font-size: 12px; color: var(--muted); max-width: 480px; }
svg text { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
footer { margin-top: 36px; border-top: 1px solid var(--line); padding-top: 8px; color: var(--muted); font-size: 12px; }
@media print { main { padding: 0; max-width: none; } nav.toc { display: none; } a { color: inherit; } }
@page { size: A4; margin: 14mm 12mm; }
`;

export interface Page {
  title: string;
  subtitle: string;
  sections: readonly { id: string; title: string; html: string }[];
  footer: string;
}

export function page(p: Page): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // The file's own policy: nothing may load, nothing may run, whoever opens it.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Loci">',
    `<title>${esc(p.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body><main>',
    `<header class="top"><h1>${esc(p.title)}</h1><div class="sub">${p.subtitle}</div></header>`,
    `<nav class="toc">${p.sections.map((s) => `<a href="#${s.id}">${esc(s.title)}</a>`).join('')}</nav>`,
    ...p.sections.map((s) => `<section id="${s.id}"><h2>${esc(s.title)}</h2>\n${s.html}\n</section>`),
    `<footer>${p.footer}</footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
