// The `finetune` job kind: one fine-tuning run in a worker process. Imported by main/jobs/kinds.ts;
// the engine loads only when such a job runs.
//
// The worker never touches the project file. It reads its examples from the JSON file the training
// service wrote (params.dataPath), trains with finetune() in checkpointDir/finetune (so a resumed
// job, which gets the same checkpointDir, continues from the last checkpoint), and tells the
// serving process what happens through two files in checkpointDir:
//   run-metrics.jsonl  appended as the run goes: {"t":"start","attempt","from"} at each attempt,
//                      {"t":"backend","name","summary"}, {"t":"train","step","loss","lr","tps"} (at
//                      most 5 per second, and the last step), {"t":"dev","step","loss","mcc",...}
//                      after each dev evaluation. The serving process tails it into run_metrics.
//   result.json        written once the run is done: test metrics in the contract's shape, the 20
//                      test examples it gets most wrong, throughput, best checkpoint, model folder.
// Files rather than IPC messages because the runner throttles progress (a dev evaluation must not
// be dropped) and a file survives a serving process that dies mid-run.
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestMetrics } from '../../../shared/contract/training';
import { registerLazyJobKind, type JobContext, type JobHandler } from '../../jobs/registry';
import { finetuneKind, type FinetuneJobParams, type MetricsLine, type RunDataFile, type RunResultFile } from './protocol';
import type { ClassificationMetrics } from '../metrics';
import type { DevRecord, FinetuneResult, LabelledExample, TestPrediction } from './index';

export const METRICS_FILE = finetuneKind.files.metrics;
export const RESULT_FILE = finetuneKind.files.result;
export const FINETUNE_SUBDIR = 'finetune';
export const MOST_WRONG = 20;
/** Train points written at most this often (the curve needs no more; the bar gets every step). */
const TRAIN_POINT_MS = 200;

export type { FinetuneJobParams, MetricsLine, RunDataFile, RunResultFile };

/** The engine's metrics in the contract's shape (curves of class 1: the positive class of a binary task). */
export function toTestMetrics(m: ClassificationMetrics, classNames: readonly string[]): TestMetrics {
  const curve = (curves: ClassificationMetrics['rocCurves']) => {
    const c = curves ? (curves.length === 1 ? curves[0] : curves[1]) : null;
    return (c ?? []).map((p) => ({ x: p.x, y: p.y }));
  };
  return {
    mcc: m.mcc,
    accuracy: m.accuracy,
    f1Macro: m.f1.macro,
    precisionMacro: m.precision.macro,
    recallMacro: m.recall.macro,
    auroc: m.auroc,
    auprc: m.auprc,
    perClass: classNames.map((name, k) => ({
      name,
      precision: m.precision.perClass[k] ?? 0,
      recall: m.recall.perClass[k] ?? 0,
      f1: m.f1.perClass[k] ?? 0,
      support: (m.confusion[k] ?? []).reduce((s, v) => s + v, 0),
    })),
    confusion: m.confusion.map((row) => [...row]),
    roc: curve(m.rocCurves),
    pr: curve(m.prCurves),
  };
}

function examples(rows: [string, number][]): LabelledExample[] {
  return rows.map(([sequence, label]) => ({ sequence, label }));
}

function resultFile(r: FinetuneResult, data: RunDataFile, trainExamples: number): RunResultFile {
  const example = (p: TestPrediction) => ({
    index: p.index,
    sequence: data.test[p.index]?.[0] ?? '',
    label: data.classNames[p.label] ?? String(p.label),
    predicted: data.classNames[p.predicted] ?? String(p.predicted),
    confidence: p.probabilities[p.predicted] ?? 0,
  });
  const { mostWrong } = r.testPredictions ? { mostWrong: [...r.testPredictions].sort((a, b) => b.loss - a.loss).slice(0, MOST_WRONG) } : { mostWrong: [] };
  const secondsPerEpoch = r.examplesPerSecond > 0 ? trainExamples / r.examplesPerSecond : null;
  return {
    steps: r.steps,
    totalSteps: r.totalSteps,
    bestStep: r.bestStep,
    bestDevLoss: r.bestDevLoss,
    stoppedEarly: r.stoppedEarly,
    test: r.testMetrics ? toTestMetrics(r.testMetrics, data.classNames) : null,
    mostWrong: mostWrong.map(example),
    // Lowest loss among the right answers: what the model is surest of (for reports).
    mostConfident: r.testPredictions ? r.testPredictions.filter((p) => p.predicted === p.label).sort((a, b) => a.loss - b.loss).slice(0, MOST_WRONG).map(example) : [],
    throughput: { tokensPerSecond: r.tokensPerSecond > 0 ? r.tokensPerSecond : null, secondsPerEpoch },
    modelOut: r.modelOut,
    devHistory: r.devHistory,
  };
}

