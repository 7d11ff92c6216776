// loci finetune and loci runs, in-process through runCli (the same path as bin/loci.js), with a
// real worker process on a tiny model and a planted-motif dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../main/cli/run';
import { projectDb } from '../../main/api/projects';
import { finetuneHarness, insertMotifDataset, motifItems } from './finetune-job-fixture';

// wasm by default; `node scripts/test.mjs tfjs-node` runs this file again on tfjs-node.
const BACKEND = process.env.LOCI_TEST_BACKEND ?? 'wasm';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { io: { out: (s) => void (stdout += s + '\n'), err: (s) => void (stderr += s + '\n') }, env: {} });
  return { code, stdout, stderr };
}

test('loci finetune trains to the end and prints the test metrics and the saved model; loci runs lists and shows it', async (t) => {
  const h = await finetuneHarness(t);
  const data = ['--data-dir', join(h.dir, 'cli-data')];
  const p = ['--project', h.project];
  const ft = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--max-steps', '12', '--batch', '16', '--eval-every', '4', '--lr', '2e-3', '--backend', BACKEND, '--quiet', ...data]);
  assert.equal(ft.code, 0, ft.stderr + ft.stdout);
  assert.match(ft.stdout, /^Run 1 "tiny-bpe on motif" \(job job-\S+\): full fine-tuning; Ctrl-C pauses it, twice cancels$/m);
  assert.match(ft.stdout, /^fine-tune +100% +step 12\/12 +loss \d/m);
  assert.match(ft.stdout, /^Run 1 "tiny-bpe on motif": done/m);
  assert.match(ft.stdout, /^Steps: 12\/12; best dev loss \d\.\d{4} at step (4|8|12)$/m);
  assert.match(ft.stdout, /^Test set \(30 examples, checkpoint of the lowest dev loss\):$/m);
  for (const name of ['MCC', 'F1 \\(macro\\)', 'Accuracy', 'AUROC', 'AUPRC']) assert.match(ft.stdout, new RegExp(`^  ${name}: +-?\\d\\.\\d{3}$`, 'm'), name);
  assert.match(ft.stdout, /^ +background +motif$/m);
  const rows = [...ft.stdout.matchAll(/^ {2}(background|motif) +(\d+) +(\d+)$/gm)];
  assert.equal(rows.length, 2);
  assert.equal(rows.reduce((s, r) => s + Number(r[2]) + Number(r[3]), 0), 30);
  const saved = /^Saved model: id (\d+) \("tiny-bpe on motif"\)$/m.exec(ft.stdout);
  assert.ok(saved, ft.stdout);
  assert.equal((await h.call('models.get', { project: h.project, id: Number(saved[1]) })).kind, 'finetuned');

  const list = await cli(['runs', 'list', ...p, ...data]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID +STATE +MODE +STEP +TEST MCC +TEST F1 +MODEL +NAME$/m);
  assert.match(list.stdout, new RegExp(`^1 +done +full +12/12 +-?\\d\\.\\d{3} +\\d\\.\\d{3} +${saved[1]} +tiny-bpe on motif$`, 'm'));
  const show = await cli(['runs', 'show', '1', ...p, ...data]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^STEP +LOSS +MCC +ACCURACY +F1$/m);
  assert.match(show.stdout, /^12 +\d\.\d{4} /m);
  // Settings in words, one per line, never the stored JSON (issue 10, point 8).
  assert.match(show.stdout, /^Settings:\n {2}Mode: +Full fine-tuning/m);
  assert.match(show.stdout, /^ {2}Length: +12 steps$/m);
  assert.doesNotMatch(show.stdout, /"(maxSteps|batchSize|lr)"/);

  const byName = await cli(['runs', 'show', 'tiny-bpe on motif', ...p, ...data]);
  assert.equal(byName.code, 0, byName.stderr);
  const noRun = await cli(['runs', 'show', 'nope', ...p, ...data]);
  assert.deepEqual([noRun.code, noRun.stderr.split('\n')[0]], [2, `loci: No run "nope" in ${h.project}; give its id (loci runs list)`]);

  const resume = await cli(['runs', 'resume', '1', ...p, ...data]);
  assert.deepEqual([resume.code, resume.stderr], [1, 'loci: Cannot resume run 1: it is done (only paused, interrupted, failed jobs can be resumed)\n']);
});

