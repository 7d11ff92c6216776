// ISM and variant effects of the bundled models (each given a seeded, unit-scale classification
// head so that mutations move the score) against an independent PyTorch implementation
// (test/reference/interpret.py: its own windows, tokenizers, reverse complement and softmax over
// models.py). Tolerance: 1e-4 absolute on every probability and every ISM/variant difference.
// Windows at both chromosome ends and on a chromosome shorter than the window are included; indels
// as well as SNVs. Skips with a message where python3 with torch is absent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../../main/engine/backend';
import { loadModelFolder } from '../../main/engine/checkpoint/folder';
import { loadTokenizer } from '../../main/engine/tokenizers/index';
import { Prng } from '../../main/engine/train/prng';
import { runIsm } from '../../main/interpret/ism';
import { scoreVariants } from '../../main/interpret/variants';
import type { VcfVariant } from '../../main/interpret/vcf';
import { Scorer } from '../../main/scan/infer';
import { bundledClassifier } from '../helpers/bundled-classifier';

const TOLERANCE = 1e-4;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REFERENCE = join(ROOT, 'test', 'reference', 'interpret.py');

function findTorchPython(): string | null {
  for (const py of [process.env.LOCI_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!py) continue;
    if (spawnSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}
const PYTHON = findTorchPython();
const NO_TORCH = PYTHON ? false : 'python3 with torch + numpy not found (apt-get install python3-torch, or set LOCI_PYTHON)';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
before(async () => {
  if (!NO_TORCH) await initBackend('wasm');
});

function randomDna(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += 'ACGT'[rng.int(4)];
  return s;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

for (const [name, seed] of [['loci-6mer-mini', 11], ['loci-bpe-mini', 12]] as const) {
  test(`ISM and variant effects of ${name} agree with the PyTorch reference to ${TOLERANCE}`, { skip: NO_TORCH, timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), `loci-ism-${name}-`));
    dirs.push(dir);
    await bundledClassifier(name, seed, dir);
    const rng = new Prng(seed);
    const genome: Record<string, string> = { chr1: randomDna(rng, 600), chr2: randomDna(rng, 150), tiny: randomDna(rng, 40) };
    const W = 64;
    const get = async (c: string, s: number, e: number) => genome[c]!.slice(s, e);
    const { model, config } = await loadModelFolder(dir);
    const scorer = new Scorer(model, await loadTokenizer(dir), config.numLabels, 16, 512);
    const regions = [
      { chrom: 'chr1', start: 290, end: 302 },
      { chrom: 'chr1', start: 0, end: 3 },
      { chrom: 'chr2', start: 147, end: 150 },
      { chrom: 'tiny', start: 18, end: 21 },
    ];
    const g1 = genome.chr1!;
    const variants: Pick<VcfVariant, 'chrom' | 'pos' | 'ref' | 'alt'>[] = [
      { chrom: 'chr1', pos: 301, ref: g1[300]!, alt: g1[300] === 'A' ? 'C' : 'A' }, // SNV
      { chrom: 'chr1', pos: 200, ref: g1.slice(199, 202), alt: 'GCG' === g1.slice(199, 202) ? 'TTT' : 'GCG' }, // MNP
      { chrom: 'chr1', pos: 400, ref: g1.slice(399, 400), alt: g1.slice(399, 400) + 'ACGTACG' }, // insertion
      { chrom: 'chr1', pos: 450, ref: g1.slice(449, 461), alt: g1.slice(449, 450) }, // deletion
      { chrom: 'chr1', pos: 2, ref: g1.slice(1, 3), alt: g1.slice(1, 2) }, // deletion at the start
      { chrom: 'chr2', pos: 149, ref: genome.chr2!.slice(148, 149), alt: genome.chr2!.slice(148, 149) + 'TT' }, // insertion at the end
    ];
    const full: VcfVariant[] = variants.map((v, i) => ({ ...v, line: i + 1, id: '.', altIndex: 1, altCount: 1, qual: '.', filter: '.', info: '.' }));
    const ours = [];
    for (const r of regions) ours.push(await runIsm(scorer, get, { ...r, chromLength: genome[r.chrom]!.length, window: W, classIndex: 1 }));
    const effects = await scoreVariants(scorer, get, (c) => genome[c]!.length, full, { window: W, classIndex: 1 });
    model.dispose();

    const job = join(dir, 'job.json');
    const out = join(dir, 'out.json');
    writeFileSync(job, JSON.stringify({ model: dir, genome, window: W, class: 1, ism: regions, variants }));
    const r = spawnSync(PYTHON!, ['-B', REFERENCE, job, out], { encoding: 'utf8' });
    assert.equal(r.status, 0, `interpret.py failed:\n${r.stderr}`);
    const ref = JSON.parse(readFileSync(out, 'utf8')) as { ism: Record<string, number[]>[]; variants: Record<string, number>[] };

    let largest = 0;
    ours.forEach((o, i) => {
      const e = ref.ism[i]!;
      for (const key of ['refForward', 'refReverse', 'deltaForward', 'deltaReverse'] as const) {
        const d = maxDiff(o[key], e[key]!);
        assert.ok(d <= TOLERANCE, `${name} ISM ${regions[i]!.chrom}:${regions[i]!.start}-${regions[i]!.end} ${key}: max |diff| ${d}`);
      }
      largest = Math.max(largest, ...Array.from(o.deltaForward, Math.abs));
    });
    effects.forEach((o, i) => {
      const e = ref.variants[i]!;
      for (const key of ['refForward', 'refReverse', 'altForward', 'altReverse'] as const) {
        assert.ok(Math.abs(o[key] - e[key]!) <= TOLERANCE, `${name} variant ${i + 1} ${key}: ours ${o[key]}, reference ${e[key]}`);
      }
      assert.ok(Math.abs(o.diffForward - (e.altForward! - e.refForward!)) <= TOLERANCE);
    });
    // Not vacuous: the head makes mutations move the probability far more than the tolerance.
    assert.ok(largest > 100 * TOLERANCE, `largest ISM change ${largest} is too small for the comparison to mean anything`);
  });
}
