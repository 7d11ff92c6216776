// Dataset versions from annotations (main/datasets/version.ts): the parent's split rule, no window
// in two splits (nor over another split's window), the test set unchanged unless asked, relabelling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDataset } from '../../../main/datasets/build';
import { IntervalIndex } from '../../../main/datasets/intervals';
import { Rng } from '../../../main/datasets/prng';
import { memorySource } from '../../../main/datasets/sources';
import { parseBuildParams, SPLITS, type BuildParamsInput } from '../../../main/datasets/spec';
import type { DatasetWindow, Region } from '../../../main/datasets/types';
import { buildVersion, type VersionAnnotation } from '../../../main/datasets/version';
import { patchyGenome } from './helpers';

const genome = patchyGenome({ chr1: 120_000, chr2: 40_000 }, 5);
const source = memorySource(genome);
const rng = new Rng(3);
const regions: Region[] = Array.from({ length: 80 }, () => {
  const chrom = rng.next() < 0.7 ? 'chr1' : 'chr2';
  const p = 200 + rng.int(genome[chrom]!.length - 400);
  return { chrom, start: p, end: p + 1, name: `s${p}` };
});
const sets = [{ label: 'site', regions }];
// Annotations: 60 of 50..400 bp anywhere, both classes.
const annRng = new Rng(9);
const annotations: VersionAnnotation[] = Array.from({ length: 60 }, (_, i) => {
  const chrom = annRng.next() < 0.7 ? 'chr1' : 'chr2';
  const start = annRng.int(genome[chrom]!.length - 500);
  return { id: i + 1, chrom, start, end: start + 50 + annRng.int(350), label: annRng.next() < 0.6 ? 'site' : 'background' };
});

async function parentOf(input: BuildParamsInput) {
  const params = parseBuildParams(input);
  const ds = await buildDataset(params, source, sets);
  return { params, ds };
}

const base: BuildParamsInput = { seed: 42, window: { mode: 'tiled', length: 100, stride: 100 }, negatives: { strategy: 'random', ratio: 1, margin: 100 }, split: { kind: 'blocks', fractions: { train: 0.7, dev: 0.15, test: 0.15 } }, augment: { reverseComplement: true } };

const strip = (ws: readonly DatasetWindow[]) => ws.map(({ id: _id, ...w }) => w);

/** No window overlaps (within margin) a window of another split. */
function assertNoCrossSplitOverlap(ws: readonly DatasetWindow[], margin: number): void {
  for (const s of SPLITS) {
    const index = new IntervalIndex(ws.filter((w) => w.split === s), margin);
    for (const w of ws) if (w.split !== s) assert.ok(!index.overlaps(w.chrom, w.start, w.end), `${w.split} window ${w.chrom}:${w.start}-${w.end} overlaps a ${s} window`);
  }
}

/** Every annotation's windows are in one split. */
function assertOneSplitPerAnnotation(ws: readonly DatasetWindow[]): void {
  const seen = new Map<string, string>();
  for (const w of ws) {
    if (!w.source?.startsWith('annotation ')) continue;
    const before = seen.get(w.source);
    assert.ok(before === undefined || before === w.split, `${w.source} has windows in ${before} and ${w.split}`);
    seen.set(w.source, w.split);
  }
}

test('block split: test set unchanged by default, annotation windows in one split each, nothing over another split', async () => {
  const { params, ds } = await parentOf(base);
  const v = await buildVersion({ params, classes: ds.classes, windows: ds.windows, annotations, includeTest: false }, source);
  const testBefore = ds.windows.filter((w) => w.split === 'test');
  const testAfter = v.windows.filter((w) => w.split === 'test');
  assert.deepEqual(strip(testAfter), strip(testBefore), 'the test split is the parent\'s, window for window, in order');
  assert.ok(v.changes.added.train > 0, 'annotations add train windows');
  assert.equal(v.changes.added.test, 0);
  assert.equal(v.changes.relabelled.test, 0);
  assert.ok((v.changes.leftOut['annotation in the test split (left out so the test set stays unchanged)'] ?? 0) > 0, 'some annotations fall in test blocks and are left out');
  assertNoCrossSplitOverlap(v.windows, params.overlapGuard.margin);
  assertOneSplitPerAnnotation(v.windows);
  // Same window length, classes of the dataset, RC copies in train as the parent made them.
  assert.ok(v.windows.every((w) => w.end - w.start === 100 && w.sequence.length === 100));
  const addedTrain = v.windows.filter((w) => w.split === 'train' && w.source?.startsWith('annotation '));
  assert.equal(addedTrain.filter((w) => w.augmented).length, addedTrain.filter((w) => !w.augmented).length);
  for (const w of addedTrain.filter((x) => !x.augmented)) assert.equal(w.sequence, genome[w.chrom]!.slice(w.start, w.end).toUpperCase());
  // Original windows stay (only labels may change), ids are per split in order.
  assert.equal(v.windows.length, ds.windows.length + addedTrain.length + v.windows.filter((w) => w.split === 'dev' && w.source?.startsWith('annotation ')).length);
  assert.deepEqual(v.windows.filter((w) => w.split === 'dev').map((w) => w.id).slice(0, 3), ['dev-1', 'dev-2', 'dev-3']);
  // Deterministic.
  const again = await buildVersion({ params, classes: ds.classes, windows: ds.windows, annotations, includeTest: false }, source);
  assert.equal(JSON.stringify(again), JSON.stringify(v));
});

