// loci finetune: fine-tune a project's model on one of its datasets, with a progress bar (Ctrl-C
// pauses, a second Ctrl-C cancels), then the test metrics and the saved model. The run is the same
// one the Train page shows (training.start); --detach leaves it running in a background `loci`.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Estimate, ModelDefaults, RunDetail, RunSummary } from '../../../shared/contract/training';
import { classSkew, defaultClassWeights } from '../../../shared/class-weights';
import { notLearning, type DevPoint } from '../../../shared/learning-check';
import { waitForRun } from '../../api/training';
import { formatEta } from '../../jobs/index';
import { formatLocus } from '../../../shared/locus';
import { judgeRun } from '../../../shared/run-verdict';
import { defineCommand, UsageError, type CliOption, type CliRun } from '../command';
import { keyValues, printJson, table } from '../format';
import { followJob } from '../progress';
import { resolveDataset } from './dataset';
import { resolveModel } from './models';

const NAME = 'finetune';

export const projectOption: Record<string, CliOption> = {
  project: { type: 'string', short: 'p', value: 'PATH', description: 'the project file (.loci)' },
};

export function projectOf(run: CliRun, command: string): string {
  const p = run.values.project;
  if (typeof p !== 'string' || !p) throw new UsageError(`loci ${command} needs --project PATH (the .loci file)`, command);
  return resolve(p);
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function number(values: CliRun['values'], name: string, integer: boolean): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'}, got ${JSON.stringify(v)}`, NAME);
  }
  return n;
}

