// The `scan` job kind: a classifier over windows of a genome, in a worker process. Imported by
// main/jobs/kinds.ts; the engine loads only when such a job runs.
//
// The worker never opens the project. The scans service (main/api/scans.ts) writes the intervals to
// scan and the run's dev set into the scan's folder, and stores the result when the job is done.
// Work goes chunk by chunk (main/scan/plan.ts); after each chunk the per-base scores of every track
// are appended to a records file in checkpointDir and state.json is replaced atomically with the
// files' sizes, so a paused, cancelled or killed scan resumes from its last finished chunk (the
// records files are cut back to those sizes) and produces the same bytes. When every chunk is
// done each records file becomes a bigWig (main/genome/bigwig.ts) and result.json lists them.
// On wasm and cpu each chunk's windows are split over `workers` engine instances (this process and
// worker threads, main/scan/parallel.ts), one core each.
// runScan holds that streaming path apart from the model, so that a test can run it over a 100 Mb
// chromosome with a stand-in scorer and measure its memory (test/integration/scan-memory.test.ts).
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { reverseComplement } from '../datasets/sequence';
import { writeBigWig } from '../genome/bigwig';
import { registerLazyJobKind, throwIfStopped, type JobContext, type JobHandler } from '../jobs/registry';
import { writeFileAtomic } from '../node/atomic';
import { scanKind, type ScanJobParams, type ScanResultFile } from './protocol';
import { planChunks, totalBases, windowsOverlapping, type ScanInterval } from './plan';
import { bestMccThreshold, perBaseMean, type Intervals } from './scores';

const STATE_FILE = 'state.json';
const RECORD_BYTES = 16;
const SCAN_RESULT_FILE = scanKind.files.result;

type TrackStrand = ScanResultFile['tracks'][number]['strand'];

interface ScanState {
  nextChunk: number;
  /** Bytes of each records file after the last finished chunk. */
  sizes: Record<string, number>;
  bpDone: number;
  seconds: number;
  windows: number;
  truncatedWindows: number;
  thresholds: ScanResultFile['thresholds'] | null;
}

export function trackStrands(strand: ScanJobParams['strand']): TrackStrand[] {
  return strand === 'both' ? ['combined', 'forward', 'reverse'] : ['combined'];
}

const recordsName = (k: number, s: TrackStrand) => `track-${k}-${s}.records`;

/** Writes bedGraph intervals of one chromosome at `position` as fixed 16-byte records (chrom, start, end: u32; value: f32). */
function appendRecords(fd: number, position: number, chrom: number, iv: Intervals): number {
  const n = iv.starts.length;
  const buf = Buffer.allocUnsafe(n * RECORD_BYTES);
  for (let i = 0; i < n; i++) {
    const o = i * RECORD_BYTES;
    buf.writeUInt32LE(chrom, o);
    buf.writeUInt32LE(iv.starts[i]!, o + 4);
    buf.writeUInt32LE(iv.ends[i]!, o + 8);
    buf.writeFloatLE(iv.values[i]!, o + 12);
  }
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done);
  return buf.length;
}

/**
 * Reads a records file back chromosome by chromosome, in order, in 1 MB blocks; asking for a
 * chromosome before the last one asked starts again from the top (each bigWig pass does).
 */
