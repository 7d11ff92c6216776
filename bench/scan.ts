// Benchmark: genome scan throughput (bp/s, both strands) of loci-bpe-mini with a seeded classifier
// head (the bundled model has none: the head is initialised with a fixed seed and saved to a temp
// folder, which both sides read) over the E. coli genome in ../shared/data/genomes, next to the
// same model in PyTorch (test/reference/models.py via bench/reference/scan_peer.py: same token ids,
// same batches) in the same run. Ours is the scan job's own Scorer (tokenise + bucket + forward) on
// the chosen backend, on --workers engine instances as the scan job runs it (this process and
// worker threads, main/scan/parallel.ts; the threads' start-up is timed apart); the peer runs with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset in its command
// alone. The engine's and the peer's probabilities are compared on the first windows (max |diff|).
//   node --import tsx bench/scan.ts [--bp N (default: whole genome)] [--window 200] [--stride 100]
//     [--batch 32] [--repeats 1] [--threads 2] [--backend wasm] [--workers 1]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { BackendPreference } from '../shared/contract/system';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const WINDOW = Number(opt('--window', '200'));
const STRIDE = Number(opt('--stride', '100'));
const BATCH = Number(opt('--batch', '32'));
const REPEATS = Number(opt('--repeats', '1'));
const THREADS = Number(opt('--threads', '2'));
const BACKEND = opt('--backend', 'wasm') as BackendPreference;
const WORKERS = Number(opt('--workers', '1'));
const COMPARE = 64;

const genomeDir = join(here, '..', '..', 'shared', 'data', 'genomes', 'ecoli-k12-mg1655');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function findFasta(): string | null {
  if (!existsSync(genomeDir)) return null;
  const f = readdirSync(genomeDir).find((n) => /\.(fa|fasta|fna)(\.gz)?$/.test(n));
  return f ? join(genomeDir, f) : null;
}

