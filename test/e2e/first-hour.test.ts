// End to end, the first hour of issue 10 in browser mode: chromosome names that differ between the
// genome and a GFF3 (one sequence vs one NCBI accession) mapped in the preview, identical problems
// grouped, counts that agree and 1-based loci; a wrong path refused on the first step; the jobs of
// the open project in the status bar from every page; a run cancelled within seconds with every
// view agreeing; a finished run's verdict and its most-wrong examples placed on the genome.
// Screenshots land in test-results/e2e/first-hour-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatLocus } from '../../shared/locus';
import { judgeRun } from '../../shared/run-verdict';
import { appRunner, e2eSession, e2eSkipReason, openProjectByName, until } from '../helpers/browser-mode';
import { buildMotifDataset, randomBases } from '../helpers/e2e-genome';

const skip = e2eSkipReason();

const MOTIF = 'TGACGTCATTTAAATG';

/**
 * A one-sequence genome named like the demo's ('K-12-MG1655') with MOTIF every 300 bp, and a GFF3
 * of those sites on NCBI's name for it ('NC_000913.3'): 120 gene lines, more than one page of problems.
 */
function writeFixtures(dir: string) {
  const length = 40_000;
  const seq = randomBases(length, 5).split('');
  const gff = ['##gff-version 3'];
  const bed: string[] = [];
  let k = 0;
  for (let pos = 200; pos + MOTIF.length < length - 200 && k < 120; pos += 300) {
    seq.splice(pos, MOTIF.length, ...MOTIF);
    k++;
    gff.push(['NC_000913.3', 'RefSeq', 'gene', pos + 1, pos + MOTIF.length, '.', k % 2 ? '+' : '-', '.', `ID=gene-${k};Name=site${k}`].join('\t'));
    bed.push(['K-12-MG1655', pos, pos + MOTIF.length, `site${k}`, 0, '+'].join('\t'));
  }
  const genome = join(dir, 'one-sequence.fa');
  writeFileSync(genome, `>K-12-MG1655\n${seq.join('').replace(/(.{60})/g, '$1\n')}\n`);
  const ncbiGff = join(dir, 'GCF_000005845.2_ASM584v2_genomic.gff');
  writeFileSync(ncbiGff, gff.join('\n') + '\n');
  const sites = join(dir, 'sites.bed');
  writeFileSync(sites, bed.join('\n') + '\n');
  return { genome, ncbiGff, sites, features: k };
}