test('includeTest puts annotations of test territory in test; still no window in two splits', async () => {
  const { params, ds } = await parentOf(base);
  const v = await buildVersion({ params, classes: ds.classes, windows: ds.windows, annotations, includeTest: true }, source);
  assert.ok(v.changes.added.test > 0);
  assert.ok(v.changes.annotationsBySplit.test > 0);
  assertNoCrossSplitOverlap(v.windows, params.overlapGuard.margin);
  assertOneSplitPerAnnotation(v.windows);
});

test('an annotation over an original window relabels it (train), not a test one by default', async () => {
  const { params, ds } = await parentOf(base);
  const train = ds.windows.find((w) => w.split === 'train' && w.label === 'site' && !w.augmented)!;
  const test0 = ds.windows.find((w) => w.split === 'test' && w.label === 'site' && !w.augmented)!;
  const ann: VersionAnnotation[] = [
    { id: 1, chrom: train.chrom, start: train.start + 10, end: train.end - 10, label: 'background' },
    { id: 2, chrom: test0.chrom, start: test0.start, end: test0.end, label: 'background' },
  ];
  const v = await buildVersion({ params, classes: ds.classes, windows: ds.windows, annotations: ann, includeTest: false }, source);
  const same = v.windows.filter((w) => w.chrom === train.chrom && w.start === train.start && w.split === 'train');
  assert.equal(same.length, 2, 'the window and its RC copy');
  assert.ok(same.every((w) => w.label === 'background' && w.labelIndex === ds.classes.indexOf('background')));
  assert.equal(v.changes.relabelled.train, 2);
  assert.equal(v.windows.find((w) => w.chrom === test0.chrom && w.start === test0.start && w.split === 'test')!.label, 'site');
  // With includeTest the test window is relabelled too.
  const w = await buildVersion({ params, classes: ds.classes, windows: ds.windows, annotations: ann, includeTest: true }, source);
  assert.equal(w.windows.find((x) => x.chrom === test0.chrom && x.start === test0.start && x.split === 'test')!.label, 'background');
});

test('chromosome split: annotations on the test chromosome are left out; random split keeps each annotation in one split', async () => {
  const byChrom = await parentOf({ ...base, split: { kind: 'chromosomes', test: ['chr2'] } });
  const v = await buildVersion({ params: byChrom.params, classes: byChrom.ds.classes, windows: byChrom.ds.windows, annotations, includeTest: false }, source);
  assert.ok(v.windows.filter((w) => w.source?.startsWith('annotation ')).every((w) => w.chrom === 'chr1' && w.split === 'train'));
  assert.equal(v.changes.leftOut['annotation in the test split (left out so the test set stays unchanged)'], annotations.filter((a) => a.chrom === 'chr2').length);

  const random = await parentOf({ ...base, split: { kind: 'random', fractions: { train: 0.6, dev: 0.2, test: 0.2 } } });
  const r = await buildVersion({ params: random.params, classes: random.ds.classes, windows: random.ds.windows, annotations, includeTest: true }, source);
  assertOneSplitPerAnnotation(r.windows);
  assertNoCrossSplitOverlap(r.windows, random.params.overlapGuard.margin);
  assert.ok((r.changes.leftOut['window would overlap a train window'] ?? 0) + (r.changes.leftOut['window would overlap a dev window'] ?? 0) + (r.changes.leftOut['window would overlap a test window'] ?? 0) > 0, 'random splits interleave: some windows are refused');
});

test('an annotation class the dataset does not have is refused', async () => {
  const { params, ds } = await parentOf(base);
  await assert.rejects(
    buildVersion({ params, classes: ds.classes, windows: ds.windows, annotations: [{ id: 7, chrom: 'chr1', start: 10, end: 300, label: 'enhancer' }], includeTest: false }, source),
    /annotation 7: class "enhancer" is not one of the dataset's classes \(background, site\)/,
  );
});