registerLazyJobKind(finetuneKind, async () => {
  const [{ finetune }, { initBackend }, { readSidecar, writeJsonAtomic }] = await Promise.all([import('./finetune'), import('../backend'), import('../train/state')]);
  const handler = async (ctx: JobContext<FinetuneJobParams>) => {
    const p = ctx.params;
    const metricsPath = join(ctx.checkpointDir, METRICS_FILE);
    // Appended synchronously: a line is either whole or absent when the process is killed.
    const emit = (line: MetricsLine) => appendFileSync(metricsPath, JSON.stringify(line) + '\n');
    const dir = join(ctx.checkpointDir, FINETUNE_SUBDIR);
    const saved = await readSidecar(join(dir, 'train')).catch(() => null);
    emit({ t: 'start', attempt: ctx.attempt, from: saved?.step ?? 0 });
    const { report } = await initBackend(p.backend);
    emit({ t: 'backend', name: report.chosen, summary: report.summary });
    ctx.log(`backend: ${report.summary}`);

    let data: RunDataFile;
    try {
      data = JSON.parse(await readFile(p.dataPath, 'utf8')) as RunDataFile;
    } catch (e) {
      throw new Error(`Could not read the run's examples (${p.dataPath}): ${(e as Error).message}`);
    }

    // Dev evaluations: finetune() writes each one to dev-history.json; pick up new ones as they appear.
    const historyPath = join(dir, 'dev-history.json');
    let devLoss: number | undefined;
    let devMcc: number | undefined;
    const sentDev = new Set<number>();
    let historyStamp = '';
    const sendDev = (records: readonly DevRecord[]) => {
      for (const r of records) {
        if (sentDev.has(r.step)) continue;
        sentDev.add(r.step);
        devLoss = r.loss;
        devMcc = r.mcc;
        emit({ t: 'dev', step: r.step, loss: r.loss, mcc: r.mcc ?? null, accuracy: r.accuracy ?? null, f1: r.f1 ?? null });
      }
    };
    // On resume, evaluations up to the checkpoint were already sent by the earlier attempt.
    if (saved) for (const r of (JSON.parse(await readFile(historyPath, 'utf8').catch(() => '[]')) as DevRecord[]).filter((d) => d.step <= saved.step)) sentDev.add(r.step);
    // Synchronous and small (one record per evaluation); the file is replaced atomically, so a read sees a whole one.
    const pollHistory = () => {
      let stamp: string;
      try {
        const s = statSync(historyPath);
        stamp = `${s.mtimeMs}:${s.size}`;
        if (stamp === historyStamp) return;
        sendDev(JSON.parse(readFileSync(historyPath, 'utf8')) as DevRecord[]);
        historyStamp = stamp;
      } catch {
        // not written yet
      }
    };

    let lastTrainAt = 0;
    const result = await finetune({
      modelDir: p.modelDir,
      data: { classNames: data.classNames, train: examples(data.train), dev: examples(data.dev), test: examples(data.test) },
      options: p.options,
      checkpointDir: dir,
      outDir: p.outDir,
      resume: true,
      signal: ctx.signal,
      onLog: (line) => ctx.log(line),
      onProgress: (fp) => {
        if (fp.phase === 'train' && fp.step !== undefined) {
          pollHistory();
          const now = Date.now();
          if (now - lastTrainAt >= TRAIN_POINT_MS || fp.step === fp.totalSteps) {
            lastTrainAt = now;
            if (fp.loss !== undefined) emit({ t: 'train', step: fp.step, loss: fp.loss, lr: fp.lr ?? 0, tps: fp.tokensPerSec ?? null });
          }
          ctx.report({
            step: fp.step,
            total: fp.totalSteps,
            loss: fp.loss,
            lr: fp.lr,
            tokensPerSec: fp.tokensPerSec,
            etaSeconds: fp.etaSeconds,
            metrics: { ...(devLoss !== undefined && { devLoss }), ...(devMcc !== undefined && { devMcc }) },
          });
        } else {
          // The job's bar is the whole run, not the phase: tokenising comes before step 0 (so a run
          // cancelled then is not shown at 100%); a probe's embedding pass is most of its work and
          // its head fit the rest; testing and saving come after the last step (the bar stays full).
          const f = fp.fraction;
          const after = fp.phase === 'test' || fp.phase === 'save';
          const probe = p.options.mode === 'probe';
          const overall = after ? 1 : fp.phase === 'prepare' ? 0 : probe ? (fp.phase === 'embed' ? 0.9 * f : 0.9 + 0.1 * f) : f;
          ctx.report({ fraction: overall, message: PHASE_MESSAGE[fp.phase] });
        }
      },
    });
    sendDev(result.devHistory);
    if (result.cancelled) {
      ctx.signal.throwIfAborted();
      throw new Error('fine-tuning stopped without being asked to');
    }
    const trainExamples = data.dev.length ? data.train.length : data.train.length - Math.max(1, Math.round(data.train.length * 0.1));
    const out = resultFile(result, data, trainExamples);
    await writeJsonAtomic(join(ctx.checkpointDir, RESULT_FILE), out);
    return { steps: out.steps, bestStep: out.bestStep, testMcc: out.test?.mcc ?? null, modelOut: out.modelOut };
  };
  return handler as JobHandler;
});

const PHASE_MESSAGE: Record<string, string> = {
  prepare: 'Tokenising the examples',
  embed: 'Embedding the examples (linear probe)',
  train: 'Training',
  test: 'Testing the best checkpoint',
  save: 'Saving the fine-tuned model',
};
