// The bigWig writer, checked by reading what it writes with two independent readers: @gmod/bbi
// (JBrowse/igv.js's reader) and Debian's python3-pybigwig (libBigWig; skipped with a message where
// it is absent). Values are float32: compared exactly after Math.fround; zoom summaries to 1e-4.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BigWig } from '@gmod/bbi';
import { LocalFile } from 'generic-filehandle2';
import { writeBigWig, type BigWigChrom } from '../../../main/genome/bigwig';
import { Prng } from '../../../main/engine/train/prng';

type Rec = [number, number, number];

/** Random bedGraph: runs of 1-300 bp, some gaps, values in [-2, 5). */
function randomData(chroms: readonly BigWigChrom[], seed: number): Rec[][] {
  const rng = new Prng(seed);
  return chroms.map((c) => {
    const out: Rec[] = [];
    for (let s = rng.int(50); s < c.length; ) {
      const e = Math.min(c.length, s + 1 + rng.int(300));
      if (rng.int(5) > 0) out.push([s, e, rng.next() * 7 - 2]);
      s = e + (rng.int(4) === 0 ? rng.int(100) : 0);
    }
    return out;
  });
}

function write(dir: string, chroms: BigWigChrom[], data: Rec[][], name = 't.bw') {
  const path = join(dir, name);
  const summary = writeBigWig(path, chroms, (ci, emit) => {
    for (const [s, e, v] of data[ci]!) emit(s, e, v);
  });
  return { path, summary };
}

const tmp = (t: { after(fn: () => void): void }) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-bw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

test('@gmod/bbi reads back every interval of a multi-chromosome file, and its zoom levels summarise the data', async (t) => {
  const dir = tmp(t);
  const chroms = [
    { name: 'chr2', length: 180_000 },
    { name: 'chr1', length: 250_000 },
    { name: 'plasmid_pX', length: 7_000 },
    { name: 'empty', length: 1_000 },
  ];
  const data = randomData(chroms, 11);
  data[3] = [];
  const { path, summary } = write(dir, chroms, data);
  const bw = new BigWig({ filehandle: new LocalFile(path) });
  const h = await bw.getHeader();
  assert.deepEqual(Object.fromEntries(Object.entries(h.refsByName)), { chr2: 0, chr1: 1, plasmid_pX: 2, empty: 3 });
  assert.ok(h.zoomLevels.length >= 3, `zoom levels: ${h.zoomLevels.length}`);
  assert.deepEqual(summary.zoomReductions, h.zoomLevels.map((z: { reductionLevel: number }) => z.reductionLevel));
  for (const [ci, c] of chroms.entries()) {
    const got = (await bw.getFeatures(c.name, 0, c.length)) as { start: number; end: number; score: number }[];
    assert.deepEqual(got.map((f) => [f.start, f.end, f.score]), data[ci]!.map(([s, e, v]) => [s, e, Math.fround(v)]), c.name);
  }
  // A window in the middle: only overlapping intervals.
  const mid = (await bw.getFeatures('chr1', 100_000, 100_500)) as { start: number; end: number }[];
  assert.ok(mid.length > 0 && mid.every((f) => f.end > 100_000 && f.start < 100_500));
  // Zoom: each summary bin's mean equals the data's mean over the bases it covers.
  const z = (await bw.getFeatures('chr1', 0, 250_000, { scale: 1 / summary.zoomReductions[1]! })) as { start: number; end: number; score: number; minScore: number; maxScore: number; summary?: boolean }[];
  assert.ok(z.length > 0 && z.every((f) => f.summary));
  for (const bin of z.slice(0, 20)) {
    let sum = 0;
    let n = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const [s, e, v] of data[1]!) {
      const o = Math.min(e, bin.end) - Math.max(s, bin.start);
      if (o <= 0) continue;
      const f = Math.fround(v);
      sum += f * o;
      n += o;
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    assert.ok(Math.abs(bin.score - sum / n) < 1e-4, `bin ${bin.start}-${bin.end}: ${bin.score} vs ${sum / n}`);
    assert.equal(bin.minScore, min);
    assert.equal(bin.maxScore, max);
  }
});