describe('The first hour (issue 10): names, loci, jobs, cancel, verdict', { skip }, () => {
  const env = e2eSession();
  let fx: ReturnType<typeof writeFixtures>;
  let project: string;
  const { api } = env;

  before(async () => {
    fx = writeFixtures(env.server.tmp);
    project = join(env.server.tmp, 'first-hour.loci');
    await api('projects.create', { path: project, name: 'First hour' });
  });

  const withApp = appRunner(() => env, { failureName: 'first-hour-failed', fullPageOnFailure: true, localOnly: true });

  const openProject = (page: Page) => openProjectByName(page, 'First hour');

  test('a GFF3 on another name for the one sequence: mapped in the preview, problems grouped, counts agree, loci 1-based', { timeout: 300_000 }, async () => {
    const genome = await api('genomes.import', { project, path: fx.genome, name: 'Demo-like genome' });
    await withApp(async (app) => {
      const { page } = app;
      await openProject(page);
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Data' }).click();
      await page.getByRole('heading', { name: 'Data', level: 2 }).waitFor();
      await page.getByRole('button', { name: 'Import…', exact: true }).click();
      const w = page.getByRole('dialog', { name: /Import data/ });
      await w.getByRole('radio', { name: /^Labelled regions:/ }).click();

      // A wrong path is said on the first step, before anything starts.
      const path = w.getByLabel('Full path of the file');
      await path.fill(join(env.server.tmp, 'GCF_000005845.2_no_such_file.gff'));
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      await w.getByText(/file not found/).waitFor();
      assert.equal(await w.getByRole('table', { name: 'First records' }).count(), 0, 'still on the first step');
      assert.equal(await path.getAttribute('aria-invalid'), 'true', 'the error sits on the path');
      // Underscores stay visible: hinted DejaVu Sans Mono at 14 px draws '_' outside the line box.
      assert.equal(await path.evaluate((el) => getComputedStyle(el).textRendering), 'geometricprecision');
      await app.screenshot('first-hour-wrong-path');

      await path.fill(fx.ncbiGff);
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      const mapping = w.getByTestId('chrom-mapping');
      await mapping.waitFor({ timeout: 60_000 });
      // 120 identical problems are one row with their count; nothing can be imported yet.
      const problems = w.getByRole('table', { name: 'Problems in the file' });
      assert.equal(await problems.locator('tbody tr').count(), 1, 'identical problems are grouped');
      const cells = (await problems.locator('tbody tr').first().locator('td').allTextContents()).map((t) => t.trim());
      assert.match(cells[0]!, /chromosome 'NC_000913\.3' is not in the genome/);
      assert.equal(cells[1], String(fx.features));
      const stat = async (label: string) => ((await w.getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]').textContent()) ?? '').trim();
      assert.equal(await stat('Features'), '0');
      assert.equal(await stat('To import'), '0', 'To import never counts features that fail the checks');
      // The suggestion (one sequence, one chromosome name) is filled in.
      const select = mapping.getByLabel('Genome sequence for NC_000913.3');
      assert.equal(await select.inputValue(), 'K-12-MG1655');
      await app.screenshot('first-hour-mapping-suggested', { fullPage: true });
      await mapping.getByRole('button', { name: 'Apply mapping' }).click();
      await mapping.getByText('Renamed on import:').waitFor({ timeout: 60_000 });
      await until(() => stat('Features'), (v) => v === fx.features.toLocaleString('en-US'), 'the features after the mapping');
      assert.equal(await stat('To import'), fx.features.toLocaleString('en-US'));
      assert.equal(await w.getByTestId('line-errors').count(), 0, 'no problems left');
      // Loci shown 1-based and inclusive, as IGV does, with the convention said once.
      const preview = await api('regions.preview', { project, path: fx.ncbiGff, genomeId: genome.id, rename: { 'NC_000913.3': 'K-12-MG1655' } });
      const first = preview.records[0]!;
      assert.equal(first.start, 200, 'GFF3 start 201 is BED 200');
      const firstRow = w.getByRole('table', { name: 'First records' }).locator('tbody tr').first();
      assert.equal((await firstRow.locator('[data-locus]').textContent())?.trim(), formatLocus(first));
      assert.equal(formatLocus(first), 'K-12-MG1655:201-216 (+)');
      await w.getByText(/Positions are 1-based and include both ends/).waitFor();
      await app.screenshot('first-hour-mapping-applied', { fullPage: true });
      await w.getByRole('button', { name: 'Import and build a dataset', exact: true }).click();
      // The dataset step opens at its top: the stepper is in view, not scrolled away.
      await w.getByRole('button', { name: 'Next: review' }).waitFor({ timeout: 60_000 });
      const stepper = await w.locator('.mantine-Stepper-root').boundingBox();
      const dialog = await w.boundingBox();
      assert.ok(stepper && dialog && stepper.y >= dialog.y + 50 && stepper.y < dialog.y + 200, `the stepper is in view (${JSON.stringify({ stepper, dialog })})`);
      await app.screenshot('first-hour-dataset-step');
      await page.keyboard.press('Escape');
      await w.waitFor({ state: 'hidden', timeout: 30_000 });
      const sets = await api('regions.list', { project });
      assert.equal(sets.find((s) => s.sourcePath === fx.ncbiGff)?.count, fx.features, 'imported with the mapping');
    });
  });

  test('jobs show in the status bar from every page; cancel ends within seconds and every view agrees; a finished run is judged and its examples placed', { timeout: 600_000 }, async () => {
    const genome = (await api('genomes.list', { project }))[0]!;
    const set = await api('regions.import', { project, path: fx.sites, genomeId: genome.id, name: 'motif sites' });
    const ds = await buildMotifDataset(api, { project, genomeId: genome.id, regionSetId: set.id, window: 64, negatives: 'gc-matched' });
    const model = await api('models.createBaseline', { project, name: 'Tiny baseline', arch: 'dnabert2', size: 'tiny', tokenizer: 'dnabert2-bpe', seed: 1 });
    // A linear probe: one embedding pass and a head fit, quick to finish.
    const probe = await api('training.start', { project, datasetId: ds.id, modelId: model.id, name: 'Probe run', settings: { mode: 'probe', batchSize: 8, backend: 'wasm' } });

    await withApp(async (app) => {
      const { page } = app;
      await openProject(page);
      // The probe's job is in the status bar on the Projects page, with a way to open it.
      const jobs = page.getByTestId('active-jobs');
      await jobs.waitFor({ timeout: 60_000 });
      assert.match((await jobs.textContent()) ?? '', /Jobs: 1 (running|queued)/);
      await jobs.click();
      const list = page.getByTestId('active-jobs-list');
      await list.getByText('Fine-tuning').waitFor();
      await app.screenshot('first-hour-jobs-in-status-bar');
      await list.getByRole('link', { name: 'Open' }).click();
      await page.getByRole('heading', { name: 'Probe run', level: 2 }).waitFor();

      // The end of the run: the test results with the verdict when there is one, and the most-wrong
      // examples with their locus and label origin.
      const stateOf = async () => ((await page.getByTestId('run-state').textContent()) ?? '').trim();
      await until(stateOf, (s) => s === 'done' || s === 'failed', 'the probe to finish', 300_000);
      assert.equal(await stateOf(), 'done');
      await page.getByRole('heading', { name: 'Test results' }).waitFor({ timeout: 30_000 });
      // A probe has no training steps: the tile counts the head fits, never "Step n / n".
      await page.getByRole('group', { name: 'Head fits' }).waitFor();
      assert.equal(await page.getByRole('group', { name: 'Step', exact: true }).count(), 0);
      const detail = await api('training.get', { project, runId: probe.id });
      const verdict = judgeRun(detail.test!, detail.classNames, detail.mode);
      assert.equal(await page.getByTestId('run-verdict').count(), verdict ? 1 : 0, 'the verdict shows exactly when the run learned nothing');
      const wrong = detail.mostWrong.filter((x) => x.label !== x.predicted);
      if (wrong.length) {
        assert.ok(wrong.every((x) => x.locus && x.origin), 'examples from the genome carry their locus and origin');
        const table = page.getByRole('table', { name: 'Examples the model gets most wrong' });
        const shown = (await table.locator('[data-locus]').allTextContents()).map((t) => t.trim());
        assert.deepEqual(shown, wrong.map((x) => formatLocus(x.locus!)));
      }
      await page.getByTestId('active-jobs').waitFor({ state: 'detached', timeout: 30_000 });
      await app.screenshot('first-hour-probe-done', { fullPage: true });

      // A long run, cancelled while it trains: the status bar shows it on another page.
      const long = await api('training.start', { project, datasetId: ds.id, modelId: model.id, name: 'Long run', settings: { maxSteps: 5000, batchSize: 8, evalEvery: 1000, backend: 'wasm' } });
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
      await until(async () => (await page.getByTestId('active-jobs').textContent().catch(() => '')) ?? '', (t) => /1 running/.test(t), 'the long run in the status bar', 120_000);
      await page.getByTestId('active-jobs').click();
      await page.getByTestId('active-jobs-list').getByRole('link', { name: 'Open' }).click();
      await page.getByRole('heading', { name: 'Long run', level: 2 }).waitFor();
      await until(async () => Number((((await page.getByTestId('run-step').textContent()) ?? '0').split('/')[0] ?? '').replace(/\D/g, '') || '0'), (n) => n > 0, 'the first steps', 180_000);
      await page.getByRole('button', { name: 'Cancel run' }).click();
      const confirm = page.getByRole('dialog', { name: 'Cancel this run?' });
      const t0 = Date.now();
      await confirm.getByRole('button', { name: 'Cancel the run' }).click();
      await until(stateOf, (s) => s === 'cancelled', 'the run to be cancelled', 30_000);
      const took = (Date.now() - t0) / 1000;
      assert.ok(took < 6, `cancelled in ${took.toFixed(1)} s (the worker gets 1.5 s, then is stopped)`);
      assert.equal(await page.getByRole('button', { name: 'Pause' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Cancel run' }).count(), 0);
      await page.getByText(/cancelled before its test: it has no test metrics/).waitFor();
      await page.getByTestId('active-jobs').waitFor({ state: 'detached', timeout: 10_000 });
      // Every view agrees: the run, its job (never shown as finished), the runs list.
      const run = await api('training.get', { project, runId: long.id });
      assert.equal(run.state, 'cancelled');
      const job = await api('jobs.get', { project, jobId: long.jobId! });
      assert.deepEqual([job.state, job.message], ['cancelled', 'Cancelled']);
      assert.notEqual(job.fraction, 1, 'a cancelled job is not shown as complete');
      await app.screenshot('first-hour-cancelled', { fullPage: true });

      // Compare: runs told apart by number and time, the cancelled run's steps said in words, and a
      // result only one run has is nobody's "best".
      await page.evaluate((hash) => void (window.location.hash = hash), `#/train/compare/${probe.id},${long.id}`);
      const compared = page.getByRole('table', { name: 'Compared runs' });
      await compared.waitFor({ timeout: 30_000 });
      const head = (await compared.locator('thead').textContent()) ?? '';
      assert.match(head, new RegExp(`run ${probe.id} · `));
      assert.match(head, new RegExp(`run ${long.id} · `));
      const stepsRow = (await compared.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Steps', exact: true }) }).textContent()) ?? '';
      assert.match(stepsRow, /cancelled at 2 of 5,000|cancelled at [\d,]+ of 5,000/);
      assert.doesNotMatch(stepsRow, /\?/);
      const mccRow = compared.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Test MCC', exact: true }) });
      assert.equal(await mccRow.locator('td[data-best]').count(), 0, 'one value is not a comparison');
      await app.screenshot('first-hour-compare', { fullPage: true });
      console.error(`first-hour: cancel took ${took.toFixed(2)} s in the UI`);
    });
  });
});
