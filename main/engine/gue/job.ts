// The `gue` job kind: `loci gue` (runGue) in a worker process, started by the Benchmark action on
// the Models page (main/api/benchmarks.ts). Imported by main/jobs/kinds.ts; the runner loads only
// when such a job runs. Resuming is runGue's own: finished units in outDir are never redone and an
// interrupted unit continues from its checkpoint.
import { registerLazyJobKind, type JobContext, type JobHandler } from '../../jobs/registry';
import { gueKind, type GueJobParams, type GueJobResult } from './protocol';

export type { GueJobParams, GueJobResult };

registerLazyJobKind(gueKind, async () => {
  const { runGue } = await import('./runner');
  const handler = async (ctx: JobContext<GueJobParams>): Promise<GueJobResult> => {
    const { modelIds: _ids, ...options } = ctx.params;
    const r = await runGue({
      ...options,
      signal: ctx.signal,
      onLog: (line) => ctx.log(line),
      onProgress: (p) => {
        // Each running unit counts by its own fraction, so the bar moves inside long units.
        const inUnits = p.running.reduce((s, u) => s + u.fraction, 0);
        const now = p.running.map((u) => `${u.key} ${u.phase}${u.step !== null ? ` ${u.step}/${u.totalSteps}` : ''}`).join('; ');
        ctx.report({ step: p.done, total: p.total, fraction: p.total ? Math.min(1, (p.done + inUnits) / p.total) : 0, message: `${p.done} of ${p.total} units done${now ? `; ${now}` : ''}` });
      },
    });
    if (r.cancelled) ctx.signal.throwIfAborted();
    return { jsonPath: r.jsonPath, markdownPath: r.markdownPath, failures: r.failures };
  };
  return handler as JobHandler;
});
