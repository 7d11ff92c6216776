// The `ism` and `variants` job kinds: a classifier in a worker process, over one region (ISM) or a
// checked list of variants (main/api/interpret.ts checks and writes it before the job starts).
// Imported by main/jobs/kinds.ts; the engine loads only when such a job runs. The worker never
// opens the project: it writes its result into checkpointDir (result.json, plus ism.f32 for ISM)
// and the interpret service stores it in the project when the job is done. A paused or resumed
// job starts its region or list again (ISM is limited to ISM_MAX_BP, minutes at most).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerLazyJobKind, type JobContext, type JobHandler } from '../jobs/registry';
import { writeFileAtomic } from '../node/atomic';
import { ismKind, variantsKind, type CommonParams, type IsmJobParams, type IsmResultFile, type VariantsJobParams, type VariantsResultFile } from './protocol';
import type { VcfVariant } from './vcf';

export type { IsmJobParams, IsmResultFile, VariantsJobParams, VariantsResultFile };

async function setUp(ctx: JobContext<CommonParams>) {
  const [{ initBackend }, { loadModelFolder }, { loadTokenizer }, { FastaReader }, { Scorer }] = await Promise.all([
    import('../engine/backend'),
    import('../engine/checkpoint/folder'),
    import('../engine/tokenizers/index'),
    import('../genome/fasta/reader'),
    import('../scan/infer'),
  ]);
  const p = ctx.params;
  const { report } = await initBackend(p.backend);
  ctx.log(`backend: ${report.summary}`);
  const loaded = await loadModelFolder(p.modelDir, { heads: { classifier: true, pooler: true, mlm: false }, signal: ctx.signal });
  if (loaded.config.numLabels !== p.numLabels) throw new Error(`${p.modelDir}: the model has ${loaded.config.numLabels} classes, ${p.numLabels} were expected`);
  const scorer = new Scorer(loaded.model, await loadTokenizer(p.modelDir), p.numLabels, p.batchSize, p.maxTokens);
  const reader = await FastaReader.open(p.genome.fastaPath, { faiPath: p.genome.faiPath, ...(p.genome.gziPath && { gziPath: p.genome.gziPath }), rebuild: false });
  const getSequence = (chrom: string, start: number, end: number) => reader.getSequence(chrom, start, end, { signal: ctx.signal });
  return { scorer, getSequence, backend: report.chosen, dispose: () => loaded.model.dispose() };
}

registerLazyJobKind(ismKind, async () => {
  const { runIsm } = await import('./ism');
  const handler = async (ctx: JobContext<IsmJobParams>) => {
    const p = ctx.params;
    const started = performance.now();
    const s = await setUp(ctx);
    try {
      const { chrom, start, end } = p.region;
      const r = await runIsm(s.scorer, s.getSequence, { chrom, chromLength: p.chromLengths[chrom]!, start, end, window: p.window, classIndex: p.classIndex }, {
        signal: ctx.signal,
        onProgress: (x) => {
          const seconds = (performance.now() - started) / 1000;
          const rate = x.sequences / Math.max(1e-9, seconds);
          ctx.report({
            step: x.positionsDone,
            total: x.positions,
            etaSeconds: rate > 0 ? ((x.positions - x.positionsDone) * 8) / rate : undefined,
            message: `${x.positionsDone.toLocaleString('en-US')} of ${x.positions.toLocaleString('en-US')} bases, ${Math.round(rate)} forward passes/s`,
            metrics: { done: x.positionsDone, total: x.positions, sequences: x.sequences },
          });
        },
      });
      const L = end - start;
      const data = new Float32Array(10 * L);
      data.set(r.refForward, 0);
      data.set(r.refReverse, L);
      data.set(r.deltaForward, 2 * L);
      data.set(r.deltaReverse, 6 * L);
      writeFileAtomic(join(ctx.checkpointDir, ismKind.files.data), new Uint8Array(data.buffer));
      const runtimeSeconds = (performance.now() - started) / 1000;
      const result: IsmResultFile = { kind: 'ism', refBases: r.refBases, sequences: r.sequences, runtimeSeconds, backend: s.backend };
      writeFileAtomic(join(ctx.checkpointDir, ismKind.files.result), JSON.stringify(result));
      ctx.log(`ISM of ${chrom}:${start + 1}-${end} (${L} bp, window ${p.window} bp): ${r.sequences} forward passes in ${runtimeSeconds.toFixed(1)} s on ${s.backend}`);
      return { positions: L, sequences: r.sequences, runtimeSeconds };
    } finally {
      s.dispose();
    }
  };
  return handler as JobHandler;
});

registerLazyJobKind(variantsKind, async () => {
  const { scoreVariants } = await import('./variants');
  const handler = async (ctx: JobContext<VariantsJobParams>) => {
    const p = ctx.params;
    const started = performance.now();
    const variants = JSON.parse(readFileSync(p.variantsPath, 'utf8')) as VcfVariant[];
    const s = await setUp(ctx);
    try {
      let sequences = 0;
      const effects = await scoreVariants(s.scorer, s.getSequence, (c) => p.chromLengths[c]!, variants, { window: p.window, classIndex: p.classIndex }, {
        signal: ctx.signal,
        onProgress: (x) => {
          sequences = x.sequences;
          const rate = x.done / Math.max(1e-9, (performance.now() - started) / 1000);
          ctx.report({
            step: x.done,
            total: x.total,
            etaSeconds: rate > 0 ? (x.total - x.done) / rate : undefined,
            message: `${x.done.toLocaleString('en-US')} of ${x.total.toLocaleString('en-US')} variants`,
            metrics: { done: x.done, total: x.total, sequences: x.sequences },
          });
        },
      });
      const runtimeSeconds = (performance.now() - started) / 1000;
      const result: VariantsResultFile = { kind: 'variants', scores: effects.map((e) => [e.refForward, e.refReverse, e.altForward, e.altReverse]), sequences, runtimeSeconds, backend: s.backend };
      writeFileAtomic(join(ctx.checkpointDir, variantsKind.files.result), JSON.stringify(result));
      ctx.log(`${variants.length} variant allele(s) scored (${sequences} forward passes) in ${runtimeSeconds.toFixed(1)} s on ${s.backend}`);
      return { variants: variants.length, sequences, runtimeSeconds };
    } finally {
      s.dispose();
    }
  };
  return handler as JobHandler;
});
