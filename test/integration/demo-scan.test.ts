// Issue 12 point 6, "first launch shows the whole loop": with a model folder and example annotations
// in the demo's resources, ensureDemoProject also imports the model (class names from its
// config.json), imports the annotations and starts a real scan job over the first 200 kb (here the
// whole first sequence of a stand-in genome) with the dataset's dev set picking the threshold; the
// call returns before the scan ends; a second call adds nothing twice; a removed demo scan is not
// started again (once per project); --data-only stops after the dataset. Stand-in files (a tiny
// random classifier), so it runs on a fresh clone in seconds; the real resources/demo/model is
// checked by scripts/make-demo-model.sh.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_MODEL_NAME, DEMO_SCAN_NAME, ensureDemoProject, waitForDemoScan } from '../../main/api/demo';
import { projectDb } from '../../main/api/projects';
import { readFlag } from '../../main/store/meta';
import { jobsHarness } from '../unit/jobs/fixtures/harness';
import { genomeFasta, writeKmerClassifier } from './scan-fixture';

async function standInResources(dir: string, withModel: boolean): Promise<string> {
  const res = join(dir, withModel ? 'resources' : 'resources-data');
  mkdirSync(res, { recursive: true });
  writeFileSync(join(res, 'ecoli-k12-mg1655.fa.gz'), genomeFasta({ chr1: 24_000, chr2: 6_000 }));
  const sites: string[] = [];
  for (let pos = 400, k = 0; pos < 23_500; pos += 900, k++) sites.push(['chr1', pos, pos + 1, `s${k}`, 0, k % 2 ? '+' : '-'].join('\t'));
  writeFileSync(join(res, 'prodigal-start-sites.bed'), sites.join('\n') + '\n');
  writeFileSync(
    join(res, 'dataset-spec.json'),
    JSON.stringify({
      name: 'Starts vs background',
      regions: [{ file: 'prodigal-start-sites.bed', label: 'gene_start' }],
      params: { seed: 42, window: { mode: 'centred', length: 60 }, orientByStrand: true, negatives: { strategy: 'random', ratio: 1, margin: 100, label: 'background' }, split: { kind: 'random', fractions: { train: 0.6, dev: 0.2, test: 0.2 } } },
    }),
  );
  if (withModel) {
    const model = await writeKmerClassifier(join(res, 'model'), { seed: 6, initializerRange: 0.5 });
    // As Loci's fine-tuning writes it: the class names in config.json.
    const cfg = join(model, 'config.json');
    const raw = JSON.parse(readFileSync(cfg, 'utf8')) as Record<string, unknown>;
    writeFileSync(cfg, JSON.stringify({ ...raw, id2label: { 0: 'background', 1: 'gene_start' }, label2id: { background: 0, gene_start: 1 } }));
    writeFileSync(
      join(res, 'example-annotations.gff3'),
      '##gff-version 3\nchr1\tLoci\tregion\t1001\t1060\t.\t.\t.\tclass=gene_start;Note=missed\nchr1\tLoci\tregion\t5001\t5040\t.\t.\t.\tclass=background;Note=false positive\n',
    );
  }
  return res;
}