test('loci finetune: mistakes are named (usage errors exit 2, a wrong dataset or setting exits 1 with the field)', async (t) => {
  const h = await finetuneHarness(t);
  const p = ['--project', h.project, '--data-dir', join(h.dir, 'cli-data')];
  const noModel = await cli(['finetune', ...p, '--dataset', 'motif']);
  assert.deepEqual([noModel.code, noModel.stderr.split('\n')[0]], [2, 'loci: loci finetune needs --model ID|NAME']);
  const badLr = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--lr', 'fast']);
  assert.deepEqual([badLr.code, badLr.stderr.split('\n')[0]], [2, 'loci: --lr must be a number, got "fast"']);
  const loraFlags = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--lora-rank', '4']);
  assert.equal(loraFlags.code, 2);
  const noDataset = await cli(['finetune', ...p, '--dataset', 'nope', '--model', 'tiny-bpe']);
  // The CLI takes a name or an id and gives the API the id (issue 9: one id type across the API).
  assert.deepEqual([noDataset.code, noDataset.stderr.split('\n')[0]], [2, `loci: No dataset "nope" in ${h.project} (it has: 1 motif)`]);
  const tooLong = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--max-length', '1000']);
  assert.deepEqual([tooLong.code, tooLong.stderr], [1, 'loci: "tiny-bpe" reads at most 512 tokens; got 1000\n']);
  const badRange = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--lr', '5']);
  assert.equal(badRange.code, 1);
  assert.match(badRange.stderr, /A learning rate above 1 diverges/);
  // --settings FILE (what a report's reproduce section writes): read, checked like flags, flags win.
  const file = join(h.dir, 'settings.json');
  await writeFile(file, '{"lr": 0.001,');
  const notJson = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--settings', file]);
  assert.equal(notJson.code, 2);
  assert.match(notJson.stderr, new RegExp(`^loci: --settings ${file}: not JSON`));
  await writeFile(file, '[1]');
  const notObject = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--settings', file]);
  assert.match(notObject.stderr, /must hold one JSON object of training settings/);
  await writeFile(file, JSON.stringify({ lr: 5, weightDecay: 0.05 }));
  const fileLr = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--settings', file]);
  assert.equal(fileLr.code, 1);
  assert.match(fileLr.stderr, /A learning rate above 1 diverges/);
  const flagWins = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--settings', file, '--lr', '0.001', '--estimate', '--backend', BACKEND]);
  assert.equal(flagWins.code, 0, flagWins.stderr);
  assert.deepEqual(await h.call('training.list', { project: h.project }), []);
});

test('loci finetune: a skewed training split gets balanced class weights unless they were given, as in the Train wizard', async (t) => {
  const h = await finetuneHarness(t);
  // 3 of every 4 "motif" training examples dropped: the training classes are about 4 to 1.
  const items = motifItems(200, 7).filter((it, i) => !(it.split === 'train' && it.label === 'motif' && i % 8 !== 1));
  insertMotifDataset(projectDb(h.ctx, h.project), items, { name: 'skewed' });
  const p = ['--project', h.project, '--model', 'tiny-bpe', '--estimate', '--backend', BACKEND, '--max-steps', '4', '--batch', '8'];
  const skewed = await cli(['finetune', ...p, '--dataset', 'skewed']);
  assert.equal(skewed.code, 0, skewed.stderr);
  assert.match(skewed.stdout, /^Class weights: balanced \(the training split's classes are 4 to 1; --class-weights none to turn this off\)$/m);
  const chosen = await cli(['finetune', ...p, '--dataset', 'skewed', '--class-weights', 'none']);
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.doesNotMatch(chosen.stdout, /Class weights/);
  const even = await cli(['finetune', ...p, '--dataset', 'motif']);
  assert.equal(even.code, 0, even.stderr);
  assert.doesNotMatch(even.stdout, /Class weights/);
});
