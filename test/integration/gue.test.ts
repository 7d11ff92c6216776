// loci gue end to end on tiny generated GUE-format folders: two tasks (one nested, one scored by F1
// through task.json), a tiny DNABERT-2 model and its from-scratch twin, a small SOURCES.md-style
// table for the published columns. Checks the two tables' format, that published columns come from
// the file (and a task missing from it gets none), bad input named by file and line, and resume:
// a second run redoes nothing, a removed result is redone alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildResults, findGueTasks, parsePublishedScores, publishedFor, readGueTask, resultsMarkdown, runGue, type GueResultsFile, type GueUnitResult } from '../../main/engine/gue';
import { Prng } from '../../main/engine/train/prng';
import { writeBpeModel } from '../unit/api/models-helpers';

const MOTIF = 'TATAAAAGGC';

function csv(n: number, seed: number): string {
  const rng = new Prng(seed);
  const rows = ['sequence,label'];
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let j = 0; j < 40; j++) s += 'ACGT'[rng.int(4)];
    const label = i % 2;
    if (label) {
      const at = rng.int(30);
      s = s.slice(0, at) + MOTIF + s.slice(at + MOTIF.length);
    }
    rows.push(`${s},${label}`);
  }
  return rows.join('\n') + '\n';
}

function writeTask(dir: string, seed: number, metric?: 'f1'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train.csv'), csv(48, seed));
  writeFileSync(join(dir, 'dev.csv'), csv(16, seed + 1));
  writeFileSync(join(dir, 'test.csv'), csv(16, seed + 2));
  if (metric) writeFileSync(join(dir, 'task.json'), JSON.stringify({ metric }));
}

const SOURCES = `# Data

Some prose, and a table that is not the scores:

| folder | what |
| --- | --- |
| \`gue/\` | tasks |

Published scores (MCC x 100):

| task | DNABERT (6-mer) | DNABERT-2 | CNN baseline |
| --- | --- | --- | --- |
| prom_tiny | 68.90 | 69.37 | 58.07 |
| other_task | 1.00 | 2.00 | 3.00 |
| **mean of the 2** | 34.95 | 35.69 | 30.54 |
`;

test('a seed that ended at chance (test MCC 0, one class predicted) is named in its cell and under the table', () => {
  const unit = (model: string, seed: number, testMcc: number): GueUnitResult => ({ key: '', task: 'mouse/4', model, scratch: model.endsWith('(scratch)'), seed, metric: 'mcc', score: 100 * testMcc, testMcc, testF1: 0.5, testAccuracy: 0.5, bestStep: 50, bestDevLoss: 0.69, devMcc: 0, steps: 600, seconds: 60, backend: 'cpu', options: {} });
  const file = buildResults({
    root: '/gue',
    tasks: [{ name: 'mouse/4', metric: 'mcc' }],
    models: ['m', 'm (scratch)'],
    results: [unit('m', 42, 0.4), unit('m', 43, 0.39), unit('m', 44, 0.38), unit('m (scratch)', 42, 0.41), unit('m (scratch)', 43, 0), unit('m (scratch)', 44, 0)],
    published: null,
    settings: {},
    machine: {},
  });
  assert.deepEqual([file.rows[0]!.loci['m']!.seedsAtChance, file.rows[0]!.loci['m (scratch)']!.seedsAtChance], [[], [43, 44]]);
  assert.deepEqual(file.winsOverScratch['m'], { wins: 1, tasks: 1 });
  const md = resultsMarkdown(file);
  assert.match(md, /\| 13\.7 ± 23\.7 \(n=3; seeds 43 and 44 at chance\) \|/);
  assert.match(md, /^- At chance \(test MCC 0: .*\): m \(scratch\) on mouse\/4 \(seeds 43 and 44\)\.$/m);
});

test('published scores: the "task" table of a SOURCES.md, matched by name or path suffix, means skipped', () => {
  const p = parsePublishedScores(SOURCES, 'SOURCES.md');
  assert.deepEqual(p.columns, ['DNABERT (6-mer)', 'DNABERT-2', 'CNN baseline']);
  assert.deepEqual([...p.rows.keys()], ['prom_tiny', 'other_task']);
  assert.deepEqual(publishedFor(p, 'prom/prom_tiny'), { 'DNABERT (6-mer)': 68.9, 'DNABERT-2': 69.37, 'CNN baseline': 58.07 });
  assert.equal(publishedFor(p, 'virus/tiny'), null);
  assert.throws(() => parsePublishedScores('# nothing here\n', 'x.md'), /x\.md: no published-scores table/);
});