export class RecordsReader {
  private readonly fd: number;
  private readonly size: number;
  private pos = 0;
  private last = -1;
  private block = Buffer.alloc(0);
  private blockAt = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = statSync(path).size;
  }

  private record(at: number): Buffer {
    if (at < this.blockAt || at + RECORD_BYTES > this.blockAt + this.block.length) {
      const len = Math.min(RECORD_BYTES * 65536, this.size - at);
      this.block = Buffer.alloc(len);
      readSync(this.fd, this.block, 0, len, at);
      this.blockAt = at;
    }
    return this.block.subarray(at - this.blockAt, at - this.blockAt + RECORD_BYTES);
  }

  forChrom(chrom: number, emit: (start: number, end: number, value: number) => void): void {
    if (chrom <= this.last) this.pos = 0;
    this.last = chrom;
    while (this.pos + RECORD_BYTES <= this.size) {
      const r = this.record(this.pos);
      const c = r.readUInt32LE(0);
      if (c < chrom) {
        this.pos += RECORD_BYTES;
        continue;
      }
      if (c > chrom) return;
      emit(r.readUInt32LE(4), r.readUInt32LE(8), r.readFloatLE(12));
      this.pos += RECORD_BYTES;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readState(dir: string): ScanState | null {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as ScanState;
}

/** Per-window scores of one class on the stored strand choice. */
function windowScores(probs: Float64Array, n: number, numLabels: number, k: number, strand: ScanJobParams['strand'], combine: ScanJobParams['combine']): { forward: Float64Array | null; reverse: Float64Array | null; combined: Float64Array } {
  const fw = strand === 'reverse' ? null : new Float64Array(n);
  const rc = strand === 'forward' ? null : new Float64Array(n);
  const rcOffset = strand === 'both' ? n : 0;
  for (let i = 0; i < n; i++) {
    if (fw) fw[i] = probs[i * numLabels + k]!;
    if (rc) rc[i] = probs[(rcOffset + i) * numLabels + k]!;
  }
  let combined: Float64Array;
  if (fw && rc) {
    combined = new Float64Array(n);
    for (let i = 0; i < n; i++) combined[i] = combine === 'max' ? Math.max(fw[i]!, rc[i]!) : (fw[i]! + rc[i]!) / 2;
  } else combined = (fw ?? rc)!;
  return { forward: fw, reverse: rc, combined };
}

/** The sequences a list of windows is scored on: forward, reverse complement, or both (forward first). */
function strandSequences(forward: readonly string[], strand: ScanJobParams['strand']): string[] {
  if (strand === 'forward') return [...forward];
  const rc = forward.map(reverseComplement);
  return strand === 'reverse' ? rc : [...forward, ...rc];
}

/** What scores windows: the model's Scorer in a job, a stand-in in the memory tests. */
export interface WindowScorer {
  /** Row-major [sequences.length, numLabels] class probabilities. */
  score(sequences: readonly string[], signal?: AbortSignal): Promise<Float64Array>;
  readonly stats: { truncated: number };
}

/** Where a scan reads its bases (main/genome/fasta/reader.ts's FastaReader). */
export interface SequenceSource {
  getSequence(name: string, start: number, end: number, opts?: { signal?: AbortSignal }): Promise<string>;
}

/**
 * Steps 1-3 of a scan (thresholds, chunks, bigWigs) with a given scorer and sequence source. Memory
 * is bounded by one chunk: each chunk reads only the bases its windows span, its per-base scores
 * go to the records files at once, and the bigWigs are written from those files in 1 MB blocks.
 */
export async function runScan(ctx: JobContext<ScanJobParams>, scorer: WindowScorer, reader: SequenceSource, backend: string): Promise<ScanResultFile> {
  const p = ctx.params;
  const started = performance.now();
  const intervals = JSON.parse(readFileSync(p.intervalsPath, 'utf8')) as ScanInterval[];
  const chunks = planChunks(intervals, p.chunkBp);
  const bpTotal = totalBases(intervals);
  const strands = trackStrands(p.strand);
  const files = p.classes.flatMap((k) => strands.map((s) => ({ k, s, name: recordsName(k, s) })));

  let state: ScanState = readState(ctx.checkpointDir) ?? { nextChunk: 0, sizes: {}, bpDone: 0, seconds: 0, windows: 0, truncatedWindows: 0, thresholds: null };
  if (state.nextChunk > 0) ctx.log(`resuming after chunk ${state.nextChunk} of ${chunks.length} (${state.bpDone} of ${bpTotal} bp done)`);
  const saveState = (s: ScanState) => writeFileAtomic(join(ctx.checkpointDir, STATE_FILE), JSON.stringify(s));
  const secondsBefore = state.seconds;
  const elapsed = () => secondsBefore + (performance.now() - started) / 1000;

  // 1. The default thresholds, from the run's dev set scored the way the genome will be.
  if (!state.thresholds) {
    const thresholds: ScanResultFile['thresholds'] = [];
    const dev = p.devPath ? (JSON.parse(readFileSync(p.devPath, 'utf8')) as [string, number][]) : [];
    if (dev.length) {
      ctx.report({ fraction: 0, message: `Choosing thresholds on ${dev.length} dev examples` });
      const seqs = dev.map(([s]) => s.toUpperCase());
      const probs = await scorer.score(strandSequences(seqs, p.strand), ctx.signal);
      for (const k of p.classes) {
        const { combined } = windowScores(probs, seqs.length, p.numLabels, k, p.strand, p.combine);
        const best = bestMccThreshold(combined, dev.map(([, y]) => y === k));
        thresholds.push(best ? { classIndex: k, threshold: best.threshold, source: 'dev-mcc', devMcc: best.mcc } : { classIndex: k, threshold: 0.5, source: 'default-0.5', devMcc: null });
        ctx.log(best ? `class ${k}: threshold ${best.threshold.toFixed(4)} (dev MCC ${best.mcc.toFixed(3)} on ${dev.length} examples)` : `class ${k}: the dev set has one class only; threshold 0.5`);
      }
    } else {
      for (const k of p.classes) thresholds.push({ classIndex: k, threshold: 0.5, source: 'default-0.5', devMcc: null });
    }
    state = { ...state, thresholds, seconds: elapsed() };
    saveState(state);
  }

  // 2. The chunks, each appended to the records files, then the state.
  const fds = new Map<string, number>();
  try {
    for (const f of files) {
      const path = join(ctx.checkpointDir, f.name);
      const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
      // Back to the last finished chunk: what a stopped or killed attempt wrote after it goes.
      ftruncateSync(fd, state.sizes[f.name] ?? 0);
      fds.set(f.name, fd);
    }
    const positions = new Map(files.map((f) => [f.name, state.sizes[f.name] ?? 0]));
    let windowsSeen = state.windows;
    let truncated = state.truncatedWindows;
    const rateStart = { at: performance.now(), bp: state.bpDone };
    let bpDone = state.bpDone;
    for (let ci = state.nextChunk; ci < chunks.length; ci++) {
      throwIfStopped(ctx.signal);
      const c = chunks[ci]!;
      const iv = intervals[c.interval]!;
      const name = p.chroms[c.chrom]!.name;
      const wins = windowsOverlapping(iv, p.window, p.stride, c.start, c.end);
      const lo = wins[0]!.start;
      const hi = wins.reduce((m, w) => Math.max(m, w.end), lo);
      const seq = (await reader.getSequence(name, lo, hi, { signal: ctx.signal })).toUpperCase();
      const forward = wins.map((w) => seq.slice(w.start - lo, w.end - lo));
      const truncatedBefore = scorer.stats.truncated;
      const probs = await scorer.score(strandSequences(forward, p.strand), ctx.signal);
      truncated += scorer.stats.truncated - truncatedBefore;
      windowsSeen += wins.length;
      for (const k of p.classes) {
        const scores = windowScores(probs, wins.length, p.numLabels, k, p.strand, p.combine);
        for (const s of strands) {
          const f = recordsName(k, s);
          const written = appendRecords(fds.get(f)!, positions.get(f)!, c.chrom, perBaseMean(wins, scores[s]!, c.start, c.end));
          positions.set(f, positions.get(f)! + written);
        }
      }
      bpDone += c.end - c.start;
      state = { ...state, nextChunk: ci + 1, sizes: Object.fromEntries(positions), bpDone, seconds: elapsed(), windows: windowsSeen, truncatedWindows: truncated };
      saveState(state);
      const rate = (bpDone - rateStart.bp) / Math.max(1e-9, (performance.now() - rateStart.at) / 1000);
      ctx.report({
        step: bpDone,
        total: bpTotal,
        etaSeconds: rate > 0 ? (bpTotal - bpDone) / rate : undefined,
        message: `${name}:${c.end.toLocaleString('en-US')}, ${(bpDone / 1e6).toFixed(2)} of ${(bpTotal / 1e6).toFixed(2)} Mb, ${Math.round(rate).toLocaleString('en-US')} bp/s`,
        metrics: { bpDone, bpTotal, bpPerSecond: rate },
      });
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  if (state.truncatedWindows) ctx.log(`${state.truncatedWindows} window(s) were longer than ${p.maxTokens} tokens and were cut`, 'warn');

  // 3. The bigWigs.
  ctx.report({ step: bpTotal, total: bpTotal, message: 'Writing the score tracks' });
  const tracks: ScanResultFile['tracks'] = [];
  for (const f of files) {
    throwIfStopped(ctx.signal);
    const records = new RecordsReader(join(ctx.checkpointDir, f.name));
    const out = join(ctx.checkpointDir, f.name.replace(/\.records$/, '.bw'));
    try {
      const s = writeBigWig(out, p.chroms, (ci, emit) => records.forChrom(ci, emit));
      tracks.push({ classIndex: f.k, strand: f.s, path: out, bytes: s.bytes, min: s.min, max: s.max });
    } finally {
      records.close();
    }
  }
  const result: ScanResultFile = {
    tracks,
    thresholds: state.thresholds ?? [],
    runtimeSeconds: elapsed(),
    backend,
    bpDone: state.bpDone,
    bpTotal,
    windows: state.windows,
    truncatedWindows: state.truncatedWindows,
  };
  writeFileAtomic(join(ctx.checkpointDir, SCAN_RESULT_FILE), JSON.stringify(result));
  ctx.log(`scanned ${(bpTotal / 1e6).toFixed(2)} Mb (${state.windows} windows x ${p.strand === 'both' ? 2 : 1} strand(s)) in ${result.runtimeSeconds.toFixed(1)} s on ${backend}`);
  return result;
}

registerLazyJobKind(scanKind, async () => {
  const [{ initBackend }, { loadModelFolder }, { loadTokenizer }, { FastaReader }, { Scorer }, { ParallelScorer }] = await Promise.all([
    import('../engine/backend'),
    import('../engine/checkpoint/folder'),
    import('../engine/tokenizers/index'),
    import('../genome/fasta/reader'),
    import('./infer'),
    import('./parallel'),
  ]);
  const handler = async (ctx: JobContext<ScanJobParams>) => {
    const p = ctx.params;
    // Several instances of one thread each scale better than one instance's threads (no hand-over
    // per matrix product); one instance gets the wasm threads of every core.
    const { report } = await initBackend(p.backend, p.workers > 1 ? { threads: 1 } : {});
    ctx.log(`backend: ${report.summary}`);
    const loaded = await loadModelFolder(p.modelDir, { heads: { classifier: true, pooler: true, mlm: false }, signal: ctx.signal });
    try {
      if (loaded.config.numLabels !== p.numLabels) throw new Error(`${p.modelDir}: the model has ${loaded.config.numLabels} classes, the scan expected ${p.numLabels}`);
      const tokenizer = await loadTokenizer(p.modelDir);
      const scorer = new Scorer(loaded.model, tokenizer, p.numLabels, p.batchSize, p.maxTokens);
      const reader = await FastaReader.open(p.genome.fastaPath, { faiPath: p.genome.faiPath, ...(p.genome.gziPath && { gziPath: p.genome.gziPath }), rebuild: false });
      // tfjs-node(-gpu) already uses every core (or the GPU) from one process, and its native addon is not loaded twice.
      const instances = report.chosen === 'wasm' || report.chosen === 'cpu' ? p.workers : 1;
      if (instances !== p.workers) ctx.log(`${report.chosen} uses every core from one process: scanning with 1 engine instance, not ${p.workers}`);
      const spec = { modelDir: p.modelDir, backend: report.chosen, numLabels: p.numLabels, batchSize: p.batchSize, maxTokens: p.maxTokens };
      const pool = instances > 1 ? await ParallelScorer.start(scorer, spec, instances, ctx.signal) : null;
      if (pool) ctx.log(`scanning with ${instances} engine instances (this process and ${instances - 1} worker thread(s)), one core each`);
      try {
        const result = await runScan(ctx, pool ?? scorer, reader, report.chosen);
        return { tracks: result.tracks.length, bpTotal: result.bpTotal, runtimeSeconds: result.runtimeSeconds };
      } finally {
        await pool?.close();
      }
    } finally {
      loaded.model.dispose();
    }
  };
  return handler as JobHandler;
});