async function main(): Promise<void> {
  const fasta = findFasta();
  if (!fasta) {
    console.log(`scan bench: skipped (no E. coli FASTA in ${genomeDir})`);
    return;
  }
  const { initBackend } = await import('../main/engine/backend');
  const { loadModelFolder, saveModelFolder, TOKENIZER_FILES } = await import('../main/engine/checkpoint/folder');
  const { loadTokenizer } = await import('../main/engine/tokenizers/index');
  const { Scorer } = await import('../main/scan/infer');
  const { ParallelScorer } = await import('../main/scan/parallel');
  const { reverseComplement } = await import('../main/datasets/sequence');
  // As the scan job: one XNNPACK thread per instance with several instances, every core's with one.
  const { report } = await initBackend(BACKEND, WORKERS > 1 ? { threads: 1 } : {});

  // The seeded classifier copy of the bundled model.
  const src = join(here, '..', 'resources', 'models', 'loci-bpe-mini');
  const tmp = mkdtempSync(join(tmpdir(), 'loci-scan-bench-'));
  try {
    const modelDir = join(tmp, 'clf');
    const base = await loadModelFolder(src, { heads: { classifier: true, pooler: true, mlm: false }, numLabels: 2, seed: 11 });
    await saveModelFolder(base.model, modelDir);
    base.model.dispose();
    for (const f of [...TOKENIZER_FILES, 'loci-tokenizer.json']) if (existsSync(join(src, f))) copyFileSync(join(src, f), join(modelDir, f));
    const cfg = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(modelDir, 'config.json'), JSON.stringify({ ...cfg, architectures: ['BertForSequenceClassification'], num_labels: 2 }, null, 2));
    const loaded = await loadModelFolder(modelDir, { heads: { classifier: true, pooler: true, mlm: false } });
    const tokenizer = await loadTokenizer(modelDir);

    // Windows over every sequence, forward and reverse complement (N-only windows kept: the scan keeps them too).
    const text = fasta.endsWith('.gz') ? gunzipSync(readFileSync(fasta)).toString('utf8') : readFileSync(fasta, 'utf8');
    const seqs = text.split('>').filter(Boolean).map((rec) => rec.slice(rec.indexOf('\n') + 1).replace(/\s+/g, '').toUpperCase());
    const limit = Number(opt('--bp', String(seqs.reduce((a, s) => a + s.length, 0))));
    const windows: string[] = [];
    let bp = 0;
    for (const s of seqs) {
      const take = Math.min(s.length, limit - bp);
      if (take <= 0) break;
      for (let at = 0; at < take; at += STRIDE) {
        const w = s.slice(at, Math.min(at + WINDOW, s.length));
        windows.push(w, reverseComplement(w));
        if (at + WINDOW >= take) break;
      }
      bp += take;
    }
    console.log(`scan bench: ${bp.toLocaleString('en-US')} bp of ${fasta.split('/').pop()}, window ${WINDOW} stride ${STRIDE}, both strands = ${windows.length.toLocaleString('en-US')} windows, batch ${BATCH}; ours on ${report.summary.split(':')[0]}, ${WORKERS} worker(s); ${cpus().length} CPUs; load before ${load()}`);

    const ours: { seconds: number; infer: number; tokenize: number }[] = [];
    const peers: { seconds: number; windows_per_s: number; peak_rss_mb: number; max_abs_diff: number; torch: string }[] = [];
    let idsPath = '';
    const probsPath = join(tmp, 'ours.f64');
    const spec = { modelDir, backend: report.chosen, numLabels: 2, batchSize: BATCH, maxTokens: 512 };
    let startup = 0;
    for (let r = 0; r < REPEATS; r++) {
      const local = new Scorer(loaded.model, tokenizer, 2, BATCH, 512);
      const s0 = performance.now();
      const scorer = WORKERS > 1 ? await ParallelScorer.start(local, spec, WORKERS) : local;
      startup = (performance.now() - s0) / 1000;
      const t0 = performance.now();
      let probs: Float64Array;
      try {
        probs = await scorer.score(windows);
      } finally {
        if (scorer instanceof ParallelScorer) await scorer.close();
      }
      // With several instances, inference and tokenising are summed over them (CPU seconds, not wall).
      ours.push({ seconds: (performance.now() - t0) / 1000, infer: scorer.stats.inferSeconds / WORKERS, tokenize: scorer.stats.tokenizeSeconds / WORKERS });
      if (r === 0) {
        writeFileSync(probsPath, Buffer.from(probs.buffer, probs.byteOffset, COMPARE * 2 * 8));
        // The same token ids for the peer: [n, lengths..., ids...] as int32.
        const enc = await tokenizer.encodeBatch(windows, { padding: 'longest', maxLength: 512, truncation: true });
        const lengths = new Int32Array(enc.batch);
        const flat: number[] = [];
        for (let i = 0; i < enc.batch; i++) {
          for (let j = 0; j < enc.length; j++) if (enc.attentionMask[i * enc.length + j]) { lengths[i]!++; flat.push(enc.ids[i * enc.length + j]!); }
        }
        const out = new Int32Array(1 + enc.batch + flat.length);
        out[0] = enc.batch;
        out.set(lengths, 1);
        out.set(flat, 1 + enc.batch);
        idsPath = join(tmp, 'ids.i32');
        writeFileSync(idsPath, Buffer.from(out.buffer));
      }
      // The peer, interleaved: OpenBLAS tuning variables unset in its command alone.
      const env = { ...process.env };
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
      const py = spawnSync(process.env.LOCI_PYTHON ?? '/usr/bin/python3', [join(here, 'reference', 'scan_peer.py'), modelDir, idsPath, probsPath, String(BATCH), String(THREADS)], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
      if (py.status !== 0) {
        console.log(`scan bench: PyTorch peer skipped (${(py.stderr || py.error?.message || '').trim().split('\n').pop()})`);
        break;
      }
      peers.push(JSON.parse(py.stdout.trim().split('\n').pop()!) as (typeof peers)[number]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const oursS = median(ours.map((o) => o.seconds));
    const oursInfer = median(ours.map((o) => o.infer));
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`ours   (${report.chosen}, ${WORKERS} worker(s)${WORKERS > 1 ? `, ${startup.toFixed(1)} s to start the threads, not counted` : ''}): ${(bp / oursS).toFixed(0)} bp/s both strands; ${(windows.length / oursS).toFixed(1)} windows/s (inference alone ${(windows.length / oursInfer).toFixed(1)}/s, tokenising ${median(ours.map((o) => o.tokenize)).toFixed(1)} s); ${oursS.toFixed(1)} s; whole 4.64 Mb genome ≈ ${((4_641_652 / (bp / oursS)) / 60).toFixed(1)} min; peak RSS ${rss.toFixed(0)} MB; runs ${ours.map((o) => o.seconds.toFixed(1)).join(', ')} s`);
    if (peers.length) {
      const pS = median(peers.map((p) => p.seconds));
      console.log(`PyTorch ${peers[0]!.torch} (${THREADS} threads): ${(bp / pS).toFixed(0)} bp/s; ${(windows.length / pS).toFixed(1)} windows/s; ${pS.toFixed(1)} s; peak RSS ${median(peers.map((p) => p.peak_rss_mb)).toFixed(0)} MB; runs ${peers.map((p) => p.seconds.toFixed(1)).join(', ')} s`);
      console.log(`ratio (ours inference / PyTorch): ${(pS / oursInfer).toFixed(2)}x; end to end ${(pS / oursS).toFixed(2)}x; max |p_ours - p_torch| over ${COMPARE} windows: ${peers[0]!.max_abs_diff.toExponential(2)}`);
    }
    console.log(`load after ${load()}${loadavg()[0]! > cpus().length ? ' (busy machine: the figures are not a quiet-machine measurement)' : ''}`);
    loaded.model.dispose();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