test('task folders: found under the root, filtered by name or prefix; bad files named by file and line', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'loci-gue-tasks-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeTask(join(root, 'prom', 'prom_tiny'), 1);
  writeTask(join(root, 'virus', 'tiny'), 5, 'f1');
  const all = await findGueTasks(root);
  assert.deepEqual(all.map((x) => [x.name, x.metric]), [['prom/prom_tiny', 'mcc'], ['virus/tiny', 'f1']]);
  assert.deepEqual((await findGueTasks(root, ['virus'])).map((x) => x.name), ['virus/tiny']);
  await assert.rejects(findGueTasks(root, ['nope']), /no GUE task "nope".*there are: prom\/prom_tiny, virus\/tiny/);
  const data = await readGueTask(all[0]!);
  assert.deepEqual([data.train.length, data.dev.length, data.test.length, data.classNames], [48, 16, 16, ['0', '1']]);
  writeFileSync(join(root, 'prom', 'prom_tiny', 'dev.csv'), 'sequence,label\nACGT,0\nACGT,7\n');
  await assert.rejects(readGueTask(all[0]!), /dev\.csv:3.*7/);
  rmSync(join(root, 'virus', 'tiny', 'test.csv'));
  await assert.rejects(findGueTasks(root), /virus[/\\]tiny: a GUE task needs train\.csv, dev\.csv and test\.csv; missing test\.csv/);
});

