// loci pretrain: masked-language-model pre-training of a new DNABERT-2 / DNABERT style model on a
// mixture of genomes, or continued pre-training of a model folder (--from) on a project's genome.
// Everything heavy is imported on demand (tfjs backends load only when this command runs).
import { defineCommand, UsageError } from '../command';
import { stopOnSigint } from '../progress';

const NAME = 'pretrain';

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function int(values: Record<string, unknown>, name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(v)}`, NAME);
  return n;
}

function num(values: Record<string, unknown>, name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got ${JSON.stringify(v)}`, NAME);
  return n;
}

function formatEta(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

export const pretrain = defineCommand({
  name: NAME,
  summary: 'Pre-train a DNA language model (masked LM) on genomes, or continue pre-training a model folder',
  args: '[GENOME[:WEIGHT] ...]',
  positionals: { min: 0, max: 64 },
  options: {
    genome: { type: 'string', value: 'FASTA[:W][,...]', description: 'genome(s) of the corpus with an optional sampling weight (comma-separated; positionals work too)' },
    arch: { type: 'string', value: 'dnabert2|bert', description: 'architecture of a new model (default dnabert2)' },
    tokenizer: { type: 'string', value: 'PATH|kmer:K', description: 'tokenizer.json (BPE) or kmer:6 (DNABERT overlapping 6-mers)' },
    layers: { type: 'string', value: 'N', description: 'encoder layers (default 4)' },
    hidden: { type: 'string', value: 'N', description: 'hidden size (default 256)' },
    heads: { type: 'string', value: 'N', description: 'attention heads (default 4)' },
    intermediate: { type: 'string', value: 'N', description: 'feed-forward size (default 4 x hidden)' },
    dropout: { type: 'string', value: 'P', description: 'dropout of a new model (default 0.1)' },
    masking: { type: 'string', value: 'NAME', description: 'random|span|randommask|genemask|global|cm-gems (default random)' },
    steps: { type: 'string', value: 'N', description: 'optimizer steps (default 1000)' },
    batch: { type: 'string', value: 'N', description: 'sequences per step (default 32)' },
    'seq-len': { type: 'string', value: 'N', description: 'tokens per sequence, [CLS]/[SEP] included (default 128)' },
    lr: { type: 'string', value: 'LR', description: 'peak learning rate (default 5e-4)' },
    warmup: { type: 'string', value: 'N', description: 'warm-up steps (default 6% of the steps)' },
    'eval-every': { type: 'string', value: 'N', description: 'held-out perplexity every N steps (default 100)' },
    'eval-windows': { type: 'string', value: 'N', description: 'held-out windows (default 64)' },
    'checkpoint-every': { type: 'string', value: 'N', description: 'checkpoint every N steps (default = eval-every)' },
    seed: { type: 'string', value: 'N', description: 'seed of initialisation, data order and masking (default 42)' },
    backend: { type: 'string', value: 'NAME', description: 'auto|tfjs-node-gpu|tfjs-node|wasm|cpu (default auto)' },
    from: { type: 'string', value: 'MODEL_DIR', description: 'continue pre-training this model folder (keeps its tokenizer)' },
    out: { type: 'string', value: 'DIR', description: 'model folder to write (config.json, tokenizer, model.safetensors, loss_curve.csv, training_state/)' },
    resume: { type: 'boolean', description: 'continue from DIR/training_state (without it, an existing state is an error)' },
  },
  async run({ values, positionals, io, json }) {
    const out = str(values.out);
    if (!out) throw new UsageError('--out DIR is required', NAME);
    const { parseGenomeSpec } = await import('../../engine/corpus/windows');
    const specs = [...positionals];
    const g = values.genome as unknown;
    for (const v of Array.isArray(g) ? g : g === undefined ? [] : [g]) specs.push(...String(v).split(',').filter(Boolean));
    if (specs.length === 0) throw new UsageError('give at least one genome (--genome a.fa[:weight])', NAME);
    let genomes;
    try {
      genomes = specs.map(parseGenomeSpec);
    } catch (e) {
      throw new UsageError((e as Error).message, NAME);
    }
    const from = str(values.from);
    const masking = str(values.masking) ?? 'random';
    const { MASKING_NAMES, pretrain: runPretrain } = await import('../../engine/pretrain/pretrain');
    if (!(MASKING_NAMES as readonly string[]).includes(masking)) throw new UsageError(`--masking must be one of ${MASKING_NAMES.join(', ')}`, NAME);
    const arch = str(values.arch) ?? 'dnabert2';
    if (arch !== 'dnabert2' && arch !== 'bert') throw new UsageError('--arch must be dnabert2 or bert', NAME);
    const tokenizer = str(values.tokenizer);
    if (!from && !tokenizer) throw new UsageError('a new model needs --tokenizer (a tokenizer.json, or kmer:6)', NAME);
    const hidden = int(values, 'hidden', 256);
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    if (values.resume !== true && existsSync(join(out, 'training_state', 'latest.json'))) {
      throw new UsageError(`${out} already holds a training state: pass --resume to continue it, or choose another --out`, NAME);
    }

    const { initBackend } = await import('../../engine/backend');
    const backend = str(values.backend) ?? 'auto';
    const { report } = await initBackend(backend as Parameters<typeof initBackend>[0]);
    if (!json) io.err(`backend: ${report.summary}`);

    const steps = int(values, 'steps', 1000);
    // Ctrl-C stops after the current step and checkpoints, so --resume continues from there.
    const stop = stopOnSigint((l) => io.err(l), 'stopping after this step and saving a checkpoint (Ctrl-C again to quit now)');
    const result = await runPretrain({
      signal: stop.signal,
      genomes,
      outDir: out,
      ...(from
        ? { from }
        : {
            model: {
              arch,
              tokenizer: tokenizer as string,
              layers: int(values, 'layers', 4),
              hidden,
              heads: int(values, 'heads', 4),
              intermediate: int(values, 'intermediate', 4 * hidden),
              dropout: num(values, 'dropout', 0.1),
            },
          }),
      masking: masking as (typeof MASKING_NAMES)[number],
      steps,
      batchSize: int(values, 'batch', 32),
      seqLen: int(values, 'seq-len', 128),
      lr: num(values, 'lr', 5e-4),
      ...(values.warmup !== undefined && { warmupSteps: num(values, 'warmup', 0) }),
      evalEvery: int(values, 'eval-every', 100),
      evalWindows: int(values, 'eval-windows', 64),
      ...(values['checkpoint-every'] !== undefined && { checkpointEvery: int(values, 'checkpoint-every', 100) }),
      seed: int(values, 'seed', 42),
      resume: values.resume === true,
      onLog: (line) => io.err(line),
      onProgress: (p) => {
        if (json) return io.out(JSON.stringify({ event: 'progress', ...p }));
        const ppl = p.evalPerplexity === null ? '' : `  eval ppl ${p.evalPerplexity.toFixed(3)}`;
        io.err(`step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}  lr ${p.lr.toExponential(2)}  ${Math.round(p.tokensPerSec)} tok/s  ETA ${formatEta(p.etaSeconds)}${ppl}`);
      },
      onEval: (e) => {
        if (json) return io.out(JSON.stringify({ event: 'eval', ...e }));
        io.err(`eval at step ${e.step}: loss ${e.loss.toFixed(4)}, perplexity ${e.perplexity.toFixed(3)}${e.best ? ' (best)' : ''}`);
      },
    });
    stop.dispose();
    const last = result.evals.at(-1);
    const summary = { out: result.outDir, steps: result.step, resumedFrom: result.resumedFrom, tokensSeen: result.tokensSeen, parameters: result.parameters, seconds: Math.round(result.seconds), evalPerplexity: last?.perplexity ?? null };
    io.out(json ? JSON.stringify({ event: 'done', ...summary }) : `pre-trained ${summary.parameters} parameters for ${summary.steps} steps (${summary.tokensSeen} tokens, ${formatEta(summary.seconds)}); eval perplexity ${last ? last.perplexity.toFixed(3) : 'n/a'}; model folder ${summary.out}`);
    return result.cancelled ? 130 : 0;
  },
});
