// loci runs list|show|pause|resume|cancel --project P: a project's fine-tuning runs (the same runs
// the Train page shows). `resume` follows the run to its end like `loci finetune`.
import type { RunSummary } from '../../../shared/contract/training';
import { settingsRows } from '../../../shared/run-settings';
import { defineCommand, UsageError, type CliRun } from '../command';
import { keyValues, printJson, table } from '../format';
import { describeRunEnd, followRun, projectOf, projectOption } from './finetune';

const fmt = (v: number | null, digits = 3) => (v === null ? '' : v.toFixed(digits));

/** A run by id, or by its name when one run has it. */
export async function resolveRun(run: CliRun, project: string, ref: string, cmd: string): Promise<number> {
  if (/^\d+$/.test(ref)) return Number(ref);
  const all = await run.call('training.list', { project });
  const named = all.filter((r) => r.name === ref);
  if (named.length === 1) return named[0]!.id;
  const which = named.length ? `${named.length} runs are named "${ref}" (ids ${named.map((r) => r.id).join(', ')}); give the id` : `No run "${ref}" in ${project}; give its id (loci runs list)`;
  throw new UsageError(which, cmd);
}

function progressOf(r: RunSummary): string {
  return r.step !== null ? `${r.step}${r.totalSteps ? `/${r.totalSteps}` : ''}` : '';
}

export const runsList = defineCommand({
  name: 'runs list',
  summary: "A project's fine-tuning runs, newest first",
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'runs list');
    const runs = await run.call('training.list', { project });
    if (run.json) return run.io.out(printJson(runs));
    if (runs.length === 0) return run.io.out(`No fine-tuning runs in ${project} yet (start one with loci finetune)`);
    run.io.out(
      table(
        ['ID', 'STATE', 'MODE', 'STEP', 'TEST MCC', 'TEST F1', 'MODEL', 'NAME'],
        runs.map((r) => [String(r.id), r.state, r.mode, progressOf(r), fmt(r.testMcc), fmt(r.testF1), r.outputModelId === null ? '' : String(r.outputModelId), r.name]),
      ),
    );
  },
});

export const runsShow = defineCommand({
  name: 'runs show',
  summary: 'One run: settings, progress, dev evaluations, test metrics',
  args: 'RUN',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'runs show');
    const d = await run.call('training.get', { project, runId: await resolveRun(run, project, run.positionals[0]!, 'runs show') });
    if (run.json) return run.io.out(printJson(d));
    run.io.out(
      keyValues([
        ['Dataset', `${d.datasetName} (id ${d.datasetId}; classes ${d.classNames.join(', ')})`],
        ['Model', `${d.modelName} (id ${d.modelId})`],
        ['Job', d.jobId ?? '-'],
      ]),
    );
    run.io.out('\nSettings:\n' + keyValues(settingsRows(d.settings, d.backend)).split('\n').map((l) => '  ' + l).join('\n'));
    if (d.dev.length) {
      run.io.out('\nDev evaluations:');
      run.io.out(table(['STEP', 'LOSS', 'MCC', 'ACCURACY', 'F1'], d.dev.map((e) => [String(e.step), e.loss.toFixed(4), fmt(e.mcc), fmt(e.accuracy), fmt(e.f1)])));
    }
    run.io.out('\n' + describeRunEnd(d));
  },
});

export const runsPause = defineCommand({
  name: 'runs pause',
  summary: 'Pause a run at a checkpoint ("loci runs resume" continues it)',
  args: 'RUN',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'runs pause');
    const r = await run.call('training.pause', { project, runId: await resolveRun(run, project, run.positionals[0]!, 'runs pause') });
    run.io.out(run.json ? printJson(r) : `Run ${r.id}: ${r.state} (pausing: it saves a checkpoint first)`);
  },
});

export const runsCancel = defineCommand({
  name: 'runs cancel',
  summary: 'Stop a run for good (its best checkpoint so far is kept)',
  args: 'RUN',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'runs cancel');
    const r = await run.call('training.cancel', { project, runId: await resolveRun(run, project, run.positionals[0]!, 'runs cancel') });
    run.io.out(run.json ? printJson(r) : `Run ${r.id}: ${r.state === 'cancelled' ? 'cancelled' : `${r.state} (cancelling)`}`);
  },
});

export const runsResume = defineCommand({
  name: 'runs resume',
  summary: 'Continue a paused, interrupted or failed run from its last checkpoint, showing its progress',
  args: 'RUN',
  positionals: { min: 1, max: 1 },
  options: { ...projectOption, quiet: { type: 'boolean', short: 'q', description: "don't show the run's log lines" } },
  async run(run) {
    const project = projectOf(run, 'runs resume');
    const started = await run.call('training.resume', { project, runId: await resolveRun(run, project, run.positionals[0]!, 'runs resume') });
    return followRun(run, project, started);
  },
});

export const runCommands = [runsList, runsShow, runsPause, runsResume, runsCancel];
