// Masked-language-model pre-training (and continued pre-training of a loaded model on a project's
// genome): a genome mixture streamed window by window, the masking strategy chosen by name, AdamW
// with warm-up and linear decay, held-out perplexity every N steps, checkpoints that resume exactly,
// and a model folder (config.json, tokenizer, model.safetensors, loss_curve.csv) kept up to date.
//
// Why not train/trainer.ts's train(): its data stream is synchronous, while our windows come from
// disk (async reads through the FASTA index) and the BPE tokenizer is async; and pre-training has
// extra state to checkpoint (corpus and masking generators, the masking curriculum). So this loop
// is its own, built from the same parts: AdamW, clipping, schedule and the same state files.
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tf } from '../train/tf';
import { AdamW, clipByGlobalNorm, lossAndGradients, learningRate, loadTrainingState, Prng, saveParams, saveTrainingState, type EvalRecord, type StepRecord } from '../train';
import { writeJsonAtomic } from '../train/state';
import { disposeAll } from '../train/gradients';
import { createModel, makeConfig, type Architecture, type EncoderModel } from '../model';
import { loadModelFolder, saveModelFolder } from '../checkpoint';
import { KmerTokenizer, loadTokenizer, type DnaTokenizer } from '../tokenizers';
import { countKmers, createMaskingStrategy, NpmiTable, Rng, type MaskingConfig, type MaskingStrategy, type RngState, type TokenBatch, type VocabInfo } from '../masking';
import { GenomeCorpus, type CorpusGenomeInfo, type CorpusSource, type CorpusState } from '../corpus';
import { mlmLoss, countMasked, type MlmBatch } from './mlm-loss';

export const MASKING_NAMES = ['random', 'span', 'randommask', 'genemask', 'global', 'cm-gems'] as const;
export type MaskingName = (typeof MASKING_NAMES)[number];

export interface NewModelSpec {
  arch: Architecture;
  /** 'kmer:6' (DNABERT's overlapping k-mers) or a tokenizer.json file / folder. */
  tokenizer: string;
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  /** Dropout of hidden states and attention (default 0.1, BERT's). */
  dropout?: number;
}

export interface PretrainOptions {
  genomes: readonly CorpusSource[];
  outDir: string;
  /** A new model... */
  model?: NewModelSpec;
  /** ...or continued pre-training of a model folder (its tokenizer and architecture are kept). */
  from?: string;
  masking: MaskingName;
  steps: number;
  batchSize: number;
  /** Tokens per sequence, [CLS] and [SEP] included. */
  seqLen: number;
  lr: number;
  /** Default: 6% of the steps (at least 1 when steps > 10). */
  warmupSteps?: number;
  weightDecay?: number;
  /** Evaluate every N steps (and at the end). Default 100. */
  evalEvery?: number;
  /** Held-out windows evaluated (default 64). */
  evalWindows?: number;
  /** Checkpoint every N steps (and at the end or on cancel). Default evalEvery. */
  checkpointEvery?: number;
  /** Share of every long contig held out for evaluation (default 0.02). */
  heldOutFraction?: number;
  seed?: number;
  /** Continue from outDir/training_state when it holds a checkpoint (default true). */
  resume?: boolean;
  /** Where gzip FASTA files are decompressed and indexes written (default outDir/.corpus-cache). */
  cacheDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: PretrainProgress) => void;
  onEval?: (e: PretrainEval) => void;
  onLog?: (line: string) => void;
}

export interface PretrainProgress {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokensPerSec: number;
  etaSeconds: number;
  tokensSeen: number;
  /** Latest held-out perplexity, when an evaluation ran. */
  evalPerplexity: number | null;
}

export interface PretrainEval {
  step: number;
  loss: number;
  perplexity: number;
  best: boolean;
}

export interface PretrainResult {
  outDir: string;
  step: number;
  cancelled: boolean;
  resumedFrom: number;
  tokensSeen: number;
  evals: PretrainEval[];
  history: StepRecord[];
  parameters: number;
  seconds: number;
}

/** Extra state beside train/'s latest.json: corpus and masking generators, curriculum, counters. */
interface PretrainSidecar {
  step: number;
  corpus: CorpusState;
  maskRng: RngState;
  masking: ReturnType<MaskingStrategy['getState']>;
  tokensSeen: number;
  seconds: number;
}

