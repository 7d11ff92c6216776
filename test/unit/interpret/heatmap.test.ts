// The ISM heatmap's arithmetic (renderer/src/pages/genome/interpret/heatmap.ts, DOM-free): the
// diverging scale, which positions a pixel column shows zoomed out, the strongest change under it,
// and the view kept inside the region while zooming, panning and following igv's locus.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clampView, columnPositions, divergingColor, panView, scaleBound, strongest, viewFromLocus, zoomView } from '../../../renderer/src/pages/genome/interpret/heatmap';

test('divergingColor: white at 0, blue for losses, red for gains, saturating at the bound; grey without a value', () => {
  assert.deepEqual(divergingColor(0, 1), [247, 247, 247]);
  assert.deepEqual(divergingColor(-1, 1), [33, 102, 172]);
  assert.deepEqual(divergingColor(1, 1), [178, 24, 43]);
  assert.deepEqual(divergingColor(5, 1), [178, 24, 43], 'clamped');
  const half = divergingColor(-0.5, 1);
  assert.deepEqual(half, [140, 175, 210]);
  assert.deepEqual(divergingColor(null, 1), [200, 200, 200]);
  assert.deepEqual(divergingColor(Number.NaN, 1), [200, 200, 200]);
  assert.deepEqual(divergingColor(0.3, 0), [247, 247, 247], 'a zero bound never divides by zero');
});

test('scaleBound is the largest |delta|, ignoring nulls, never 0', () => {
  assert.equal(scaleBound([0.1, null, -0.4, 0.2]), 0.4);
  assert.equal(scaleBound([0, null]), 1e-6);
});

test('columnPositions covers the view exactly once, in order, one or more bases per pixel', () => {
  const cols = columnPositions({ start: 1000, end: 1010 }, 900, 4);
  assert.deepEqual(cols, [
    { from: 100, to: 102 },
    { from: 102, to: 105 },
    { from: 105, to: 107 },
    { from: 107, to: 110 },
  ]);
  const many = columnPositions({ start: 0, end: 10_000 }, 0, 777);
  assert.equal(many.length, 777);
  assert.equal(many[0]!.from, 0);
  assert.equal(many.at(-1)!.to, 10_000);
  for (let i = 1; i < many.length; i++) assert.equal(many[i]!.from, many[i - 1]!.to, 'contiguous');
  assert.deepEqual(columnPositions({ start: 5, end: 5 }, 0, 10), []);
});

test('strongest picks the largest |change| of a row (L x 4 row-major), null when all are missing', () => {
  // positions 0..2, rows A C G T
  const d = [0, 0.1, -0.3, null, 0.2, 0, 0.25, null, -0.05, null, 0, null];
  assert.equal(strongest(d, 2, 0, 3), -0.3);
  assert.equal(strongest(d, 1, 0, 3), 0.1);
  assert.equal(strongest(d, 3, 0, 3), null);
  assert.equal(strongest(d, 0, 1, 3), 0.2);
});

test('views stay inside the region: clamp, zoom around a base, pan, follow the locus', () => {
  const region = { start: 1000, end: 3000 };
  assert.deepEqual(clampView({ start: 500, end: 700 }, region), { start: 1000, end: 1200 });
  assert.deepEqual(clampView({ start: 2900, end: 3100 }, region), { start: 2800, end: 3000 });
  assert.deepEqual(clampView({ start: 1500, end: 1505 }, region), { start: 1500, end: 1520 }, 'at least 20 bp');
  assert.deepEqual(clampView({ start: 0, end: 1e9 }, region), region, 'never wider than the region');
  assert.deepEqual(zoomView({ start: 1000, end: 2000 }, region, 0.5, 1500), { start: 1250, end: 1750 }, 'zoom in around the centre');
  assert.deepEqual(zoomView({ start: 1000, end: 1200 }, region, 0.5, 1000), { start: 1000, end: 1100 }, 'the base under the mouse stays put');
  assert.deepEqual(zoomView({ start: 1000, end: 2000 }, region, 4), region);
  assert.deepEqual(panView({ start: 1000, end: 1100 }, region, 250), { start: 1250, end: 1350 });
  assert.deepEqual(panView({ start: 1000, end: 1100 }, region, -50), { start: 1000, end: 1100 });
  const r = { chrom: 'chr1', ...region };
  assert.deepEqual(viewFromLocus({ chr: 'chr1', start: 900, end: 1400 }, r), { start: 1000, end: 1400 });
  assert.equal(viewFromLocus({ chr: 'chr2', start: 900, end: 1400 }, r), null);
  assert.equal(viewFromLocus({ chr: 'chr1', start: 3000, end: 3500 }, r), null);
});
