// Issue 11: a scan's memory stays bounded whatever the genome size, and a scan paused in the middle
// of a chromosome continues where it stopped. The scan job's own streaming path (runScan: chunked
// FASTA reads, windows, both strands, per-base means, records files, bigWigs) runs in a child
// process over one generated chromosome of 10 Mb and one of 100 Mb, with a stand-in scorer (a
// window's GC fraction) so that only the streaming is measured. Peak RSS may not grow by more than
// GROWTH_MB between the two: holding the 100 Mb chromosome once (one byte per base) would add
// 90 MB, its windows far more. The pause + resume run gives the same bigWig bytes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { BigWig } from '@gmod/bbi';
import { LocalFile } from 'generic-filehandle2';
import { Prng } from '../../main/engine/train/prng';

const CHILD = fileURLToPath(new URL('./scan-memory-child.ts', import.meta.url));
const WINDOW = 1000;
const STRIDE = 500;
/** Peak RSS growth allowed from a 10 Mb to a 100 Mb chromosome. */
const GROWTH_MB = 40;
/** The stated bound for the 100 Mb scan's peak RSS (node + tsx + the scan path). */
const PEAK_MB = 400;

/** One chromosome of `length` random bases (a 1 Mb block with a per-block rotation), 60 per line. */
function writeGenome(path: string, name: string, length: number): void {
  const rng = new Prng(7);
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i++) block[i] = 'ACGT'.charCodeAt(rng.int(4));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `>${name}\n`);
    const lines = 10_000;
    const buf = Buffer.alloc(lines * 61);
    for (let at = 0; at < length; ) {
      let used = 0;
      for (let l = 0; l < lines && at < length; l++) {
        const n = Math.min(60, length - at);
        const rot = Math.floor(at / block.length) * 7919;
        for (let j = 0; j < n; j++) buf[used++] = block[(at + j + rot) % block.length]!;
        buf[used++] = 10;
        at += n;
      }
      writeSync(fd, buf, 0, used);
    }
  } finally {
    closeSync(fd);
  }
}

interface ChildResult {
  stopped: boolean;
  bpDone: number;
  seconds: number;
  peakRssMb: number;
  logs: string[];
}

function scanIn(fasta: string, dir: string, stopAfter?: number): ChildResult {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, fasta, dir, String(WINDOW), String(STRIDE), ...(stopAfter !== undefined ? [String(stopAfter)] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

test('a 100 Mb chromosome scans in bounded memory; a scan paused mid-chromosome resumes to the same bytes', { timeout: 900_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-scan-memory-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const small = join(dir, 'small.fa');
  const large = join(dir, 'large.fa');
  writeGenome(small, 'chrS', 10_000_000);
  writeGenome(large, 'chrL', 100_000_000);

  const s = scanIn(small, join(dir, 'small'));
  const l = scanIn(large, join(dir, 'large'));
  t.diagnostic(`peak RSS: 10 Mb ${s.peakRssMb.toFixed(0)} MB (${s.seconds.toFixed(1)} s), 100 Mb ${l.peakRssMb.toFixed(0)} MB (${l.seconds.toFixed(1)} s)`);
  assert.equal(l.bpDone, 100_000_000);
  assert.ok(l.peakRssMb - s.peakRssMb < GROWTH_MB, `peak RSS grew by ${(l.peakRssMb - s.peakRssMb).toFixed(0)} MB from 10 to 100 Mb (allowed ${GROWTH_MB})`);
  assert.ok(l.peakRssMb < PEAK_MB, `peak RSS ${l.peakRssMb.toFixed(0)} MB over ${PEAK_MB} MB`);

  // The track covers the whole chromosome; a base's score is the mean of its two windows' GC.
  const bw = new BigWig({ filehandle: new LocalFile(join(dir, 'large', 'track-1-combined.bw')) });
  const hdr = await bw.getHeader();
  assert.equal(hdr.refsByName.chrL !== undefined, true);
  const tail = (await bw.getFeatures('chrL', 99_990_000, 100_000_000)) as { end: number }[];
  assert.equal(tail.at(-1)!.end, 100_000_000, 'the last base is scored');
  const text = readFileSync(large, 'latin1').split('\n').slice(1).join('');
  const gc = (a: number, b: number) => [...text.slice(a, b)].filter((c) => c === 'G' || c === 'C').length / (b - a);
  for (const pos of [12_345_678, 77_777_777]) {
    const f = ((await bw.getFeatures('chrL', pos, pos + 1)) as { start: number; end: number; score: number }[]).find((x) => x.start <= pos && x.end > pos)!;
    const k = Math.floor(pos / STRIDE);
    const expected = (gc(k * STRIDE, k * STRIDE + WINDOW) + gc((k - 1) * STRIDE, (k - 1) * STRIDE + WINDOW)) / 2;
    assert.ok(Math.abs(f.score - expected) < 1e-6, `score at ${pos}: ${f.score} vs ${expected}`);
  }

  // Paused after 3.2 Mb of the 10 Mb chromosome (in its 33rd chunk), then resumed in a new process.
  const pausedDir = join(dir, 'paused');
  const first = scanIn(small, pausedDir, 3_200_000);
  assert.equal(first.stopped, true);
  assert.equal(first.bpDone, 3_200_000);
  const second = scanIn(small, pausedDir);
  assert.equal(second.stopped, false);
  assert.ok(second.logs.some((x) => x === 'resuming after chunk 32 of 100 (3200000 of 10000000 bp done)'), second.logs.join('\n'));
  assert.ok(readFileSync(join(pausedDir, 'track-1-combined.bw')).equals(readFileSync(join(dir, 'small', 'track-1-combined.bw'))), 'pause + resume: same bytes');
  for (const strand of ['forward', 'reverse']) {
    assert.ok(readFileSync(join(pausedDir, `track-1-${strand}.bw`)).equals(readFileSync(join(dir, 'small', `track-1-${strand}.bw`))), `${strand} strand: same bytes`);
  }
});
