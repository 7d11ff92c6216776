// suggestions.list on a real (tiny) scan, checked against a dense per-base recomputation from the
// scan's exported bedGraph tracks; and `loci suggest` through the CLI runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForScan } from '../../main/api/scans';
import { runCli } from '../../main/cli/run';
import { scanHarness } from './scan-fixture';

/** Per-base values of a bedGraph (NaN where it says nothing). */
function dense(path: string, chrom: string, length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [c, s, e, v] = line.split('\t');
    if (c !== chrom || v === undefined) continue;
    for (let i = Number(s); i < Number(e); i++) out[i] = Number(v);
  }
  return out;
}

test('suggestions.list ranks a scan\'s regions as a dense recomputation does; strands mode; loci suggest prints them', async (t) => {
  const h = await scanHarness(t, { chr1: 12_000, chr2: 4_000 });
  const { scanId } = await h.call('scans.start', { project: h.project, modelId: h.modelId, window: 60, strand: 'both', combine: 'mean', backend: 'wasm' });
  const scan = await waitForScan(h.ctx, h.project, scanId);
  assert.equal(scan.state, 'done');
  const k = scan.classesOfInterest[0]!;
  const r = await h.call('suggestions.list', { project: h.project, scanId, top: 10, size: 200 });
  assert.equal(r.regions.length, 10);
  assert.equal(r.size, 200);
  for (let i = 1; i < r.regions.length; i++) assert.ok(r.regions[i - 1]!.rank >= r.regions[i]!.rank, 'sorted, most uncertain first');

  // Reference: per-base combined, forward and reverse scores; 16 sub-bins of 12.5 bp do not divide 200 evenly, so 10 of 20 bp.
  const files = Object.fromEntries(
    await Promise.all(
      (['combined', 'forward', 'reverse'] as const).map(async (strand) => {
        const out = join(h.dir, `${strand}.bedgraph`);
        await h.call('scans.export', { project: h.project, scanId, classIndex: k, format: 'bedgraph', out, strand });
        return [strand, out];
      }),
    ),
  ) as Record<'combined' | 'forward' | 'reverse', string>;
  const lengths: Record<string, number> = { chr1: 12_000, chr2: 4_000 };
  const reference = (chrom: string, start: number) => {
    const p = dense(files.combined, chrom, lengths[chrom]!);
    const f = dense(files.forward, chrom, lengths[chrom]!);
    const b = dense(files.reverse, chrom, lengths[chrom]!);
    const mean = (a: Float64Array, s: number, e: number) => {
      const v = [...a.slice(s, e)].filter((x) => !Number.isNaN(x));
      return v.length ? v.reduce((x, y) => x + y, 0) / v.length : NaN;
    };
    let u = 0;
    let g = 0;
    let n = 0;
    for (let s = start; s < start + 200; s += 20) {
      const m = mean(p, s, s + 20);
      if (Number.isNaN(m)) continue;
      u += 1 - Math.abs(2 * m - 1);
      g += Math.abs(mean(f, s, s + 20) - mean(b, s, s + 20));
      n++;
    }
    return { u: u / n, g: g / n };
  };
  for (const reg of r.regions.slice(0, 3)) {
    const ref = reference(reg.chrom, reg.start);
    // bedGraph text carries the float32 scores with 6+ significant digits: 1e-4 is ample.
    assert.ok(Math.abs(reg.uncertainty - ref.u) < 1e-4, `${reg.chrom}:${reg.start} uncertainty ${reg.uncertainty} vs ${ref.u}`);
    assert.ok(Math.abs(reg.strandGap! - ref.g) < 1e-4, `${reg.chrom}:${reg.start} strand gap ${reg.strandGap} vs ${ref.g}`);
  }
  const s = await h.call('suggestions.list', { project: h.project, scanId, by: 'strands', top: 5 });
  assert.equal(s.size, 60, "default size: the scan's window");
  for (let i = 1; i < s.regions.length; i++) assert.ok(s.regions[i - 1]!.strandGap! >= s.regions[i]!.strandGap!);

  let stdout = '';
  let stderr = '';
  const io = { out: (x: string) => void (stdout += x + '\n'), err: (x: string) => void (stderr += x + '\n') };
  const code = await runCli(['suggest', '--project', h.project, '--scan', String(scanId), '--top', '3', '--size', '200', '--data-dir', join(h.dir, 'cli-data')], { io, env: {} });
  assert.equal(code, 0, stderr);
  assert.match(stdout, new RegExp(`^Scan ${scanId}, class ".+": 3 of [\\d,]+ regions of 200 bp, least certain first$`, 'm'));
  const first = r.regions[0]!;
  assert.match(stdout, new RegExp(`^1 +${first.chrom}:[\\d,]+-[\\d,]+ +${first.uncertainty.toFixed(3)} +${first.strandGap!.toFixed(3)} +${first.score.toFixed(3)}$`, 'm'));
  const bad = await runCli(['suggest', '--project', h.project, '--scan', String(scanId), '--by', 'loud', '--data-dir', join(h.dir, 'cli-data')], { io, env: {} });
  assert.notEqual(bad, 0);
  assert.match(stderr, /--by must be uncertain or strands, got "loud"/);
});
