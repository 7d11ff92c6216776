// A stored track read back in pieces gives every interval exactly once, in order, including
// intervals longer than a piece and ones across a piece's start; an empty chromosome gives none.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BigWig } from '@gmod/bbi';
import { LocalFile } from 'generic-filehandle2';
import { Prng } from '../../../main/engine/train/prng';
import { writeBigWig } from '../../../main/genome/bigwig';
import { bigWigPieces } from '../../../main/scan/read';

test('bigWigPieces: every interval once, in order, whatever the piece size', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-read-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const chroms = [
    { name: 'a', length: 50_000 },
    { name: 'empty', length: 3_000 },
    { name: 'b', length: 20_000 },
  ];
  const rng = new Prng(9);
  const data: [number, number, number][][] = chroms.map((c) => {
    if (c.name === 'empty') return [];
    const out: [number, number, number][] = [];
    for (let s = 0; s < c.length; ) {
      // Mostly short runs, some far longer than a piece (as a run of Ns scores one value).
      const e = Math.min(c.length, s + 1 + (rng.int(20) === 0 ? 5000 + rng.int(8000) : rng.int(200)));
      if (rng.int(6) > 0) out.push([s, e, Math.fround(rng.next())]);
      s = e + (rng.int(5) === 0 ? rng.int(50) : 0);
    }
    return out;
  });
  const path = join(dir, 't.bw');
  writeBigWig(path, chroms, (ci, emit) => data[ci]!.forEach(([s, e, v]) => emit(s, e, v)));
  const bw = new BigWig({ filehandle: new LocalFile(path) });
  const expected = chroms.flatMap((c, ci) => data[ci]!.map(([s, e, v]) => [c.name, s, e, v]));
  for (const block of [1_000, 4_096, 1_000_000]) {
    const got: (string | number)[][] = [];
    let pieces = 0;
    for await (const p of bigWigPieces(bw, chroms, block)) {
      pieces++;
      for (let i = 0; i < p.starts.length; i++) got.push([p.chrom, p.starts[i]!, p.ends[i]!, p.scores[i]!]);
    }
    assert.deepEqual(got, expected, `block ${block}`);
    if (block === 1_000) assert.ok(pieces > 20, `${pieces} pieces`);
  }
});
