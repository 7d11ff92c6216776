// The comparison report: two or more runs side by side. It states first whether the runs were
// evaluated on the same test set (same test-set fingerprint), since figures from different test
// sets are not comparable.
import { code, duration, esc, facts, int, note, num, table } from './html';
import { confusionTable, reproduceCommands, whatIsMissing } from './sections';
import { figure, lineChart, PALETTE, type Series } from './svg';
import type { RunReportData, SectionBuilder } from './types';

type Runs = readonly RunReportData[];

const label = (d: RunReportData) => `run ${d.run.id}: ${d.run.name}`;

/** Whether all runs share one test set, in words (and whether the figures may be compared). */
export function testSetStatement(runs: Runs): { same: boolean; text: string } {
  const digests = runs.map((d) => d.dataset?.testDigest ?? null);
  if (digests.some((x) => x === null)) {
    const gone = runs.filter((d) => !d.dataset).map(label);
    return { same: false, text: `The test sets cannot be compared: the dataset of ${gone.join(', ')} was removed from the project.` };
  }
  if (new Set(digests).size === 1) return { same: true, text: `All ${runs.length} runs were evaluated on the same test set (${int(runs[0]!.dataset!.summary.splits.test.sequences)} sequences of "${runs[0]!.dataset!.summary.name}", fingerprint ${digests[0]!.slice(0, 16)}…).` };
  const groups = new Map<string, string[]>();
  runs.forEach((d, i) => groups.set(digests[i]!, [...(groups.get(digests[i]!) ?? []), `${label(d)} (${d.dataset!.summary.name}, ${int(d.dataset!.summary.splits.test.sequences)} test sequences)`]));
  return { same: false, text: `The runs were NOT evaluated on the same test set, so their test figures are not directly comparable: ${[...groups.values()].map((g) => g.join(' and ')).join('; versus ')}.` };
}

const summary: SectionBuilder<Runs> = {
  id: 'summary',
  title: 'Summary',
  build(runs) {
    const st = testSetStatement(runs);
    const best = runs.reduce<RunReportData | null>((b, d) => (d.run.test && (!b || d.run.test.mcc > b.run.test!.mcc) ? d : b), null);
    return [
      note(st.same ? 'info' : 'warn', esc(st.text)),
      table(
        ['Run', 'State', 'Base model', 'Mode', 'Dataset', 'Test MCC', 'F1', 'Accuracy', 'AUROC', 'AUPRC', 'Best step', 'Wall time'],
        runs.map((d) => {
          const r = d.run;
          const t = r.test;
          const secs = r.endedAt ? (Date.parse(r.endedAt) - Date.parse(r.createdAt)) / 1000 : null;
          return [`${esc(r.id)}: ${esc(r.name)}`, esc(r.state), esc(r.modelName), esc(r.mode), esc(r.datasetName), t ? `${d === best && runs.length > 1 ? '<b>' : ''}${num(t.mcc)}${d === best && runs.length > 1 ? '</b>' : ''}` : 'n/a', num(t?.f1Macro), num(t?.accuracy), num(t?.auroc), num(t?.auprc), int(r.bestStep), duration(secs)];
        }),
        { numeric: [5, 6, 7, 8, 9, 10], className: 'wide' },
      ),
      ...runs.filter((d) => whatIsMissing(d.run)).map((d) => note('warn', `${esc(label(d))}: ${esc(whatIsMissing(d.run)!)}`)),
    ].join('\n');
  },
};

