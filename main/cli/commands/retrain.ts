// loci retrain: "Retrain with my annotations" from the terminal: a new version of the run's dataset
// from the genome's annotations, then a fine-tuning run from the run's model with its settings,
// followed like loci finetune, ending with the before/after test metrics.
// loci suggest: where to annotate next, from a finished scan (suggestions.list).
import { formatLocus } from '../../../shared/locus';
import { defineCommand, UsageError } from '../command';
import { printJson, table } from '../format';
import { summaryText } from './dataset';
import { followRun, projectOf, projectOption } from './finetune';
import { showProgress } from './import';
import { resolveRun } from './runs';
import { formatBp } from '../../../shared/bp';

export const retrain = defineCommand({
  name: 'retrain',
  summary: "Retrain a run's model with the genome's annotations (a new dataset version; test set unchanged unless --include-test)",
  options: {
    ...projectOption,
    run: { type: 'string', short: 'r', value: 'ID|NAME', description: 'the finished fine-tuning run to continue' },
    'include-test': { type: 'boolean', description: 'also put annotations in the test split (before/after are then on different test sets)' },
    name: { type: 'string', value: 'TEXT', description: 'name of the dataset version (default "<dataset> v<n>")' },
    check: { type: 'boolean', description: 'only say what would be used (annotations, conflicts, classes) or why it cannot start' },
    quiet: { type: 'boolean', short: 'q', description: "don't show the run's log lines" },
  },
  async run(run) {
    const project = projectOf(run, 'retrain');
    if (typeof run.values.run !== 'string') throw new UsageError('loci retrain needs --run ID|NAME (a finished fine-tuning run)', 'retrain');
    const runId = await resolveRun(run, project, run.values.run, 'retrain');
    const includeTest = run.values['include-test'] === true;
    const preview = await run.call('retrain.preview', { project, runId, includeTest });
    if (run.values.check === true) {
      if (run.json) return run.io.out(printJson(preview));
      const unknown = Object.entries(preview.unknownClasses).map(([k, v]) => `${k} (${v})`);
      run.io.out(
        [
          `Annotations: ${preview.annotations}; usable ${preview.usable}; conflicting ${preview.conflicting}${unknown.length ? `; classes the model lacks: ${unknown.join(', ')}` : ''}`,
          preview.refusal ? `Cannot retrain: ${preview.refusal}` : `Would build "${preview.datasetName}" and fine-tune run ${runId}'s model on it`,
        ].join('\n'),
      );
      return preview.refusal ? 1 : 0;
    }
    const stop = showProgress(run);
    let started;
    try {
      started = await run.call('retrain.start', { project, runId, includeTest, ...(typeof run.values.name === 'string' && { datasetName: run.values.name }) });
    } finally {
      stop();
    }
    if (!run.json) run.io.out(`Dataset version "${started.dataset.name}" (id ${started.dataset.id}) of "${started.dataset.version?.parentName}": ${started.dataset.version?.changes}\n${summaryText(started.dataset)}`);
    return followRun(run, project, started.run);
  },
});

export const suggest = defineCommand({
  name: 'suggest',
  summary: 'Regions of a finished scan where the model is least certain (or the strands disagree most): where to annotate next',
  options: {
    ...projectOption,
    scan: { type: 'string', short: 's', value: 'ID', description: 'the scan (its id: loci scans list)' },
    top: { type: 'string', short: 'n', value: 'N', description: 'how many regions (default 20)' },
    by: { type: 'string', value: 'uncertain|strands', description: 'rank by uncertainty (default) or by strand disagreement' },
    size: { type: 'string', value: 'BP', description: "region size (default: the scan's window)" },
  },
  async run(run) {
    const project = projectOf(run, 'suggest');
    const scan = run.values.scan;
    if (typeof scan !== 'string' || !/^\d+$/.test(scan)) throw new UsageError('loci suggest needs --scan ID (a whole number: loci scans list)', 'suggest');
    const int = (name: string) => {
      const v = run.values[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(v)}`, 'suggest');
      return Number(v);
    };
    const by = run.values.by ?? 'uncertain';
    if (by !== 'uncertain' && by !== 'strands') throw new UsageError(`--by must be uncertain or strands, got ${JSON.stringify(by)}`, 'suggest');
    const top = int('top') ?? 20;
    const size = int('size');
    const r = await run.call('suggestions.list', { project, scanId: Number(scan), by, top, ...(size !== undefined && { size }) });
    if (run.json) return run.io.out(printJson(r));
    if (!r.regions.length) return run.io.out(`Scan ${r.scanId} scored nothing to rank.`);
    run.io.out(`Scan ${r.scanId}, class "${r.className}": ${r.regions.length} of ${r.considered.toLocaleString('en-US')} regions of ${formatBp(r.size)}, ${by === 'strands' ? 'strands disagreeing most' : 'least certain'} first`);
    run.io.out(
      table(
        ['#', 'LOCUS', 'UNCERTAINTY', 'STRAND GAP', 'SCORE'],
        r.regions.map((g, i) => [String(i + 1), formatLocus(g), g.uncertainty.toFixed(3), g.strandGap === null ? '' : g.strandGap.toFixed(3), g.score.toFixed(3)]),
      ),
    );
  },
});