const STATE_DIR = 'training_state';

function positiveInt(name: string, v: number | undefined): number {
  if (v === undefined || !Number.isInteger(v) || v < 1) throw new Error(`pretrain: ${name} must be a positive integer, got ${v}`);
  return v;
}

async function makeTokenizer(spec: string): Promise<DnaTokenizer> {
  const m = /^kmer:(\d+)$/.exec(spec);
  if (m) return new KmerTokenizer({ k: Number(m[1]), overlapping: true });
  return loadTokenizer(spec);
}

function vocabInfo(t: DnaTokenizer): VocabInfo {
  const s = t.specialIds;
  return { vocabSize: t.vocabSize, maskId: s.mask, specialIds: [s.pad, s.unk, s.cls, s.sep, s.mask] };
}

function maskingConfig(name: MaskingName, steps: number, tokenizer: DnaTokenizer): MaskingConfig {
  const kmer = tokenizer.kind === 'kmer-overlap';
  const k = kmer ? Math.round(Math.log(tokenizer.vocabSize - 5) / Math.log(4)) : 6;
  if (!kmer && name !== 'random') throw new Error(`masking "${name}" is for overlapping k-mer tokenizers; use "random" with BPE (DNABERT-2 masks tokens independently)`);
  switch (name) {
    case 'random':
      return { kind: 'random-token', probability: 0.15 };
    case 'span':
      return { kind: 'kmer-span', k };
    case 'randommask':
      return { kind: 'randommask', totalSteps: steps, minSpan: k };
    case 'genemask':
      return { kind: 'genemask', k };
    case 'global':
      return { kind: 'global-pmi', k };
    case 'cm-gems':
      return { kind: 'cm-gems', k };
  }
}

/** Average bases per token of the tokenizer on this corpus, from a sample of windows. */
async function basesPerToken(tokenizer: DnaTokenizer, samples: string[]): Promise<number> {
  let bases = 0;
  let tokens = 0;
  for (const s of samples) {
    const e = await tokenizer.encode(s, { addSpecial: false });
    bases += s.length;
    tokens += e.ids.length;
  }
  return tokens > 0 ? bases / tokens : 1;
}

async function tokenize(tokenizer: DnaTokenizer, windows: string[], seqLen: number): Promise<TokenBatch> {
  const enc = await tokenizer.encodeBatch(windows, { maxLength: seqLen, truncation: true, padding: 'max_length' });
  return { ids: enc.ids, batch: enc.batch, length: enc.length, attentionMask: enc.attentionMask };
}

function toMlmBatch(tokens: TokenBatch, masked: { inputIds: Int32Array; labels: Int32Array }): MlmBatch {
  return { inputIds: masked.inputIds, labels: masked.labels, attentionMask: Int32Array.from(tokens.attentionMask), batch: tokens.batch, length: tokens.length };
}

function realTokens(b: TokenBatch): number {
  let n = 0;
  for (const m of b.attentionMask) n += m;
  return n;
}