test('runGue: two tasks, a model and its from-scratch twin, both tables, published columns, resume', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-gue-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'gue');
  writeTask(join(root, 'prom', 'prom_tiny'), 1);
  writeTask(join(root, 'virus', 'tiny'), 5, 'f1');
  writeFileSync(join(dir, 'SOURCES.md'), SOURCES);
  const model = await writeBpeModel(join(dir, 'tiny-bpe'), { card: false });
  const out = join(dir, 'out');
  const opts = {
    root,
    models: [{ name: 'tiny-bpe', dir: model }],
    budget: { maxSteps: 4 },
    overrides: { batchSize: 8, evalEvery: 2, warmupSteps: 0 },
    seeds: [1, 2],
    outDir: out,
    publishedPath: join(dir, 'SOURCES.md'),
    parallel: 2,
    backend: 'cpu' as const,
  };
  const progress: number[] = [];
  const r = await runGue({ ...opts, onProgress: (p) => progress.push(p.done) });
  assert.deepEqual(r.failures, []);
  assert.equal(r.cancelled, false);
  assert.equal(Math.max(...progress), 8, '2 tasks x 2 variants x 2 seeds');

  const json = JSON.parse(readFileSync(r.jsonPath, 'utf8')) as GueResultsFile;
  assert.equal(json.format, 'loci-gue-results');
  assert.deepEqual(json.models, ['tiny-bpe', 'tiny-bpe (scratch)']);
  assert.deepEqual(json.publishedColumns, ['DNABERT (6-mer)', 'DNABERT-2', 'CNN baseline']);
  assert.deepEqual(json.rows.map((row) => [row.task, row.metric]), [['prom/prom_tiny', 'mcc'], ['virus/tiny', 'f1']]);
  const [prom, virus] = json.rows;
  const unitLoads = (m: Record<string, unknown>) => (m.unitLoadAverage1m as { units: number } | null)?.units;
  assert.deepEqual([json.machine.unitsRun, json.machine.unitsReused, unitLoads(json.machine)], [8, 0, 8], 'every unit records its own load average');
  assert.deepEqual(prom!.published, { 'DNABERT (6-mer)': 68.9, 'DNABERT-2': 69.37, 'CNN baseline': 58.07 });
  assert.deepEqual(virus!.published, {}, 'a task missing from SOURCES.md has no published scores');
  for (const row of json.rows) {
    for (const label of json.models) {
      const cell = row.loci[label]!;
      assert.equal(cell.seeds, 2);
      assert.ok(cell.mean >= -100 && cell.mean <= 100 && cell.sd >= 0 && cell.seconds > 0, JSON.stringify(cell));
      assert.equal(cell.backend, 'cpu');
    }
  }
  // Means: published over the tasks run only (prom_tiny), Loci's over both tasks.
  assert.deepEqual(json.means['DNABERT-2'], { mean: 69.37, tasks: 1 });
  assert.equal(json.means['tiny-bpe']!.tasks, 2);
  assert.ok(Math.abs(json.means['tiny-bpe']!.mean - (prom!.loci['tiny-bpe']!.mean + virus!.loci['tiny-bpe']!.mean) / 2) < 1e-9);
  assert.equal(json.winsOverScratch['tiny-bpe']!.tasks, 2);

  const md = readFileSync(r.markdownPath, 'utf8');
  const lines = md.split('\n');
  const header = lines.find((l) => l.startsWith('| task |'))!;
  assert.equal(header, '| task | metric | tiny-bpe | tiny-bpe runtime | tiny-bpe (scratch) | tiny-bpe (scratch) runtime | DNABERT (6-mer) (published) | DNABERT-2 (published) | CNN baseline (published) |');
  const promLine = lines.find((l) => l.startsWith('| prom/prom_tiny |'))!;
  assert.match(promLine, /^\| prom\/prom_tiny \| MCC \| -?\d+\.\d ± \d+\.\d \(n=2(; seeds? [\d, and]+ at chance)?\) \| \d+ s cpu \| -?\d+\.\d ± \d+\.\d \(n=2(; seeds? [\d, and]+ at chance)?\) \| \d+ s cpu \| 68\.9 \| 69\.4 \| 58\.1 \|$/);
  assert.match(lines.find((l) => l.startsWith('| virus/tiny |'))!, /\| F1 \|.*\| n\/a \| n\/a \| n\/a \|$/);
  // The published means cover prom_tiny only: "(1 task)", Loci's both: "(2 tasks)".
  assert.match(lines.find((l) => l.startsWith('| **mean** |'))!, /^\| \*\*mean\*\* \| +\| \*\*-?\d+\.\d\*\* \(2 tasks\) \|.*\| 69\.4 \(1 task\) \|/);
  assert.match(md, /tiny-bpe beats its from-scratch twin on \d of 2 tasks/);

  // Resume: nothing is redone; a removed unit result is redone alone, the others kept.
  const againLogs: string[] = [];
  const again = await runGue({ ...opts, onLog: (l) => againLogs.push(l) });
  assert.deepEqual(again.results.rows, json.rows.map((row) => ({ ...row })), 'same table');
  assert.deepEqual([again.results.machine.unitsRun, again.results.machine.unitsReused, again.results.machine.parallel, unitLoads(again.results.machine)], [0, 8, 0, 8], "reused units keep their own load, not this call's");
  assert.ok(againLogs.includes('nothing to run: all 8 units (2 tasks x 2 models x 2 seeds) were done before; writing the tables'), againLogs.join('\n'));
  const logs: string[] = [];
  rmSync(join(out, 'units', 'tiny-bpe', 'virus', 'tiny', 'seed-2', 'result.json'));
  await runGue({ ...opts, onLog: (l) => logs.push(l) });
  assert.ok(logs.some((l) => /resuming: 7 of 8 units already done/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /^1 unit to run/.test(l)), logs.join('\n'));

  // Only the twins (a baseline while the model still pre-trains): the same unit results, reused.
  const twinsLogs: string[] = [];
  const twins = await runGue({ ...opts, pretrained: false, onLog: (l) => twinsLogs.push(l) });
  assert.ok(twinsLogs.some((l) => /resuming: 4 of 4 units already done/.test(l)), twinsLogs.join('\n'));
  assert.deepEqual(twins.results.models, ['tiny-bpe (scratch)']);
  assert.deepEqual(twins.results.rows.map((row) => Object.keys(row.loci)), [['tiny-bpe (scratch)'], ['tiny-bpe (scratch)']]);
  await assert.rejects(runGue({ ...opts, pretrained: false, scratch: false }), /nothing to run/);
});

test('runGue: when every unit fails, the tables are still written and each failure is named', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-gue-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'gue');
  writeTask(join(root, 'prom', 'prom_tiny'), 1);
  const model = await writeBpeModel(join(dir, 'tiny-bpe'), { card: false });
  // No CUDA on a test machine: a forced tfjs-node-gpu fails in every unit before it trains.
  const r = await runGue({ root, models: [{ name: 'tiny-bpe', dir: model }], budget: { maxSteps: 2 }, outDir: join(dir, 'out', 'not-yet-made'), publishedPath: null, parallel: 1, backend: 'tfjs-node-gpu' });
  assert.deepEqual(r.failures.map((f) => f.key), ['tiny-bpe/prom/prom_tiny/seed-42', 'tiny-bpe_scratch_/prom/prom_tiny/seed-42']);
  assert.match(r.failures[0]!.error, /tfjs-node-gpu/);
  const json = JSON.parse(readFileSync(r.jsonPath, 'utf8')) as GueResultsFile;
  assert.deepEqual(json.rows.map((row) => row.task), ['prom/prom_tiny']);
  assert.match(readFileSync(r.markdownPath, 'utf8'), /^# GUE results/);
});
