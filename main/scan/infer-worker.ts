// A worker thread of parallel.ts: one more engine instance (its own tfjs backend, model and
// tokenizer, loaded from the same folder as the parent's), scoring the slices it is sent with the
// same Scorer. {type:'ready'} once loaded; {type:'scored'} per request; {type:'error'} on failure.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../engine/backend';
import { loadModelFolder } from '../engine/checkpoint/folder';
import { loadTokenizer } from '../engine/tokenizers/index';
import { Scorer, type ScorerStats } from './infer';
import type { EngineSpec, FromWorker, ToWorker } from './parallel';

const port = parentPort!;
const spec = workerData as EngineSpec;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function load(): Promise<Scorer> {
  const { report } = await initBackend(spec.backend, { threads: 1 });
  const loaded = await loadModelFolder(spec.modelDir, { heads: { classifier: true, pooler: true, mlm: false } });
  if (loaded.config.numLabels !== spec.numLabels) throw new Error(`${spec.modelDir}: the model has ${loaded.config.numLabels} classes, the scan expected ${spec.numLabels}`);
  const scorer = new Scorer(loaded.model, await loadTokenizer(spec.modelDir), spec.numLabels, spec.batchSize, spec.maxTokens);
  send({ type: 'ready', backend: report.chosen });
  return scorer;
}

const ready = load();
ready.catch((e: unknown) => send({ type: 'error', id: 0, message: message(e) }));

// Requests are handled one at a time, in order (the parent sends one per score call).
let queue: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  queue = queue.then(async () => {
    try {
      const scorer = await ready;
      const before: ScorerStats = { ...scorer.stats };
      const probs = await scorer.score(m.sequences);
      const stats = Object.fromEntries(Object.entries(scorer.stats).map(([k, v]) => [k, v - before[k as keyof ScorerStats]])) as unknown as ScorerStats;
      send({ type: 'scored', id: m.id, probs, stats }, [probs.buffer as ArrayBuffer]);
    } catch (e) {
      send({ type: 'error', id: m.id, message: message(e) });
    }
  });
});
