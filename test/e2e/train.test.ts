// End to end, the Train page in browser mode: the built renderer in headless chromium, the real
// services and the real `finetune` job (a worker process on the wasm backend). The data part goes
// through the API to save time (a 36 kb genome with a planted motif and its sites as BED, built into
// a dataset with GC-matched negatives); the training goes through the wizard: a from-scratch
// DNABERT-2 baseline made from the wizard, a short run whose curves grow live, pause and resume,
// the test metrics and confusion matrix at the end, a second run cancelled, and the two compared.
// Screenshots of every step, light and dark, land in test-results/e2e/train-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { ApiError } from '../../shared/contract';
import { appRunner, e2eSession, e2eSkipReason, openProjectByName, until, type AppPage } from '../helpers/browser-mode';
import { buildMotifDataset, randomBases } from '../helpers/e2e-genome';

const skip = e2eSkipReason();

// ---------- fixtures ----------

const MOTIF = 'TGACGTCATTTAAATG';
const CHROM_LENGTH = 18_000;
const SITE_STEP = 400;

/** Two 18 kb chromosomes with MOTIF every 400 bp (~85 sites), and the BED of those sites. */
function writeFixtures(dir: string): { genome: string; sites: string } {
  let fasta = '';
  const bed: string[] = [];
  let k = 0;
  for (const [i, chrom] of ['chr1', 'chr2'].entries()) {
    const seq = randomBases(CHROM_LENGTH, 21 + i).split('');
    for (let pos = 300; pos + MOTIF.length < CHROM_LENGTH - 300; pos += SITE_STEP) {
      seq.splice(pos, MOTIF.length, ...MOTIF);
      bed.push([chrom, pos, pos + MOTIF.length, `site${++k}`, 0, '+'].join('\t'));
    }
    fasta += `>${chrom}\n${seq.join('').replace(/(.{60})/g, '$1\n')}\n`;
  }
  const genome = join(dir, 'motif-genome.fa');
  writeFileSync(genome, fasta);
  const sites = join(dir, 'motif-sites.bed');
  writeFileSync(sites, bed.join('\n') + '\n');
  return { genome, sites };
}

// ---------- helpers ----------

