// The `pretrain` job kind: (continued) MLM pre-training in a worker process. Imported by
// main/jobs/kinds.ts; the engine loads only when such a job runs. A resumed job finds its
// checkpoint in params.outDir/training_state and continues from it.
// Protocol (params, result): ./protocol.ts.
import { registerLazyJobKind, type JobContext, type JobHandler } from '../../jobs/registry';
import { pretrainKind, type PretrainJobParams } from './protocol';

export type { PretrainJobParams };

registerLazyJobKind(pretrainKind, async () => {
  const [{ pretrain }, { initBackend }] = await Promise.all([import('./pretrain'), import('../backend')]);
  const handler = async (ctx: JobContext<PretrainJobParams>) => {
    const { backend, ...options } = ctx.params;
    const { report } = await initBackend(backend ?? 'auto');
    ctx.log(`backend: ${report.summary}`);
    let evalPerplexity: number | undefined;
    const result = await pretrain({
      ...options,
      resume: true,
      signal: ctx.signal,
      onLog: (line) => ctx.log(line),
      onEval: (e) => {
        evalPerplexity = e.perplexity;
        ctx.log(`eval at step ${e.step}: perplexity ${e.perplexity.toFixed(3)}${e.best ? ' (best)' : ''}`);
      },
      onProgress: (p) =>
        ctx.report({
          step: p.step,
          total: p.totalSteps,
          loss: p.loss,
          lr: p.lr,
          tokensPerSec: p.tokensPerSec,
          etaSeconds: p.etaSeconds,
          metrics: { gradNorm: p.gradNorm, tokensSeen: p.tokensSeen, ...(evalPerplexity !== undefined && { evalPerplexity }) },
        }),
    });
    if (result.cancelled) ctx.signal.throwIfAborted();
    return { outDir: result.outDir, steps: result.step, tokensSeen: result.tokensSeen, parameters: result.parameters, evals: result.evals };
  };
  return handler as JobHandler;
});