export function lossCurveCsv(history: readonly StepRecord[], evals: readonly EvalRecord[]): string {
  const evalAt = new Map(evals.map((e) => [e.step, e.loss]));
  const lines = ['step,loss,lr,grad_norm,eval_loss,eval_perplexity'];
  for (const h of history) {
    const e = evalAt.get(h.step);
    lines.push(`${h.step},${h.loss.toFixed(5)},${h.lr.toExponential(4)},${h.gradNorm.toFixed(4)},${e === undefined ? '' : e.toFixed(5)},${e === undefined ? '' : Math.exp(e).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

export async function pretrain(o: PretrainOptions): Promise<PretrainResult> {
  const steps = positiveInt('steps', o.steps);
  const batchSize = positiveInt('batchSize', o.batchSize);
  const seqLen = positiveInt('seqLen', o.seqLen);
  const evalEvery = positiveInt('evalEvery', o.evalEvery ?? 100);
  const checkpointEvery = positiveInt('checkpointEvery', o.checkpointEvery ?? evalEvery);
  const seed = o.seed ?? 42;
  if (!(o.lr > 0)) throw new Error(`pretrain: lr must be > 0, got ${o.lr}`);
  if (!MASKING_NAMES.includes(o.masking)) throw new Error(`pretrain: masking must be one of ${MASKING_NAMES.join(', ')}, got ${JSON.stringify(o.masking)}`);
  if (!o.from === !o.model) throw new Error('pretrain: give either a new model spec or a model folder to continue from');
  const outDir = resolve(o.outDir);
  const stateDir = join(outDir, STATE_DIR);
  const log = o.onLog ?? (() => undefined);

  // Model and tokenizer.
  let model: EncoderModel;
  let tokenizer: DnaTokenizer;
  if (o.from) {
    tokenizer = await loadTokenizer(o.from);
    const loaded = await loadModelFolder(o.from, { heads: { mlm: true, classifier: false, pooler: false }, seed, ...(o.signal && { signal: o.signal }) });
    model = loaded.model;
    if (loaded.report.initialized.length > 0) log(`${o.from}: no MLM head in the file; it starts from random weights (${loaded.report.initialized.length} tensors)`);
  } else {
    const m = o.model as NewModelSpec;
    tokenizer = await makeTokenizer(m.tokenizer);
    const dropout = m.dropout ?? 0.1;
    const config = makeConfig(m.arch, {
      vocab_size: tokenizer.vocabSize,
      hidden_size: m.hidden,
      num_hidden_layers: m.layers,
      num_attention_heads: m.heads,
      intermediate_size: m.intermediate,
      max_position_embeddings: m.arch === 'bert' ? Math.max(512, seqLen) : 512,
      hidden_dropout_prob: dropout,
      attention_probs_dropout_prob: dropout,
      pad_token_id: tokenizer.specialIds.pad,
      architectures: ['BertForMaskedLM'],
    });
    model = createModel(config, { heads: { mlm: true, classifier: false, pooler: false }, seed });
  }
  if (model.config.vocabSize !== tokenizer.vocabSize) throw new Error(`pretrain: the model has ${model.config.vocabSize} tokens, its tokenizer ${tokenizer.vocabSize}`);
  if (model.config.architecture === 'bert' && seqLen > model.config.maxPositionEmbeddings) throw new Error(`pretrain: --seq-len ${seqLen} exceeds the model's ${model.config.maxPositionEmbeddings} positions`);

  try {
    // Window length in bases so that a full window fills seqLen tokens.
    const specials = 2;
    let windowBp: number;
    let minBp: number;
    if (tokenizer.kind === 'kmer-overlap') {
      const k = Math.round(Math.log(tokenizer.vocabSize - 5) / Math.log(4));
      windowBp = seqLen - specials + k - 1;
      minBp = Math.min(windowBp, 5 + k - 1);
    } else {
      const probe = await GenomeCorpus.open({ sources: o.genomes, windowBp: 2000, minBp: 100, seed, cacheDir: o.cacheDir ?? join(outDir, '.corpus-cache'), heldOutFraction: 0, fullLengthFraction: 1, ...(o.signal && { signal: o.signal }) });
      const bpt = await basesPerToken(tokenizer, await probe.nextWindows(16, o.signal));
      windowBp = Math.ceil((seqLen - specials) * bpt * 1.1); // 10% spare; truncation cuts the rest
      minBp = Math.ceil(5 * bpt);
      log(`tokenizer: ${bpt.toFixed(2)} bases per token on this corpus; windows of ${minBp}-${windowBp} bp`);
    }
    const corpus = await GenomeCorpus.open({
      sources: o.genomes,
      windowBp,
      minBp,
      seed,
      heldOutFraction: o.heldOutFraction ?? 0.02,
      cacheDir: o.cacheDir ?? join(outDir, '.corpus-cache'),
      ...(o.signal && { signal: o.signal }),
    });
    for (const g of corpus.genomesInfo) log(`genome ${g.path}: ${g.totalBp} bp in ${g.contigs} sequences, weight ${g.weight}, ${g.heldOutBp} bp held out, sha256 ${g.sha256}`);

    // Masking (PMI strategies need k-mer statistics of the training part).
    const vocab = vocabInfo(tokenizer);
    const mcfg = maskingConfig(o.masking, steps, tokenizer);
    let tokenScores: Float64Array | undefined;
    if (mcfg.kind === 'genemask' || mcfg.kind === 'global-pmi' || mcfg.kind === 'cm-gems') {
      const counter = await countKmers(corpus.trainingSequences(2_000_000, 1 << 16, o.signal), { maxK: 6, ...(o.signal && { signal: o.signal }) });
      const ids = new Map<string, number>();
      for (let i = 0; i < tokenizer.vocabSize; i++) {
        const t = tokenizer.idToToken(i);
        if (t !== undefined) ids.set(t, i);
      }
      tokenScores = new NpmiTable(counter).tokenScores(ids, tokenizer.vocabSize);
    }
    const masking = createMaskingStrategy(mcfg, { vocab, ...(tokenScores && { tokenScores }) });
    let maskRng = Rng.fromSeed(seed ^ 0x5eed);

    // Held-out set, masked once with a fixed generator so every evaluation scores the same tokens.
    // Span masking for k-mer models (one random token is trivially read off its overlapping neighbours).
    const evalWindows = await corpus.heldOutWindows(o.evalWindows ?? 64, o.signal);
    if (evalWindows.length === 0) throw new Error('pretrain: the genomes are too short to hold out evaluation windows');
    const evalMasking = createMaskingStrategy(tokenizer.kind === 'kmer-overlap' ? maskingConfig('span', steps, tokenizer) : { kind: 'random-token', probability: 0.15 }, { vocab });
    const evalRng = Rng.fromSeed(seed ^ 0xe7a1);
    const evalBatches: MlmBatch[] = [];
    for (let i = 0; i < evalWindows.length; i += batchSize) {
      const t = await tokenize(tokenizer, evalWindows.slice(i, i + batchSize), seqLen);
      evalBatches.push(toMlmBatch(t, evalMasking.mask(t, evalRng)));
    }
    log(`held-out set: ${evalWindows.length} windows of ${windowBp} bp, ${evalBatches.reduce((a, b) => a + countMasked(b.labels), 0)} masked tokens`);

    // Optimiser, schedule, state.
    const params = model.params();
    const optimizer = new AdamW(params, { weightDecay: o.weightDecay ?? 0.01 });
    const dropoutRng = new Prng(seed);
    const warmup = o.warmupSteps ?? (steps > 10 ? Math.max(1, Math.round(steps * 0.06)) : 0);
    const schedule = { kind: 'linear', baseLr: o.lr, warmupSteps: warmup, totalSteps: steps } as const;
    let step = 0;
    let history: StepRecord[] = [];
    let evalsRaw: EvalRecord[] = [];
    let best: EvalRecord | null = null;
    let tokensSeen = 0;
    let secondsBefore = 0;
    if (o.resume ?? true) {
      const s = await loadTrainingState(stateDir, params, optimizer);
      if (s) {
        const extra = JSON.parse(await readFile(join(stateDir, `pretrain-${s.step}.json`), 'utf8')) as PretrainSidecar;
        step = s.step;
        dropoutRng.setState(s.rngState);
        history = s.history;
        evalsRaw = s.evals;
        best = s.best;
        corpus.setState(extra.corpus);
        maskRng = Rng.fromState(extra.maskRng);
        masking.setState(extra.masking);
        tokensSeen = extra.tokensSeen;
        secondsBefore = extra.seconds;
        log(`resumed from step ${step} (${stateDir})`);
      }
    }
    const resumedFrom = step;
    const toEval = (e: EvalRecord): PretrainEval => ({ step: e.step, loss: e.loss, perplexity: Math.exp(e.loss), best: best !== null && best.step === e.step });
    const started = performance.now();
    const elapsed = () => secondsBefore + (performance.now() - started) / 1000;

    const saveModel = async (): Promise<void> => {
      await saveModelFolder(model, outDir, { metadata: { step: String(step), tokens_seen: String(tokensSeen), masking: o.masking } });
      await tokenizer.save(outDir);
      await writeFile(join(outDir, 'loss_curve.csv'), lossCurveCsv(history, evalsRaw));
    };
    const checkpoint = async (): Promise<void> => {
      const extra: PretrainSidecar = { step, corpus: corpus.getState(), maskRng: maskRng.getState(), masking: masking.getState(), tokensSeen, seconds: elapsed() };
      // Written before latest.json, which is the commit point.
      await mkdir(stateDir, { recursive: true });
      await writeJsonAtomic(join(stateDir, `pretrain-${step}.json`), extra);
      await saveTrainingState({ dir: stateDir, params, optimizer, sidecar: { step, rngState: dropoutRng.getState(), data: { windows: corpus.windows }, best, history, evals: evalsRaw } });
      for (const f of await readdir(stateDir)) if (/^pretrain-\d+\.json$/.test(f) && f !== `pretrain-${step}.json`) await rm(join(stateDir, f), { force: true });
      await saveModel();
    };
    const evaluateNow = (): void => {
      let total = 0;
      let count = 0;
      for (const b of evalBatches) {
        const n = countMasked(b.labels);
        if (n === 0) continue;
        const l = tf.tidy(() => mlmLoss(model, b, { training: false }).dataSync()[0] as number);
        total += l * n;
        count += n;
      }
      const loss = count > 0 ? total / count : NaN;
      const record = { step, loss };
      evalsRaw.push(record);
      const isBest = best === null || loss < best.loss;
      if (isBest) best = record;
      const ppl = Math.exp(loss);
      masking.observeEvalPerplexity?.(ppl);
      o.onEval?.({ step, loss, perplexity: ppl, best: isBest });
    };
    const saveBest = async (): Promise<void> => {
      if (!best || best.step !== step) return;
      await mkdir(stateDir, { recursive: true });
      await saveParams(join(stateDir, 'best.safetensors'), params, { step: String(step), evalLoss: String(best.loss) });
    };

    if (step === 0 && evalsRaw.length === 0) evaluateNow(); // perplexity before training, for the curve
    let windowTokens = 0;
    let lastSaved = step;
    while (step < steps) {
      if (o.signal?.aborted) {
        if (lastSaved !== step) await checkpoint();
        return done(true);
      }
      // Not interruptible on purpose: a batch reads a few kB from local files, and an abort halfway
      // through would leave the corpus generator between two checkpointable states.
      const windows = await corpus.nextWindows(batchSize);
      const tokens = await tokenize(tokenizer, windows, seqLen);
      const masked = masking.mask(tokens, maskRng, { step });
      const batch = toMlmBatch(tokens, masked);
      const lr = learningRate(schedule, step);
      const { loss, grads } = lossAndGradients(params, (b: MlmBatch, ctx) => mlmLoss(model, b, ctx), batch, dropoutRng.nextUint32());
      const clipped = clipByGlobalNorm(grads, 1.0);
      disposeAll(grads);
      optimizer.apply(clipped.grads, lr);
      disposeAll(clipped.grads);
      step += 1;
      const n = realTokens(tokens);
      tokensSeen += n;
      windowTokens += n;
      history.push({ step, loss, lr, gradNorm: clipped.norm });
      const secs = (performance.now() - started) / 1000;
      const lastEval = evalsRaw.at(-1);
      o.onProgress?.({
        step,
        totalSteps: steps,
        loss,
        lr,
        gradNorm: clipped.norm,
        tokensPerSec: secs > 0 ? windowTokens / secs : 0,
        etaSeconds: (secs / (step - resumedFrom)) * (steps - step),
        tokensSeen,
        evalPerplexity: lastEval ? Math.exp(lastEval.loss) : null,
      });
      const last = step === steps;
      if (step % evalEvery === 0 || last) {
        evaluateNow();
        await saveBest();
      }
      if (step % checkpointEvery === 0 || last) {
        await checkpoint();
        lastSaved = step;
      }
      await new Promise<void>((r) => setImmediate(r));
    }
    return done(false);

    function done(cancelled: boolean): PretrainResult {
      return {
        outDir,
        step,
        cancelled,
        resumedFrom,
        tokensSeen,
        evals: evalsRaw.map(toEval),
        history,
        parameters: model.parameterCount(),
        seconds: elapsed(),
      };
    }
  } finally {
    model.dispose();
  }
}

export type { CorpusGenomeInfo };
