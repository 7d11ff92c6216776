// A report from its sections: each builder that applies to the data adds one section, in order.
import { COMPARISON_SECTIONS } from './compare';
import { esc, page } from './html';
import { RUN_SECTIONS } from './sections';
import type { RunReportData, SectionBuilder } from './types';

function sectionsOf<D>(builders: readonly SectionBuilder<D>[], data: D): { id: string; title: string; html: string }[] {
  const out: { id: string; title: string; html: string }[] = [];
  for (const b of builders) {
    const html = b.build(data);
    if (html !== null) out.push({ id: b.id, title: b.title, html });
  }
  return out;
}

function footer(d: RunReportData): string {
  return `Made by Loci ${esc(d.software.find(([k]) => k === 'Loci')?.[1] ?? '')} on ${esc(d.generatedAt)} from the project <code>${esc(d.project.path)}</code>. Self-contained: no scripts, nothing loaded from the network.`;
}

export function runReportTitle(d: RunReportData): string {
  return `Run report: ${d.run.name}`;
}

export function renderRunReport(d: RunReportData): string {
  return page({
    title: runReportTitle(d),
    subtitle: `Run ${esc(d.run.id)} of project <b>${esc(d.project.name)}</b> · ${esc(d.run.state)} · report made ${esc(d.generatedAt)}`,
    sections: sectionsOf(RUN_SECTIONS, d),
    footer: footer(d),
  });
}

export function comparisonTitle(runs: readonly RunReportData[]): string {
  return `Comparison of runs ${runs.map((d) => d.run.id).join(', ')}`;
}

export function renderComparisonReport(runs: readonly RunReportData[]): string {
  if (runs.length < 2) throw new Error('A comparison needs at least two runs');
  return page({
    title: comparisonTitle(runs),
    subtitle: `${runs.map((d) => `<b>${esc(d.run.name)}</b>`).join(' · ')} · project <b>${esc(runs[0]!.project.name)}</b> · report made ${esc(runs[0]!.generatedAt)}`,
    sections: sectionsOf(COMPARISON_SECTIONS, runs),
    footer: footer(runs[0]!),
  });
}