test('the demo project comes with its model, annotations and a finished scan; a second call adds nothing', { timeout: 180_000 }, async (t) => {
  const h = await jobsHarness(t);
  const res = await standInResources(h.dir, true);
  const started = Date.now();
  const [a, b] = await Promise.all([ensureDemoProject(h.ctx, { resourcesDir: res, backend: 'wasm' }), ensureDemoProject(h.ctx, { resourcesDir: res, backend: 'wasm' })]);
  assert.equal(a, b);
  const project = a;
  t.diagnostic(`ensureDemoProject returned in ${Date.now() - started} ms`);

  const models = await h.call('models.list', { project });
  assert.deepEqual(models.map((m) => [m.name, m.kind, m.status]), [[DEMO_MODEL_NAME, 'imported', 'ok']]);
  assert.deepEqual(models[0]!.labels, ['background', 'gene_start'], 'class names from config.json id2label');
  const [genome] = await h.call('genomes.list', { project });
  const ann = await h.call('annotations.list', { project, genomeId: genome!.id });
  assert.deepEqual(ann.annotations.map((x) => [x.chrom, x.start, x.end, x.label]), [['chr1', 1000, 1060, 'gene_start'], ['chr1', 5000, 5040, 'background']]);

  const scans = await h.call('scans.list', { project });
  assert.equal(scans.length, 1);
  assert.equal(scans[0]!.name, DEMO_SCAN_NAME);
  const scan = await waitForDemoScan(h.ctx, project);
  assert.ok(scan);
  assert.equal(scan.state, 'done', scan.error ?? '');
  assert.equal(scan.bpTotal, 24_000, 'the first sequence (up to 200 kb)');
  assert.equal(scan.settings.window, 60, "the dataset's window");
  assert.deepEqual(scan.classes, ['background', 'gene_start']);
  assert.equal(scan.thresholds[0]?.source, 'dev-mcc', "the threshold comes from the demo dataset's dev set");
  const track = await h.call('scans.track', { project, scanId: scan.id, classIndex: 1 });
  assert.ok(track.max > track.min, 'real, varying scores');

  // Idempotent: nothing added twice, the finished scan kept.
  const before = { models: models.length, ann: ann.total, scans: scans.length, datasets: (await h.call('datasets.list', { project })).length };
  assert.equal(await ensureDemoProject(h.ctx, { resourcesDir: res, backend: 'wasm' }), project);
  const after = {
    models: (await h.call('models.list', { project })).length,
    ann: (await h.call('annotations.list', { project, genomeId: genome!.id })).total,
    scans: (await h.call('scans.list', { project })).length,
    datasets: (await h.call('datasets.list', { project })).length,
  };
  assert.deepEqual(after, before);
  assert.equal((await h.call('scans.list', { project }))[0]!.state, 'done');

  // Started once per project: a demo scan the user removes is not started again on the next start.
  assert.ok(readFlag(projectDb(h.ctx, project), 'demoScanStarted'), 'the project records that its demo scan was started');
  await h.call('scans.remove', { project, scanId: scan.id });
  assert.equal(await ensureDemoProject(h.ctx, { resourcesDir: res, backend: 'wasm' }), project);
  assert.deepEqual(await h.call('scans.list', { project }), [], 'the removed demo scan stays removed');
});

test('a demo project whose scan predates the flag gets it, so removing that scan sticks too', { timeout: 180_000 }, async (t) => {
  const h = await jobsHarness(t);
  const res = await standInResources(h.dir, true);
  const project = await ensureDemoProject(h.ctx, { resourcesDir: res, backend: 'wasm' });
  const scan = await waitForDemoScan(h.ctx, project);
  assert.ok(scan);
  // As a Loci before the flag left it: the scan there, no flag.
  const db = projectDb(h.ctx, project);
  db.prepare("UPDATE meta SET flags = '{}' WHERE id = 1").run();
  assert.equal(await ensureDemoProject(h.ctx, { resourcesDir: res, backend: 'wasm' }), project);
  assert.ok(readFlag(db, 'demoScanStarted'));
  assert.equal((await h.call('scans.list', { project })).length, 1, 'nothing started twice');
  await h.call('scans.remove', { project, scanId: scan.id });
  await ensureDemoProject(h.ctx, { resourcesDir: res, backend: 'wasm' });
  assert.deepEqual(await h.call('scans.list', { project }), []);
});

test('without a model folder (or with dataOnly) the demo stops after the dataset', { timeout: 60_000 }, async (t) => {
  const h = await jobsHarness(t);
  const project = await ensureDemoProject(h.ctx, { resourcesDir: await standInResources(h.dir, false) });
  assert.equal((await h.call('datasets.list', { project })).length, 1);
  assert.equal((await h.call('models.list', { project })).length, 0);
  assert.equal((await h.call('scans.list', { project })).length, 0);
  assert.equal(await waitForDemoScan(h.ctx, project), null);
});

test('a damaged demo model never keeps the demo project from opening', { timeout: 60_000 }, async (t) => {
  const h = await jobsHarness(t);
  const res = await standInResources(h.dir, false);
  mkdirSync(join(res, 'model'));
  writeFileSync(join(res, 'model', 'config.json'), '{}');
  writeFileSync(join(res, 'model', 'model.safetensors'), 'not a safetensors file');
  const project = await ensureDemoProject(h.ctx, { resourcesDir: res });
  assert.equal((await h.call('datasets.list', { project })).length, 1);
  assert.equal((await h.call('models.list', { project })).length, 0);
  assert.equal((await h.call('scans.list', { project })).length, 0);
});