/** The command line's settings; the contract checks the ranges and names the field that is wrong. */
function settingsOf(values: CliRun['values']): Record<string, unknown> {
  const mode = str(values.mode);
  if (mode !== undefined && !['full', 'lora', 'probe'].includes(mode)) throw new UsageError(`--mode must be full, lora or probe, got "${mode}"`, NAME);
  const weights = str(values['class-weights']);
  if (weights !== undefined && !['none', 'balanced'].includes(weights)) throw new UsageError(`--class-weights must be none or balanced, got "${weights}"`, NAME);
  const lora = { rank: number(values, 'lora-rank', true), alpha: number(values, 'lora-alpha', false), dropout: number(values, 'lora-dropout', false) };
  const anyLora = Object.values(lora).some((v) => v !== undefined);
  if (anyLora && mode !== 'lora') throw new UsageError('--lora-rank/--lora-alpha/--lora-dropout need --mode lora', NAME);
  const settings: Record<string, unknown> = {
    mode,
    lr: number(values, 'lr', false),
    batchSize: number(values, 'batch', true),
    accumulate: number(values, 'accumulate', true),
    epochs: number(values, 'epochs', false),
    maxSteps: number(values, 'max-steps', true),
    evalEvery: number(values, 'eval-every', true),
    maxLength: number(values, 'max-length', true),
    classWeights: weights,
    earlyStoppingPatience: number(values, 'patience', true),
    seed: number(values, 'seed', true),
    backend: str(values.backend),
    ...(mode === 'lora' && { lora: Object.fromEntries(Object.entries(lora).filter(([, v]) => v !== undefined)) }),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/** --settings FILE: every training setting as JSON (a report's reproduce section writes one, since
 * some settings have no flag); training.start checks each field, flags given override the file. */
function settingsFile(values: CliRun['values']): Record<string, unknown> {
  const file = str(values.settings);
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (e) {
    throw new UsageError(`--settings ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, NAME);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--settings ${file}: not JSON (${(e as Error).message})`, NAME);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--settings ${file}: must hold one JSON object of training settings, such as {"lr": 0.0005}`, NAME);
  return parsed as Record<string, unknown>;
}

/** The model's defaults under what the command line gave; --epochs alone means epochs, not the default step count. */
export function withModelDefaults(given: Record<string, unknown>, d: ModelDefaults): Record<string, unknown> {
  const s = d.settings;
  const fromModel: Record<string, unknown> = { lr: s.lr, batchSize: s.batchSize, epochs: s.epochs, weightDecay: s.weightDecay, maxSteps: s.maxSteps, warmupSteps: s.warmupSteps, evalEvery: s.evalEvery };
  if (given.epochs !== undefined && given.maxSteps === undefined) delete fromModel.maxSteps;
  const merged = { ...fromModel, ...given };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}

const SETTING_LABELS: Record<string, [string, string]> = {
  lr: ['learning rate', 'lr'],
  batchSize: ['batch', 'batch'],
  maxSteps: ['steps', 'max-steps'],
  epochs: ['epochs', 'epochs'],
  warmupSteps: ['warm-up steps', ''],
  evalEvery: ['dev evaluation every', 'eval-every'],
  weightDecay: ['weight decay', ''],
};

/** Why the run weighs its classes, for the terminal. */
function describeSkew(counts: Readonly<Record<string, number>>): string {
  return `Class weights: balanced (the training split's classes are ${Math.round(classSkew(counts))} to 1; --class-weights none to turn this off)`;
}

/** Which defaults the run takes and where they come from (the settings given on the command line are left out). */
export function describeDefaults(given: Record<string, unknown>, d: ModelDefaults): string {
  const used = withModelDefaults(given, d);
  const parts = Object.entries(SETTING_LABELS)
    .filter(([k]) => given[k] === undefined && used[k] !== undefined && !(k === 'epochs' && used.maxSteps !== undefined))
    .map(([k, [label]]) => `${label} ${String(used[k])}`);
  if (!parts.length) return 'Settings: all given on the command line';
  const other = new Set(Object.entries(d.sources).filter(([k, v]) => v !== d.source && given[k] === undefined).map(([k]) => k));
  return `Defaults: ${parts.join(', ')}\n  from ${d.source}${other.size ? `\n  (${[...other].join(', ')}: ${d.sources[[...other][0]!]})` : ''}`;
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

/** The end of a run, for people: how it ended, the test metrics with the confusion matrix, the saved model. */
export function describeRunEnd(run: RunDetail): string {
  const lines: string[] = [];
  const took = run.endedAt ? ` (created ${run.createdAt.slice(0, 19).replace('T', ' ')}, ended ${run.endedAt.slice(0, 19).replace('T', ' ')})` : '';
  lines.push(`Run ${run.id} "${run.name}": ${run.state}${took}`);
  if (run.state === 'failed' && run.error) lines.push(`Error: ${run.error}`);
  if (run.step !== null) lines.push(`Steps: ${run.step}${run.totalSteps ? `/${run.totalSteps}` : ''}${run.bestStep !== null ? `; best dev loss ${fmt(run.bestDevLoss, 4)} at step ${run.bestStep}` : ''}`);
  if (run.throughput.tokensPerSecond !== null || run.throughput.secondsPerEpoch !== null) {
    lines.push(
      `Throughput: ${run.throughput.tokensPerSecond !== null ? `${Math.round(run.throughput.tokensPerSecond).toLocaleString('en-US')} tokens/s` : 'n/a'}` +
        (run.throughput.secondsPerEpoch !== null ? `, ${formatEta(run.throughput.secondsPerEpoch)} per epoch` : '') +
        (run.backend ? ` on ${run.backend}` : ''),
    );
  }
  const t = run.test;
  if (t) {
    const n = t.confusion.flat().reduce((a, b) => a + b, 0);
    lines.push('', `Test set (${n.toLocaleString('en-US')} examples, checkpoint of the lowest dev loss):`);
    lines.push(
      keyValues([
        ['MCC', fmt(t.mcc)],
        ['F1 (macro)', fmt(t.f1Macro)],
        ['Accuracy', fmt(t.accuracy)],
        ['Precision', fmt(t.precisionMacro)],
        ['Recall', fmt(t.recallMacro)],
        ['AUROC', fmt(t.auroc)],
        ['AUPRC', fmt(t.auprc)],
      ])
        .split('\n')
        .map((l) => '  ' + l)
        .join('\n'),
    );
    lines.push('', 'Confusion matrix (rows: true class, columns: predicted):');
    lines.push(
      table(
        ['', ...run.classNames],
        t.confusion.map((row, i) => [run.classNames[i] ?? String(i), ...row.map(String)]),
      )
        .split('\n')
        .map((l) => '  ' + l)
        .join('\n'),
    );
    const verdict = judgeRun(t, run.classNames, run.mode);
    if (verdict) lines.push('', `Warning: ${verdict.title}.`, ...verdict.findings.map((f) => `  ${f}`), 'What to try:', ...verdict.advice.map((a) => `  - ${a}`));
    const wrong = run.mostWrong.filter((w) => w.label !== w.predicted).slice(0, 5);
    if (wrong.length) {
      lines.push('', 'Test examples the model gets most wrong:');
      lines.push(
        table(
          ['#', 'LOCUS', 'LABEL', 'LABELLED AS', 'PREDICTED', 'CONFIDENCE'],
          wrong.map((w) => [String(w.index), w.locus ? formatLocus(w.locus) : '(not from the genome)', w.label, w.origin ?? '', w.predicted, `${(w.confidence * 100).toFixed(1)}%`]),
        )
          .split('\n')
          .map((l) => '  ' + l)
          .join('\n'),
      );
    }
  } else if (run.state === 'done') lines.push('No test split: no test metrics.');
  else if (run.state === 'cancelled') lines.push('Cancelled before its test: no test metrics.');
  if (run.retrain && t) lines.push('', ...beforeAfter(run.retrain, t));
  if (run.outputModelId) lines.push('', `Saved model: id ${run.outputModelId} ("${run.name}")`);
  return lines.join('\n');
}

/** A retraining's test metrics next to the run it continued. */
function beforeAfter(r: NonNullable<RunDetail['retrain']>, after: NonNullable<RunDetail['test']>): string[] {
  const b = r.before;
  const row = (label: string, x: number | null | undefined, y: number | null | undefined): string[] => [label, fmt(x), fmt(y), x === null || x === undefined || y === null || y === undefined ? '' : `${y - x >= 0 ? '+' : ''}${(y - x).toFixed(3)}`];
  return [
    `Before/after retraining with annotations (before: run ${r.parentRunId} "${r.parentName}"; ${r.sameTestSet ? 'the same test set' : 'NOT the same test set: annotations were put in test too'}):`,
    ...table(['', 'BEFORE', 'AFTER', 'CHANGE'], [row('MCC', b?.mcc, after.mcc), row('F1 (macro)', b?.f1Macro, after.f1Macro), row('Accuracy', b?.accuracy, after.accuracy), row('AUROC', b?.auroc, after.auroc)])
      .split('\n')
      .map((l) => '  ' + l),
    `  Dataset changes: ${r.changes}`,
  ];
}

/** The wizard's estimate step, for the terminal: the total with its likely range, each phase, memory, how it was measured. */
export function describeEstimate(e: Estimate): string {
  const rows: [string, string][] = [
    ['Total', `about ${formatEta(e.seconds)}${e.range ? ` (probably ${formatEta(e.range.low)} to ${formatEta(e.range.high)})` : ''}`],
    ...(e.phases ?? []).map((p, i): [string, string] => [`Phase ${i + 1}`, `${p.label}: about ${formatEta(p.seconds)}`]),
    ['Peak memory', `${(e.peakMemoryBytes / 2 ** 30).toFixed(2)} GB`],
    ['Backend', e.backend],
    ['Max tokens', e.maxLength.toLocaleString('en-US')],
    ['Measured', e.basis],
  ];
  return [keyValues(rows), ...e.warnings.map((w) => `Warning: ${w}`)].join('\n');
}

const EXIT: Record<string, number> = { done: 0, failed: 1, cancelled: 1, paused: 130, interrupted: 130 };

/** Prints the not-learning warning once, when the run's dev evaluations (arriving on run.metrics) stay at chance. */
function watchLearning(run: CliRun, project: string, started: RunSummary): () => void {
  const ctx = run.context();
  const dev: DevPoint[] = [];
  let context: { lr: number; parameters: number | null } | null = null;
  let warned = false;
  const listener = (e: { project: string; runId: number; step: number; split: string; values: Record<string, number> }) => {
    if (warned || e.runId !== started.id || e.split !== 'dev' || e.values.loss === undefined) return;
    dev.push({ step: e.step, loss: e.values.loss, mcc: e.values.mcc ?? null });
    void (async () => {
      if (!context) {
        const detail = await run.call('training.get', { project, runId: started.id });
        const model = detail.modelId === null ? null : await run.call('models.get', { project, id: detail.modelId }).catch(() => null);
        context = { lr: detail.settings.lr, parameters: model?.shape.parameters ?? null };
      }
      const w = notLearning(dev, { numClasses: started.classNames.length, lr: context.lr, parameters: context.parameters });
      if (!w || warned) return;
      warned = true;
      const text = `warning: ${w.message}\n${w.suggestions.map((x) => `  - ${x}`).join('\n')}`;
      if (run.json) run.io.out(JSON.stringify({ event: 'not-learning', ...w }));
      else run.io.err(text);
    })().catch(() => {});
  };
  return ctx.bus.on('run.metrics', listener);
}

/** Shows a started (or resumed) run's progress to its end and prints how it ended; returns the exit code. */
export async function followRun(run: CliRun, project: string, started: RunSummary): Promise<number> {
  const ctx = run.context();
  if (!run.json) run.io.out(`Run ${started.id} "${started.name}" (job ${started.jobId}): ${started.mode} fine-tuning; Ctrl-C pauses it, twice cancels`);
  // A terminal gets the redrawn bar; anything else (a pipe, a log file, a test) plain lines through io.
  const output = run.json ? { write: () => {} } : process.stdout.isTTY ? process.stdout : { write: (text: string) => run.io.out(text.replace(/\n$/, '')) };
  const stopWatching = watchLearning(run, project, started);
  try {
    if (started.jobId) await followJob(ctx, project, started.jobId, { output, showLog: run.values.quiet !== true && !run.json, label: 'fine-tune' });
  } finally {
    stopWatching();
  }
  await waitForRun(ctx, project, started.id);
  const detail = await run.call('training.get', { project, runId: started.id });
  run.io.out(run.json ? printJson(detail) : describeRunEnd(detail));
  if (!run.json && (detail.state === 'paused' || detail.state === 'interrupted')) run.io.out(`Continue it with: loci runs resume ${detail.id} --project ${project}`);
  return EXIT[detail.state] ?? 1;
}

/** The same command line without --detach, for the background process. */
function childArgs(values: CliRun['values']): string[] {
  const args = [NAME];
  for (const [k, v] of Object.entries(values)) {
    if (k === 'detach' || k === 'json' || k === 'data-dir' || v === undefined || v === false) continue;
    if (v === true) args.push(`--${k}`);
    else args.push(`--${k}`, v);
  }
  return args;
}

async function detach(run: CliRun, project: string): Promise<number> {
  const ctx = run.context();
  const logDir = join(ctx.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `finetune-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const fd = openSync(logPath, 'a');
  const script = process.argv[1];
  if (!script || !existsSync(script)) throw new Error('--detach needs to know how loci was started (process.argv[1]); run it through bin/loci.js');
  const child = spawn(process.execPath, [...process.execArgv, script, ...childArgs(run.values), '--quiet', '--data-dir', ctx.dataDir], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  child.unref();
  // Wait for the background process to say which run it started (or why it could not).
  for (let i = 0; i < 600; i++) {
    const text = readFileSync(logPath, 'utf8');
    const m = /^Run (\d+) "(.*)" \(job (\S+)\)/m.exec(text);
    if (m) {
      const info = { runId: m[1], jobId: m[3], pid: child.pid, log: logPath };
      run.io.out(run.json ? printJson(info) : `Run ${m[1]} "${m[2]}" continues in the background (pid ${child.pid}); log: ${logPath}\nFollow it with: loci runs show ${m[1]} --project ${project}`);
      return 0;
    }
    if (exited !== null) {
      run.io.err(text.trim());
      return exited || 1;
    }
    await sleep(100);
  }
  run.io.err(`The background fine-tuning did not start within a minute; see ${logPath}`);
  return 1;
}

export const finetune = defineCommand({
  name: NAME,
  summary: "Fine-tune a project's model on one of its datasets, then print the test metrics",
  options: {
    ...projectOption,
    dataset: { type: 'string', short: 'd', value: 'ID|NAME', description: 'the dataset (its id or exact name)' },
    model: { type: 'string', short: 'm', value: 'ID|NAME', description: 'the model to start from (its id or exact name)' },
    name: { type: 'string', value: 'TEXT', description: 'a name for the run (default "<model> on <dataset>")' },
    mode: { type: 'string', value: 'full|lora|probe', description: 'what trains: every weight, LoRA adapters, or a linear probe (default full)' },
    lr: { type: 'string', value: 'LR', description: "peak learning rate (default: the model's, printed with where it comes from)" },
    batch: { type: 'string', value: 'N', description: "examples per batch (default: the model's)" },
    accumulate: { type: 'string', value: 'N', description: 'batches per optimizer step (default 1)' },
    epochs: { type: 'string', value: 'N', description: "passes over the training set (default: the model's steps or epochs)" },
    'max-steps': { type: 'string', value: 'N', description: 'stop after N optimizer steps (overrides --epochs)' },
    'eval-every': { type: 'string', value: 'N', description: 'evaluate on dev every N steps (default min(200, a tenth of the run))' },
    'max-length': { type: 'string', value: 'N', description: 'tokens per sequence (default: 99th percentile of the training set)' },
    'class-weights': { type: 'string', value: 'none|balanced', description: 'weigh the loss by inverse class frequency (default: balanced when the training classes are 2 to 1 or more, else none)' },
    patience: { type: 'string', value: 'N', description: 'stop after N evaluations without a lower dev loss (default: never)' },
    seed: { type: 'string', value: 'N', description: 'seed of the data order and new weights (default 42)' },
    'lora-rank': { type: 'string', value: 'R', description: 'LoRA rank (default 8; with --mode lora)' },
    'lora-alpha': { type: 'string', value: 'A', description: 'LoRA alpha (default 16)' },
    'lora-dropout': { type: 'string', value: 'P', description: 'LoRA dropout (default 0.05)' },
    backend: { type: 'string', value: 'NAME', description: 'auto|tfjs-node-gpu|tfjs-node|wasm|cpu (default auto)' },
    settings: { type: 'string', value: 'FILE', description: "every setting as JSON (a report's reproduce section writes one); flags given override it" },
    estimate: { type: 'boolean', description: 'only say how long the run would take and how much memory it needs (measured here), then stop' },
    detach: { type: 'boolean', description: 'start the run in a background process and return at once' },
    quiet: { type: 'boolean', short: 'q', description: "don't show the run's log lines" },
  },
  async run(run) {
    const project = projectOf(run, NAME);
    const dataset = str(run.values.dataset);
    const model = str(run.values.model);
    if (!dataset) throw new UsageError('loci finetune needs --dataset ID|NAME', NAME);
    if (!model) throw new UsageError('loci finetune needs --model ID|NAME', NAME);
    const given = { ...settingsFile(run.values), ...settingsOf(run.values) };
    if (run.values.detach === true && run.values.estimate !== true) return detach(run, project);
    // The API takes ids (as datasets.* and models.* do); people may type a name.
    const ds = await resolveDataset(run, project, dataset, NAME);
    const datasetId = ds.id;
    const modelId = (await resolveModel(run, project, model, NAME)).id;
    const defaults = await run.call('training.modelDefaults', { project, modelId });
    const settings = withModelDefaults(given, defaults);
    // As the Train wizard: a skewed training split gets balanced class weights unless they were given.
    let weightsNote = '';
    if (given.classWeights === undefined && defaultClassWeights(ds.splits.train.classCounts) === 'balanced') {
      settings.classWeights = 'balanced';
      weightsNote = describeSkew(ds.splits.train.classCounts);
    }
    if (run.values.estimate === true) {
      // The estimate is for the run that would start: the model's defaults filled in, as below.
      const e = await run.call('training.estimate', { project, datasetId, modelId, settings: settings as never });
      return run.io.out(run.json ? printJson(e) : [describeDefaults(given, defaults), weightsNote, describeEstimate(e)].filter(Boolean).join('\n'));
    }
    if (!run.json) run.io.out([describeDefaults(given, defaults), weightsNote].filter(Boolean).join('\n'));
    const started = await run.call('training.start', {
      project,
      datasetId,
      modelId,
      settings: settings as never,
      ...(str(run.values.name) && { name: str(run.values.name) }),
    });
    return followRun(run, project, started);
  },
});
