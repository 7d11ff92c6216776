// Benchmark: in-silico mutagenesis forward passes per second, Loci (tfjs, main/interpret/ism.ts
// through the scan's batched scorer) next to the independent PyTorch implementation
// (test/reference/interpret.py over models.py) on the same model and the same windows, in the same
// run. The model is the bundled loci-6mer-mini (DNABERT-style 6-mers) with a seeded classification
// head; ISM of --bp bases with a --window bp window, both strands (8 forward passes per base).
// Both sides run one thread (wasm is single-threaded in Node; torch.set_num_threads(1)) and time the
// same work: tokenising, forward passes and softmax (not model loading or Python's start-up). The
// peer runs with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset in its command alone; ours and the peer's
// runs are interleaved, --repeats times, and the load average is printed before and after.
//   node --import tsx bench/ism.ts [--repeats 3] [--bp 32] [--window 200] [--backend wasm] [--batch 64]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendPreference } from '../shared/contract/system';
import { initBackend } from '../main/engine/backend';
import { loadModelFolder } from '../main/engine/checkpoint/folder';
import { loadTokenizer } from '../main/engine/tokenizers/index';
import { Prng } from '../main/engine/train/prng';
import { runIsm } from '../main/interpret/ism';
import { Scorer } from '../main/scan/infer';
import { bundledClassifier } from '../test/helpers/bundled-classifier';
import { peerEnv, summarize } from './engine';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const repeats = Number(opt('--repeats', '3'));
const bp = Number(opt('--bp', '32'));
const window = Number(opt('--window', '200'));
const backend = opt('--backend', 'wasm') as BackendPreference;
const batch = Number(opt('--batch', '64'));
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTorchPython(): string | null {
  for (const py of [process.env.LOCI_PYTHON, 'python3', '/usr/bin/python3']) {
    if (py && spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loci-bench-ism-'));
  try {
    await bundledClassifier('loci-6mer-mini', 11, dir);
    const rng = new Prng(7);
    let chrom = '';
    for (let i = 0; i < 2 * window + bp; i++) chrom += 'ACGT'[rng.int(4)];
    const region = { chrom: 'chr1', start: window, end: window + bp };
    const { report } = await initBackend(backend);
    const { model, config } = await loadModelFolder(dir);
    const scorer = new Scorer(model, await loadTokenizer(dir), config.numLabels, batch, 512);
    const get = async (_c: string, s: number, e: number) => chrom.slice(s, e);
    const ours = async () => {
      const t0 = performance.now();
      const r = await runIsm(scorer, get, { ...region, chromLength: chrom.length, window, classIndex: 1 });
      return r.sequences / ((performance.now() - t0) / 1000);
    };
    const py = findTorchPython();
    const job = join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ model: dir, genome: { chr1: chrom }, window, class: 1, ism: [region], variants: [] }));
    const peer = (): number => {
      const out = join(dir, 'out.json');
      const r = spawnSync(py!, ['-B', join(ROOT, 'test', 'reference', 'interpret.py'), job, out], { encoding: 'utf8', env: peerEnv() });
      if (r.status !== 0) throw new Error(`interpret.py failed: ${r.stderr}`);
      const o = JSON.parse(readFileSync(out, 'utf8')) as { ismSeconds: number; ismSequences: number };
      return o.ismSequences / o.ismSeconds;
    };
    const before = loadavg();
    console.log(`ISM of ${bp} bp, ${window} bp windows, both strands: ${8 * bp} forward passes per run; loci-6mer-mini (6-mers, ${window - 3} tokens) with a seeded head; batch ${batch}`);
    console.log(`load average before: ${before.map((x) => x.toFixed(2)).join(' ')}`);
    await ours(); // warm-up (kernels, first allocations)
    const a: number[] = [];
    const b: number[] = [];
    for (let k = 0; k < repeats; k++) {
      a.push(await ours());
      if (py) b.push(peer());
    }
    const after = loadavg();
    model.dispose();
    const s = summarize(a);
    console.log(`Loci (tfjs ${report.chosen}, 1 thread): ${s.median.toFixed(1)} forward passes/s (median of ${repeats}; ${a.map((x) => x.toFixed(1)).join(', ')})`);
    if (py) {
      const t = summarize(b);
      console.log(`PyTorch (test/reference/interpret.py, torch ${spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()}, 1 thread, OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset): ${t.median.toFixed(1)} forward passes/s (median of ${repeats}; ${b.map((x) => x.toFixed(1)).join(', ')})`);
      console.log(`ratio Loci / PyTorch: ${(s.median / t.median).toFixed(2)}`);
    } else console.log('PyTorch: skipped (python3 with torch not found; apt-get install python3-torch or set LOCI_PYTHON)');
    console.log(`load average after: ${after.map((x) => x.toFixed(2)).join(' ')}${after[0]! > 1 ? ' (busy machine: on 2 cores a load above 1 slows both sides, PyTorch more than wasm)' : ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
