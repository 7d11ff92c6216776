// The genome section of a run report: each scan made with the run's model (settings, runtime, the
// threshold of each tracked class and where it came from, the distribution of the per-base score,
// a summary of the called regions and the strongest of them) and the command that repeats it; and
// the loci the user pinned, drawn as the Genome view shows them, with their notes.
import { formatLocus, LOCUS_CONVENTION } from '../../shared/locus';
import type { ScanInfo, ScanRegion } from '../../shared/contract/scans';
import { code, duration, esc, facts, int, note, num, pct, shellArg, table } from './html';
import { figure, lineChart } from './svg';
import { locusSvg } from './tracks';
import type { PinReport, RunReportData, ScanReport, SectionBuilder } from './types';

const TOP_REGIONS = 10;
const TOP_CHROMS = 12;

function targetText(s: ScanInfo): string {
  const t = s.target;
  switch (t.kind) {
    case 'genome':
      return 'the whole genome';
    case 'chrom':
      return `sequence ${t.chrom}`;
    case 'region':
      return formatLocus(t);
    case 'bed':
      return `the regions of ${t.path}`;
  }
}

function thresholdSource(t: ScanInfo['thresholds'][number]): string {
  switch (t.source) {
    case 'dev-mcc':
      return `chosen on the run's dev set for the best MCC (${num(t.devMcc)})`;
    case 'user':
      return 'set by the user';
    case 'default-0.5':
      return 'the default (the model has no dev set to choose one from)';
  }
}