test('more chromosomes than one B+ tree node holds (multi-level chromosome tree)', async (t) => {
  const dir = tmp(t);
  const chroms = Array.from({ length: 700 }, (_, i) => ({ name: `contig_${String(i * 7919 % 700).padStart(4, '0')}`, length: 500 + i }));
  const data = chroms.map((c, i) => [[10, c.length - 10, i / 10] as Rec]);
  const { path } = write(dir, chroms, data);
  const bw = new BigWig({ filehandle: new LocalFile(path) });
  const h = await bw.getHeader();
  assert.equal(Object.keys(h.refsByName).length, 700);
  for (const i of [0, 255, 256, 511, 699]) {
    const got = (await bw.getFeatures(chroms[i]!.name, 0, chroms[i]!.length)) as { score: number }[];
    assert.deepEqual(got.map((f) => f.score), [Math.fround(i / 10)], chroms[i]!.name);
  }
  const py = pyBigWig(path, chroms.filter((_, i) => i % 97 === 0).map((c) => c.name));
  if (py) {
    for (const [i, c] of chroms.entries()) if (i % 97 === 0) assert.deepEqual(py.intervals[c.name], [[10, c.length - 10, Math.fround(i / 10)]]);
    assert.equal(Object.keys(py.chroms).length, 700);
  }
});

test('out-of-order, overlapping or out-of-range intervals are refused', (t) => {
  const dir = tmp(t);
  const chroms = [{ name: 'c', length: 100 }];
  assert.throws(() => write(dir, chroms, [[[10, 20, 1], [15, 30, 1]]]), /c:15-30 is out of order/);
  assert.throws(() => write(dir, chroms, [[[90, 120, 1]]]), /past the end \(100 bp\)/);
  assert.throws(() => write(dir, chroms, [[[1, 2, NaN]]]), /not a finite number/);
});

interface PyView {
  chroms: Record<string, number>;
  header: { nLevels: number; nBasesCovered: number; minVal: number; maxVal: number };
  intervals: Record<string, [number, number, number][]>;
  means: Record<string, number[]>;
}

/** What pyBigWig (libBigWig) reads; null (and a skip message) where python3-pybigwig is not installed. */
function pyBigWig(path: string, names: string[], binWidth = 0): PyView | null {
  const script = `
import json, sys, pyBigWig
bw = pyBigWig.open(sys.argv[1])
names = json.loads(sys.argv[2])
ch = bw.chroms()
print(json.dumps({"chroms": ch, "header": bw.header(),
  "intervals": {n: bw.intervals(n) or [] for n in names},
  "means": {n: [x if x is not None else -1 for x in bw.stats(n, 0, (ch[n] // w) * w, type="mean", nBins=ch[n] // w)] for n in names} if w else {}}))`;
  const r = spawnSync('/usr/bin/python3', ['-c', script.replace('names = json', `w = ${binWidth}\nnames = json`), path, JSON.stringify(names)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error || r.status !== 0) {
    if (/No module named 'pyBigWig'/.test(r.stderr ?? '') || r.error) {
      console.log('# skipped the pyBigWig check: python3-pybigwig is not installed (apt-get install python3-pybigwig)');
      return null;
    }
    throw new Error(`pyBigWig failed: ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as PyView;
}

test('python3-pybigwig (libBigWig) reads the same intervals, header and zoom-level means', (t) => {
  const dir = tmp(t);
  const chroms = [
    { name: 'chrB', length: 120_000 },
    { name: 'chrA', length: 60_000 },
  ];
  const data = randomData(chroms, 5);
  const { path, summary } = write(dir, chroms, data);
  // Bins as wide as the third zoom level: aligned with every level libBigWig may choose for them.
  const width = summary.zoomReductions[2]!;
  const py = pyBigWig(path, ['chrA', 'chrB'], width);
  if (!py) return t.skip('python3-pybigwig is not installed');
  assert.deepEqual(py.chroms, { chrA: 60_000, chrB: 120_000 });
  assert.equal(py.header.nLevels, summary.zoomReductions.length);
  assert.equal(py.header.nBasesCovered, summary.basesCovered);
  assert.equal(py.header.minVal, Math.trunc(summary.min)); // pyBigWig prints the header's doubles as integers
  for (const [ci, c] of chroms.entries()) {
    assert.deepEqual(py.intervals[c.name], data[ci]!.map(([s, e, v]) => [s, e, Math.fround(v)]));
    // stats() without exact=True answers from the zoom levels: each bin's mean against the data's.
    const bins: number[] = py.means[c.name]!;
    assert.equal(bins.length, Math.floor(c.length / width));
    bins.forEach((m, b) => {
      const lo = b * width;
      const hi = lo + width;
      let sum = 0;
      let n = 0;
      for (const [s, e, v] of data[ci]!) {
        const o = Math.min(e, hi) - Math.max(s, lo);
        if (o <= 0) continue;
        sum += Math.fround(v) * o;
        n += o;
      }
      assert.ok(Math.abs(m - sum / n) < 1e-4, `${c.name} bin ${b}: ${m} vs ${sum / n}`);
    });
  }
});