describe('Train page: wizard, live dashboard, pause/resume, cancel, test metrics, comparison', { skip }, () => {
  const env = e2eSession();
  let project: string;

  /** The API as the page reaches it (validated input and output), for the data part and for checks. */
  const { api } = env;

  before(async () => {
    const fx = writeFixtures(env.server.tmp);
    project = join(env.server.tmp, 'motif-training.loci');
    await api('projects.create', { path: project, name: 'Motif training' });
    const genome = await api('genomes.import', { project, path: fx.genome, name: 'Motif genome' });
    const set = await api('regions.import', { project, path: fx.sites, genomeId: genome.id, name: 'motif sites' });
    await buildMotifDataset(api, { project, genomeId: genome.id, regionSetId: set.id, window: 64, negatives: 'gc-matched' });
  });

  const withApp = appRunner(() => env, { failureName: 'train-failed', fullPageOnFailure: true, localOnly: true });

  const openProject = (page: Page) => openProjectByName(page, 'Motif training');

  async function goToTrain(page: Page) {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Train' }).click();
    await page.getByRole('heading', { name: 'Train', level: 2 }).waitFor();
  }

  /** Screenshots in light and dark: the app follows the system's scheme until the user picks one. */
  async function both(app: AppPage, name: string, fullPage = true) {
    await app.screenshot(`train-${name}`, { fullPage });
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot(`train-${name}-dark`, { fullPage });
    await app.page.emulateMedia({ colorScheme: 'light' });
  }

  const points = async (chart: Locator) => Number((await chart.getAttribute('data-points')) ?? '0');

  const stepOf = async (page: Page) => Number(((await page.getByTestId('run-step').textContent()) ?? '0').split('/')[0]!.replace(/\D/g, '') || '0');
  const stateOf = async (page: Page) => ((await page.getByTestId('run-state').textContent()) ?? '').trim();

  /** Through the wizard: dataset (the only one: preselected), the model, small settings, the estimate, Start. */
  async function startRun(app: AppPage, opts: { name: string; pickModel: (page: Page) => Promise<void>; maxSteps: number; screenshots?: boolean }) {
    const { page } = app;
    await page.getByRole('link', { name: 'New training run' }).first().click();
    await page.getByRole('heading', { name: 'New training run', level: 2 }).waitFor();
    const dataset = page.getByRole('radio', { name: 'Dataset Motif vs background' });
    await dataset.waitFor();
    assert.equal(await dataset.isChecked(), true, 'the only dataset is preselected');
    const summary = (await api('datasets.list', { project }))[0]!;
    assert.equal(await page.getByTestId('Motif vs background-train').textContent(), summary.splits.train.sequences.toLocaleString('en-US'));
    if (opts.screenshots) await both(app, 'wizard-dataset');
    await page.getByRole('button', { name: 'Next: model' }).click();

    await opts.pickModel(page);
    await page.getByRole('button', { name: 'Next: settings' }).click();

    // Mode and settings: defaults from training.defaults, then a short run.
    const full = page.getByRole('radio', { name: /^Full fine-tuning:/ });
    await full.waitFor();
    assert.equal(await full.isChecked(), true, 'full fine-tuning is the default mode');
    assert.equal(await page.getByLabel('Batch size').inputValue(), '32', 'DNABERT-2 default batch size');
    await page.getByLabel('Run name').fill(opts.name);
    await page.getByText('Steps', { exact: true }).click();
    await page.getByLabel('Max steps').fill(String(opts.maxSteps));
    await page.getByLabel('Batch size').fill('8');
    await page.getByLabel('Learning rate').fill('0.002');
    await page.getByRole('button', { name: 'Advanced settings' }).click();
    await page.getByLabel('Warm-up steps').fill('2');
    await page.getByLabel('Evaluate every').fill('4');
  }

  async function estimateAndStart(page: Page, screenshotName?: string, app?: AppPage) {
    await page.getByRole('button', { name: 'Next: estimate' }).click();
    const estimate = page.getByRole('region', { name: 'Estimate' });
    await estimate.waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('estimate-total').textContent()) ?? '', /≈ \d/);
    if (app && screenshotName) await both(app, screenshotName);
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByTestId('run-state').waitFor({ timeout: 30_000 });
  }

  // ---------- the test ----------

  test('fine-tunes a from-scratch baseline through the wizard, live, with pause/resume, test metrics, a cancelled run and a comparison', { timeout: 300_000 }, async () => {
    await withApp(async (app) => {
      const { page } = app;
      await openProject(page);
      await goToTrain(page);
      await page.getByText('No training runs yet').waitFor();
      await both(app, 'empty', false);

      // ---- Run 1: wizard, with a baseline made from the model step ----
      await startRun(app, {
        name: 'Scratch baseline run',
        screenshots: true,
        maxSteps: 48,
        pickModel: async (p) => {
          await p.getByText('From-scratch baseline', { exact: true }).click();
          await p.getByRole('button', { name: 'New from-scratch baseline…' }).click();
          const modal = p.getByRole('dialog', { name: 'New from-scratch baseline' });
          await modal.getByLabel('Name').fill('Scratch DNABERT-2 tiny');
          await both(app, 'wizard-baseline', false);
          await modal.getByRole('button', { name: 'Create baseline' }).click();
          await modal.waitFor({ state: 'hidden', timeout: 60_000 });
          const picked = p.getByRole('radio', { name: 'Model Scratch DNABERT-2 tiny' });
          await picked.waitFor();
          assert.equal(await picked.isChecked(), true, 'the new baseline is picked');
          await both(app, 'wizard-model');
        },
      });
      await both(app, 'wizard-settings');
      await estimateAndStart(page, 'wizard-estimate', app);
      await page.getByRole('heading', { name: 'Scratch baseline run', level: 2 }).waitFor();
      const runs = await api('training.list', { project });
      assert.equal(runs.length, 1);
      const run1 = runs[0]!;
      assert.equal(run1.mode, 'full');

      // The curves grow live from run.metrics events.
      const lossChart = page.getByRole('img', { name: 'Loss curve' });
      const first = await until(() => points(lossChart), (n) => n > 0, 'the first loss points', 120_000);
      const firstStep = await stepOf(page);
      await both(app, 'run-live');
      const later = await until(() => points(lossChart), (n) => n > first, 'more loss points');
      assert.ok(later > first, `the loss curve grew from ${first} to ${later} points`);
      await until(() => stepOf(page), (s) => s > firstStep, 'the step counter to move');
      assert.match((await page.getByTestId('run-step').textContent()) ?? '', /\/ 48$/);

      // Pause (at a checkpoint), then resume from it.
      await page.getByRole('button', { name: 'Pause' }).click();
      await until(() => stateOf(page), (s) => s === 'paused', 'the run to pause', 60_000);
      const pausedAt = await stepOf(page);
      assert.ok(pausedAt < 48, `paused before the end (step ${pausedAt})`);
      assert.equal((await api('training.get', { project, runId: run1.id })).state, 'paused');
      await page.getByText('The run stopped at a checkpoint').waitFor();
      await both(app, 'run-paused');
      const pausedPoints = await points(lossChart);
      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      await until(() => stateOf(page), (s) => s === 'running' || s === 'done', 'the run to resume', 60_000);
      await until(() => points(lossChart), (n) => n > pausedPoints, 'new points after the resume', 120_000);

      // The end: test metrics, confusion matrix, curves, most-wrong examples, the saved model.
      await until(() => stateOf(page), (s) => s === 'done', 'the run to finish', 180_000);
      await page.getByRole('heading', { name: 'Test results' }).waitFor({ timeout: 30_000 });
      const detail = await api('training.get', { project, runId: run1.id });
      assert.equal(detail.state, 'done');
      assert.ok(detail.test, 'the finished run has test metrics');
      assert.equal((await page.getByTestId('test-mcc').textContent())?.trim(), detail.test.mcc.toFixed(3), 'the MCC shown is the service’s');
      assert.equal((await page.getByTestId('test-accuracy').textContent())?.trim(), detail.test.accuracy.toFixed(3));
      const matrix = page.getByRole('table', { name: 'Confusion matrix' });
      const cells = (await matrix.locator('tbody td').allTextContents()).map((t) => Number(t.replace(/\D/g, '')));
      assert.deepEqual(cells, detail.test.confusion.flat(), 'the confusion matrix is the service’s');
      const testSize = (await api('datasets.list', { project }))[0]!.splits.test.sequences;
      assert.equal(cells.reduce((a, b) => a + b, 0), testSize, 'the matrix counts every test sequence');
      await page.getByRole('table', { name: 'Per-class metrics' }).waitFor();
      await page.getByRole('img', { name: 'ROC curve' }).waitFor();
      assert.ok(detail.checkpoints.some((c) => c.best), 'one checkpoint is the best');
      assert.equal(await page.getByRole('table', { name: 'Checkpoints' }).locator('tr[data-best]').count(), 1, 'the best checkpoint is marked');
      assert.ok(detail.outputModelId !== null, 'the run saved its model');
      await page.getByRole('link', { name: 'Saved model: see the Models page' }).waitFor();
      await both(app, 'run-done');

      // ---- Run 2: the same baseline from the project's models, cancelled while it runs ----
      await page.getByRole('link', { name: 'All runs' }).click();
      await page.getByRole('table', { name: 'Training runs' }).waitFor();
      await startRun(app, {
        name: 'Run to cancel',
        maxSteps: 400,
        pickModel: async (p) => {
          const model = p.getByRole('radio', { name: 'Model Scratch DNABERT-2 tiny' });
          await model.click();
        },
      });
      await page.getByLabel('Learning rate').fill('0.0005');
      // A setting the API refuses comes back under its input, on the settings step.
      const maxTokens = page.getByLabel('Max tokens');
      await maxTokens.fill('200000');
      await page.getByRole('button', { name: 'Next: estimate' }).click();
      await page.getByRole('heading', { name: 'New training run' }).waitFor();
      await until(() => maxTokens.getAttribute('aria-invalid'), (v) => v === 'true', 'the Max tokens input to show its error', 60_000);
      const ids = { datasetId: (await api('datasets.list', { project }))[0]!.id, modelId: (await api('models.list', { project })).find((m) => m.name === 'Scratch DNABERT-2 tiny')!.id };
      const refused = await api('training.estimate', { project, ...ids, settings: { maxLength: 200000 } }).then(() => null, (e: unknown) => e as ApiError);
      const issue = refused?.issues?.find((i) => i.path === 'settings.maxLength');
      assert.ok(issue, 'the API names settings.maxLength');
      await page.getByText(issue.message).waitFor();
      await both(app, 'wizard-field-error', false);
      await maxTokens.fill('');
      assert.equal(await page.getByText(issue.message).count(), 0, 'editing the input clears its message');
      await estimateAndStart(page);
      await page.getByRole('heading', { name: 'Run to cancel', level: 2 }).waitFor();
      await until(() => stateOf(page), (s) => s === 'running', 'the second run to start', 60_000);
      await until(() => points(lossChart), (n) => n > 0, 'its first loss points', 120_000);
      await page.getByRole('button', { name: 'Cancel run' }).click();
      const confirm = page.getByRole('dialog', { name: 'Cancel this run?' });
      await confirm.waitFor();
      await both(app, 'run-cancel-confirm', false);
      await confirm.getByRole('button', { name: 'Cancel the run' }).click();
      await until(() => stateOf(page), (s) => s === 'cancelled', 'the run to be cancelled', 60_000);
      assert.equal(await page.getByRole('button', { name: 'Resume', exact: true }).count(), 0, 'a cancelled run cannot be resumed');
      const run2 = (await api('training.list', { project })).find((r) => r.name === 'Run to cancel')!;
      assert.equal(run2.state, 'cancelled');

      // ---- The runs list and the comparison ----
      await page.getByRole('link', { name: 'All runs' }).click();
      const table = page.getByRole('table', { name: 'Training runs' });
      await table.getByRole('row').filter({ hasText: 'Run to cancel' }).waitFor();
      assert.equal(await table.locator('tbody tr').count(), 2);
      assert.equal(await table.locator('tbody tr[data-state="done"]').count(), 1);
      assert.equal(await table.locator('tbody tr[data-state="cancelled"]').count(), 1);
      const doneRow = table.locator('tbody tr[data-state="done"]');
      assert.ok(((await doneRow.textContent()) ?? '').includes(detail.test.mcc.toFixed(3)), 'the list shows the test MCC');
      await page.getByRole('checkbox', { name: 'Select Scratch baseline run for comparison' }).check();
      await page.getByRole('checkbox', { name: 'Select Run to cancel for comparison' }).check();
      await both(app, 'runs-list', false);
      await page.getByRole('link', { name: 'Compare 2 runs' }).click();
      const compared = page.getByRole('table', { name: 'Compared runs' });
      await compared.waitFor();
      const lrRow = compared.getByRole('row').filter({ hasText: 'Learning rate' });
      assert.equal(await lrRow.getAttribute('data-differs'), 'true', 'different learning rates are highlighted');
      assert.ok(((await compared.getByRole('row').filter({ hasText: 'Test MCC' }).textContent()) ?? '').includes(detail.test.mcc.toFixed(3)));
      const overlay = page.getByRole('img', { name: 'Dev loss of the compared runs' });
      assert.ok((await points(overlay)) >= detail.dev.length, 'both runs’ dev-loss curves are drawn');
      await both(app, 'compare');
    });
  });
});
