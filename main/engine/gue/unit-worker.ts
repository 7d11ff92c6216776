// The process one GUE unit runs in (forked by runner.ts): {type:'run', spec} in; progress, log lines
// and {type:'done'} out; {type:'cancel'} stops at the next step with the checkpoint kept.
import { runGueUnit, type GueUnitSpec } from './unit';

const abort = new AbortController();
const send = (m: unknown) => process.send?.(m);
// The runner is gone (killed, crashed): stop at the next step; the checkpoint resumes the unit.
process.on('disconnect', () => abort.abort());

process.on('message', (m: { type: 'run'; spec: GueUnitSpec } | { type: 'cancel' }) => {
  if (m.type === 'cancel') return abort.abort();
  if (m.type !== 'run') return;
  let last = 0;
  runGueUnit(m.spec, {
    signal: abort.signal,
    onLog: (message) => send({ type: 'log', message }),
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 500 && p.fraction < 1) return;
      last = now;
      send({ type: 'progress', phase: p.phase, fraction: p.fraction, step: p.step ?? null, totalSteps: p.totalSteps ?? null });
    },
  }).then(
    (result) => {
      send({ type: 'done', result });
      process.disconnect?.();
    },
    (e: unknown) => {
      send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      process.disconnect?.();
    },
  );
});