const curves: SectionBuilder<Runs> = {
  id: 'curves',
  title: 'Training curves',
  build(runs) {
    const color = (i: number) => PALETTE[i % PALETTE.length]!;
    const train: Series[] = runs.map((d, i) => ({ name: `run ${d.run.id} train`, color: color(i), points: d.run.train.map((p) => ({ x: p.step, y: p.loss })) }));
    const dev: Series[] = runs.map((d, i) => ({ name: `run ${d.run.id} dev`, color: color(i), dashed: true, dots: true, points: d.run.dev.map((p) => ({ x: p.step, y: p.loss })) }));
    const mcc: Series[] = runs.map((d, i) => ({ name: `run ${d.run.id}`, color: color(i), dots: true, points: d.run.dev.filter((p) => p.mcc !== null).map((p) => ({ x: p.step, y: p.mcc! })) }));
    if ([...train, ...dev].every((s) => s.points.length === 0)) return note('warn', 'None of these runs logged a training step.');
    return `<div class="figs">${figure(lineChart([...train, ...dev], { title: 'Loss', xLabel: 'step', yLabel: 'cross-entropy' }), 'Training loss (solid) and dev loss (dashed) of each run.')}${figure(lineChart(mcc, { title: 'Dev MCC', xLabel: 'step', yLabel: 'MCC' }), 'Dev-set MCC at each evaluation.')}</div>`;
  },
};

const evaluation: SectionBuilder<Runs> = {
  id: 'evaluation',
  title: 'Evaluation on the test set',
  build(runs) {
    const withTest = runs.filter((d) => d.run.test);
    if (withTest.length === 0) return note('warn', 'None of these runs was evaluated on its test set.');
    const out: string[] = [];
    const roc: Series[] = withTest.map((d, i) => ({ name: `run ${d.run.id} (${num(d.run.test!.auroc)})`, color: PALETTE[i % PALETTE.length], points: d.run.test!.roc }));
    const pr: Series[] = withTest.map((d, i) => ({ name: `run ${d.run.id} (${num(d.run.test!.auprc)})`, color: PALETTE[i % PALETTE.length], points: d.run.test!.pr }));
    out.push(
      `<div class="figs">${figure(lineChart(roc, { title: 'ROC curves', xLabel: 'false positive rate', yLabel: 'true positive rate', xDomain: [0, 1], yDomain: [0, 1], reference: [{ x: 0, y: 0 }, { x: 1, y: 1 }], width: 340, height: 300 }), 'AUROC in brackets.')}${figure(lineChart(pr, { title: 'Precision-recall curves', xLabel: 'recall', yLabel: 'precision', xDomain: [0, 1], yDomain: [0, 1], width: 340, height: 300 }), 'AUPRC in brackets.')}</div>`,
    );
    for (const d of withTest) {
      out.push(`<h3>${esc(label(d))}: confusion matrix</h3>`);
      out.push(confusionTable(d.run.classNames, d.run.test!.confusion));
    }
    return out.join('\n');
  },
};

const settings: SectionBuilder<Runs> = {
  id: 'settings',
  title: 'Settings that differ',
  build(runs) {
    const flat = runs.map((d) => Object.fromEntries(Object.entries(d.run.settings).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])) as Record<string, string>);
    const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
    const differ = keys.filter((k) => new Set(flat.map((f) => f[k] ?? '')).size > 1);
    const models = new Set(runs.map((d) => d.run.modelName)).size > 1;
    const rows = [...(models ? [['base model', ...runs.map((d) => esc(d.run.modelName))]] : []), ...differ.map((k) => [esc(k), ...flat.map((f) => esc(f[k] ?? 'default'))])];
    const same = keys.filter((k) => !differ.includes(k));
    return [
      rows.length ? table(['Setting', ...runs.map((d) => `run ${esc(d.run.id)}`)], rows) : '<p>All runs used the same settings and base model.</p>',
      same.length ? `<p class="muted">The same in every run: ${same.map((k) => `${esc(k)} = ${esc(flat[0]![k] ?? '')}`).join(', ')}.</p>` : '',
      facts([['Software', esc(runs[0]!.software.map(([k, v]) => `${k} ${v}`).join(', '))]]),
    ].join('\n');
  },
};

const reproduce: SectionBuilder<Runs> = {
  id: 'reproduce',
  title: 'Reproduce these runs',
  build(runs) {
    return runs.map((d) => `<h3>${esc(label(d))}</h3>${code(reproduceCommands(d))}`).join('\n');
  },
};

export const COMPARISON_SECTIONS: readonly SectionBuilder<Runs>[] = [summary, curves, evaluation, settings, reproduce];