/** `loci scan` with the flags that repeat this scan. */
export function scanCommand(project: string, s: ScanInfo): string {
  const parts = ['loci scan', '--project', shellArg(project), s.runId ? `--run ${s.runId}` : `--model ${s.modelId ?? shellArg(s.modelName)}`];
  const t = s.target;
  if (t.kind === 'chrom') parts.push('--region', shellArg(t.chrom));
  else if (t.kind === 'region') parts.push('--region', shellArg(`${t.chrom}:${t.start + 1}-${t.end}`));
  else if (t.kind === 'bed') parts.push('--bed', shellArg(t.path));
  const st = s.settings;
  parts.push('--window', String(st.window), '--stride', String(st.stride), '--strand', st.strand);
  if (st.strand === 'both') parts.push('--combine', st.combine);
  parts.push('--min-length', String(st.minRegionLength), '--batch', String(st.batchSize));
  if (s.classesOfInterest.length === 1) parts.push('--class', String(s.classesOfInterest[0]));
  parts.push('--name', shellArg(s.name));
  return parts.join(' ');
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function regionsSummary(regions: readonly ScanRegion[], scanned: number): string {
  const lengths = regions.map((r) => r.end - r.start);
  const covered = lengths.reduce((a, b) => a + b, 0);
  const out: string[] = [];
  out.push(
    facts([
      ['Called regions', int(regions.length)],
      ['Bases covered', `${int(covered)} bp (${pct(scanned ? covered / scanned : null, 2)} of the scanned bases)`],
      ['Region length', regions.length ? `${int(Math.min(...lengths))} to ${int(Math.max(...lengths))} bp, median ${int(median(lengths))} bp` : 'n/a'],
      ['Peak score', regions.length ? `median ${num(median(regions.map((r) => r.maxScore)))}, highest ${num(Math.max(...regions.map((r) => r.maxScore)))}` : 'n/a'],
    ]),
  );
  if (regions.length === 0) return out.join('\n');
  const perChrom = new Map<string, { n: number; bp: number }>();
  for (const r of regions) {
    const c = perChrom.get(r.chrom) ?? { n: 0, bp: 0 };
    c.n++;
    c.bp += r.end - r.start;
    perChrom.set(r.chrom, c);
  }
  if (perChrom.size > 1) {
    const rows = [...perChrom.entries()].sort((a, b) => b[1].n - a[1].n);
    out.push(`<h4>Regions per sequence${rows.length > TOP_CHROMS ? ` (the ${TOP_CHROMS} with most of ${rows.length})` : ''}</h4>`);
    out.push(table(['Sequence', 'Regions', 'Bases covered'], rows.slice(0, TOP_CHROMS).map(([c, v]) => [esc(c), int(v.n), int(v.bp)]), { numeric: [1, 2] }));
  }
  const top = [...regions].sort((a, b) => b.maxScore - a.maxScore || b.meanScore - a.meanScore).slice(0, TOP_REGIONS);
  out.push(`<h4>The ${top.length === regions.length ? top.length : `${top.length} highest-scoring of ${int(regions.length)}`} called regions</h4>`);
  out.push(table(['Locus', 'Length (bp)', 'Peak score', 'Mean score'], top.map((r) => [`<code>${esc(formatLocus(r))}</code>`, int(r.end - r.start), num(r.maxScore), num(r.meanScore)]), { numeric: [1, 2, 3] }));
  out.push(`<p class="muted">${esc(LOCUS_CONVENTION)} The whole list: <code>loci scans export</code> with <code>--out regions.bed</code>.</p>`);
  return out.join('\n');
}

function scanBlock(project: string, r: ScanReport, multiClass: boolean): string {
  const s = r.scan;
  const st = s.settings;
  const out: string[] = [];
  out.push(`<h3>Scan ${s.id}: ${esc(s.name)} <span class="muted">(${esc(s.state)})</span></h3>`);
  out.push(
    facts([
      ['Model', `${esc(s.modelName)}${s.modelId !== null ? ` <span class="muted">(project model ${s.modelId})</span>` : ''}`],
      ['Scanned', `${esc(targetText(s))} of ${esc(s.genomeName)}: ${int(s.bpTotal)} bp`],
      ['Windows', `${int(st.window)} bp every ${int(st.stride)} bp, ${st.strand === 'both' ? `both strands, combined by their ${st.combine}` : `${st.strand} strand only`}; ${int(st.batchSize)} windows per batch`],
      ['Per-base score', esc(st.aggregation)],
      ['Shortest region kept', `${int(st.minRegionLength)} bp`],
      ['Classes tracked', s.classesOfInterest.map((k) => esc(s.classes[k] ?? String(k))).join(', ')],
      ['Runtime', s.runtimeSeconds !== null ? `${duration(s.runtimeSeconds)} (${int(s.bpPerSecond)} bp/s) on ${esc(s.backend ?? 'n/a')}` : 'n/a'],
      ['Started', `${esc(s.createdAt)}${s.endedAt ? `, ended ${esc(s.endedAt)}` : ''}`],
    ]),
  );
  if (s.state !== 'done') {
    const why =
      s.state === 'failed'
        ? `The scan failed after ${int(s.bpDone)} of ${int(s.bpTotal)} bp${s.error ? `: ${esc(s.error)}` : ''}.`
        : s.state === 'cancelled'
          ? `The scan was cancelled after ${int(s.bpDone)} of ${int(s.bpTotal)} bp.`
          : `The scan is ${esc(s.state)} (${int(s.bpDone)} of ${int(s.bpTotal)} bp).`;
    out.push(note('warn', `${why} It has no score track and no called regions${s.state === 'failed' || s.state === 'cancelled' ? '' : ' yet'}.`));
    return out.join('\n');
  }
  for (const c of r.perClass) {
    const name = s.classes[c.classIndex] ?? String(c.classIndex);
    const t = s.thresholds.find((x) => x.classIndex === c.classIndex);
    if (multiClass || r.perClass.length > 1) out.push(`<h4>Class ${esc(name)}</h4>`);
    out.push(facts([['Threshold', t ? `${num(t.threshold, 4)}: ${esc(thresholdSource(t))}` : 'n/a']]));
    const total = c.bases.reduce((a, b) => a + b, 0);
    const bins = c.bases.length;
    if (total > 0) {
      const pts = c.bases.flatMap((n, b) => [
        { x: b / bins, y: n / total },
        { x: (b + 1) / bins, y: n / total },
      ]);
      out.push(
        `<div class="figs">${figure(
          lineChart([{ name: `${name}: share of scanned bases`, points: pts }], { title: `Score distribution: ${name}`, xLabel: `per-base score (P(${name}))`, yLabel: 'fraction of scanned bases', xDomain: [0, 1], width: 460, height: 260, ...(t && { marker: { x: t.threshold, label: `threshold ${num(t.threshold, 3)}` } }) }),
          `${int(total)} scanned bases in ${bins} score bins; ${int(c.basesAbove)} (${pct(c.basesAbove / total, 2)}) score at or above the threshold (dashed line), before regions shorter than ${int(st.minRegionLength)} bp are dropped.`,
        )}</div>`,
      );
    }
    out.push(regionsSummary(c.regions, total || s.bpTotal));
    if (c.loci?.length) {
      out.push(`<h4>The ${c.loci.length === 1 ? 'strongest region' : `${c.loci.length} strongest regions`} in the Genome view</h4>`);
      out.push(
        `<div class="figs">${c.loci
          .map((v) => figure(locusSvg(v), `<code>${esc(formatLocus({ chrom: v.chrom, start: v.focus?.start ?? v.start, end: v.focus?.end ?? v.end }))}</code> (shaded) in ${esc(formatLocus(v))}: the highest per-base score per pixel (blue), the threshold (dashed), ${v.tracks.length ? v.tracks.map((t) => esc(t.name)).join(', ') : 'no feature tracks'}.`))
          .join('')}</div>`,
      );
    }
  }
  out.push('<p>Repeat this scan:</p>');
  out.push(code(scanCommand(project, s)));
  return out.join('\n');
}

/** The loci the user pinned (Genome view's "Pin for report", loci pin add), each as the view shows it, with its note. */
function pinnedBlock(pins: readonly PinReport[]): string {
  const out: string[] = [];
  out.push(`<h3>Pinned loci</h3>`);
  out.push(`<p>${pins.length === 1 ? 'The locus' : `The ${pins.length} loci`} pinned in the Genome view, as it shows ${pins.length === 1 ? 'it' : 'them'}. ${esc(LOCUS_CONVENTION)}</p>`);
  for (const p of pins) {
    const what = p.scan ? `the per-base score of scan ${p.scan.id} (${esc(p.scan.name)}) for ${esc(p.scan.className)}: the highest per pixel (blue), the threshold (dashed); its called regions` : 'no scan of this run covers it';
    const tracks = p.view.tracks.filter((t) => !p.scan || !t.name.startsWith('Called: '));
    out.push(
      `<div class="figs pin" id="pin-${p.pin.id}">${figure(
        locusSvg(p.view),
        `<b>Pin ${p.pin.id}: <code>${esc(formatLocus(p.pin))}</code></b> (${int(p.pin.end - p.pin.start)} bp)${p.pin.note ? `: ${esc(p.pin.note)}` : ''}<br><span class="muted">${what}${tracks.length ? `; ${tracks.map((t) => esc(t.name)).join(', ')}` : ''}.</span>`,
      )}</div>`,
    );
  }
  return out.join('\n');
}

export const genomeSection: SectionBuilder<RunReportData> = {
  id: 'genome',
  title: 'Genome scans',
  build(d) {
    const pins = d.pins ?? [];
    if (d.scans.length === 0 && pins.length === 0) return null;
    const multi = d.run.classNames.length > 2;
    const intro =
      d.scans.length === 0
        ? "<p>No genome scan was made with this run's model.</p>"
        : `<p>${d.scans.length === 1 ? 'One scan was' : `${d.scans.length} scans were`} made with this run's model. A scan slides windows along the genome, scores each with the classifier, and turns overlapping windows into a per-base score; regions are the stretches at or above the threshold.</p>`;
    return [intro, ...(pins.length ? [pinnedBlock(pins)] : []), ...d.scans.map((r) => scanBlock(d.project.path, r, multi))].join('\n');
  },
};
