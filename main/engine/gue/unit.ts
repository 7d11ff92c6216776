// One unit of a GUE benchmark: one model (or its from-scratch twin) fine-tuned on one task with one
// seed, in the papers' protocol: train on train.csv, keep the lowest-dev-loss checkpoint, score it on
// test.csv. Runs in a worker process (unit-worker.ts) so that two units can train side by side.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../backend';
import { findTokenizerFiles, readModelConfig, saveModelFolder } from '../checkpoint/folder';
import { finetune, type FinetuneProgress } from '../finetune/finetune';
import type { FinetuneOptions } from '../finetune/options';
import { createModel } from '../model/index';
import { writeJsonAtomic } from '../train/state';
import type { BackendPreference } from '../../../shared/contract/system';
import { readGueTask, type GueTask } from './tasks';

export const UNIT_RESULT = 'result.json';

export interface GueUnitSpec {
  /** "<model>/<task>/seed-<n>", also the unit's folder under the output folder. */
  key: string;
  task: GueTask;
  /** The label in the tables ("loci-bpe-mini", "loci-bpe-mini (scratch)"). */
  model: string;
  /** The pre-trained folder; for a from-scratch twin, the folder whose architecture and tokenizer it copies. */
  modelDir: string;
  scratch: boolean;
  seed: number;
  options: FinetuneOptions;
  backend: BackendPreference;
  /** The unit's folder (checkpoints, the twin's initial weights, result.json). */
  dir: string;
}

export interface GueUnitResult {
  key: string;
  task: string;
  model: string;
  scratch: boolean;
  seed: number;
  metric: 'mcc' | 'f1';
  /** The task's metric on test, x 100 (the papers' scale). */
  score: number;
  testMcc: number;
  testF1: number;
  testAccuracy: number;
  bestStep: number | null;
  bestDevLoss: number | null;
  /** Dev MCC of the kept checkpoint (what defaults are chosen on; never test). */
  devMcc: number | null;
  steps: number;
  seconds: number;
  /** The 1-minute load average when the unit started and when it ended (a runtime from a loaded machine says little); absent in results written before 2026-12-07. */
  loadAverage?: [number, number];
  finishedAt?: string;
  backend: string;
  options: FinetuneOptions;
}

const loadAverage1m = (): number => Number(loadavg()[0]!.toFixed(2));

/** The same architecture, config and tokenizer as `src`, with seeded random weights (MLM head included, as a pre-trained folder has). */
export async function writeScratchTwin(src: string, dir: string, seed: number): Promise<void> {
  if (existsSync(join(dir, 'config.json'))) return;
  const config = await readModelConfig(src);
  const model = createModel(config, { heads: { mlm: true, classifier: false, pooler: false }, seed });
  const tok = await findTokenizerFiles(src);
  const copyFiles = [...tok.files, ...(existsSync(join(src, 'loci-tokenizer.json')) ? [join(src, 'loci-tokenizer.json')] : [])];
  try {
    await saveModelFolder(model, dir, { copyFiles, metadata: { loci_kind: 'baseline', loci_seed: String(seed), loci_twin_of: src } });
  } finally {
    model.dispose();
  }
}

export async function readUnitResult(dir: string): Promise<GueUnitResult | null> {
  try {
    return JSON.parse(await readFile(join(dir, UNIT_RESULT), 'utf8')) as GueUnitResult;
  } catch {
    return null;
  }
}

/** Runs one unit to its result.json; resumes from its checkpoint when a previous attempt stopped. Null when cancelled. */
export async function runGueUnit(spec: GueUnitSpec, hooks: { onProgress?: (p: FinetuneProgress) => void; onLog?: (m: string) => void; signal?: AbortSignal } = {}): Promise<GueUnitResult | null> {
  const { report } = await initBackend(spec.backend);
  await mkdir(spec.dir, { recursive: true });
  const data = await readGueTask(spec.task);
  let modelDir = spec.modelDir;
  if (spec.scratch) {
    modelDir = join(spec.dir, 'init');
    await writeScratchTwin(spec.modelDir, modelDir, spec.seed);
  }
  const checkpointDir = join(spec.dir, 'finetune');
  const started = performance.now();
  const loadAtStart = loadAverage1m();
  const r = await finetune({
    modelDir,
    data,
    options: { ...spec.options, seed: spec.seed },
    checkpointDir,
    // Nothing to keep but the scores: the fine-tuned model is written inside the unit's folder.
    outDir: join(spec.dir, 'model'),
    resume: existsSync(join(checkpointDir, 'finetune.json')),
    ...(hooks.onProgress && { onProgress: hooks.onProgress }),
    ...(hooks.onLog && { onLog: hooks.onLog }),
    ...(hooks.signal && { signal: hooks.signal }),
  });
  if (r.cancelled || !r.testMetrics) return null;
  const best = r.devHistory.find((d) => d.step === r.bestStep) ?? null;
  const m = r.testMetrics;
  const result: GueUnitResult = {
    key: spec.key,
    task: spec.task.name,
    model: spec.model,
    scratch: spec.scratch,
    seed: spec.seed,
    metric: spec.task.metric,
    score: 100 * (spec.task.metric === 'f1' ? m.f1.macro : m.mcc),
    testMcc: m.mcc,
    testF1: m.f1.macro,
    testAccuracy: m.accuracy,
    bestStep: r.bestStep,
    bestDevLoss: r.bestDevLoss,
    devMcc: best?.mcc ?? null,
    steps: r.steps,
    seconds: (performance.now() - started) / 1000,
    loadAverage: [loadAtStart, loadAverage1m()],
    finishedAt: new Date().toISOString(),
    backend: report.chosen,
    options: spec.options,
  };
  await writeJsonAtomic(join(spec.dir, UNIT_RESULT), result);
  return result;
}
