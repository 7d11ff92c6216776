// The Reports page end to end in browser mode: a finished fine-tuning run made through the services,
// then, in the page, a new run report from the runs list, its preview (the report's own HTML in a
// permission-less sandboxed iframe, every section there), the full-size view, saving it as HTML,
// and deleting it; and a locus pinned in the Genome view ("Pin for report", with a note) drawn in
// the report's genome section. The page never requests anything beyond 127.0.0.1 (appRunner's localOnly).
// Screenshots land in test-results/e2e/reports-*.png.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { waitForRun } from '../../main/api/training';
import { appRunner, e2eSession, e2eSkipReason, openProjectByName, until } from '../helpers/browser-mode';
import { writeBpeModel } from '../unit/api/models-helpers';
import { writeGenome, writeSites } from '../unit/api/data-helpers';
import { formatLocus } from '../../shared/locus';

const skip = e2eSkipReason();

describe('Reports page', { skip }, () => {
  const env = e2eSession();
  let project: string;
  const { api } = env;

  before(async () => {
    project = join(env.server.tmp, 'reports.loci');
    await api('projects.create', { path: project, name: 'Reports e2e' });
  });

  const withApp = appRunner(() => env, { failureName: 'reports-failed', fullPageOnFailure: true, localOnly: true });

  test('make a run report from the page, preview it sandboxed, open it, save it as HTML, delete it', { timeout: 300_000 }, async () => {
    const genome = await api('genomes.import', { project, path: writeGenome(env.server.tmp), name: 'toy genome' });
    const set = await api('regions.import', { project, path: writeSites(env.server.tmp), genomeId: genome.id, name: 'site' });
    const ds = await api('datasets.build', {
      project,
      name: 'sites vs background',
      spec: { source: 'regions', genomeId: genome.id, regionSets: [{ id: set.id }], window: { mode: 'centred', length: 100 }, negatives: { strategy: 'gc-matched', ratio: 1, margin: 50 }, split: { kind: 'random', fractions: { train: 0.6, dev: 0.2, test: 0.2 } }, seed: 7 },
    });
    const model = await api('models.importFolder', { project, path: await writeBpeModel(join(env.server.tmp, 'tiny-bpe'), { card: true }), name: 'tiny-bpe' });
    const started = await api('training.start', { project, datasetId: ds.id, modelId: model.id, name: 'sites run', settings: { batchSize: 16, maxSteps: 8, evalEvery: 4, lr: 2e-3, backend: 'wasm' } });
    assert.equal((await waitForRun(env.server.ctx, project, started.id)).state, 'done');
    const run = await api('training.get', { project, runId: started.id });

    await withApp(async ({ page, screenshot }) => {
      await openProjectByName(page, 'Reports e2e');

      // Pin a locus in the Genome view, with a note.
      await page.evaluate(() => (window.location.hash = '#/genome?locus=chr1:1001-2000'));
      await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor();
      await until(() => page.getByRole('combobox', { name: 'Locus' }).inputValue(), (v) => v.startsWith('chr1:1,0'), 'the view at chr1:1,001-2,000');
      const pinButton = page.getByRole('button', { name: 'Pin for report' });
      await until(() => pinButton.isEnabled(), (on) => on, 'igv started');
      await pinButton.click();
      const pinDialog = page.getByRole('dialog', { name: 'Pin this locus for reports' });
      await pinDialog.getByRole('textbox', { name: 'Note (optional)' }).fill('the first site cluster');
      await pinDialog.getByRole('button', { name: 'Pin', exact: true }).click();
      await pinDialog.waitFor({ state: 'hidden' });
      const [pin] = await until(() => api('genomeView.pins.list', { project }), (l) => l.length === 1, 'the pin stored in the project');
      assert.equal(pin!.chrom, 'chr1');
      assert.equal(pin!.note, 'the first site cluster');
      assert.ok(pin!.start >= 900 && pin!.start <= 1100 && pin!.end >= 1900 && pin!.end <= 2100, formatLocus(pin!));
      await page.getByRole('table', { name: 'Pinned loci' }).getByText(formatLocus(pin!)).waitFor();
      await screenshot('reports-pin');

      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Reports' }).click();
      await page.getByRole('heading', { name: 'Reports', level: 2 }).waitFor();
      await page.getByText('No reports in this project yet').waitFor();

      // New report: the runs list, one run chosen -> a run report.
      await page.getByRole('button', { name: 'New report' }).first().click();
      const modal = page.getByRole('dialog', { name: 'New report' });
      await modal.getByRole('checkbox', { name: `Include run ${run.id} sites run` }).check();
      await modal.getByRole('button', { name: 'Make a run report' }).click();
      await modal.waitFor({ state: 'hidden' });
      const table = page.getByRole('table', { name: 'Reports' });
      await table.getByText('Run report: sites run').waitFor();
      const [stored] = await api('reports.list', { project });
      assert.ok(stored, 'the report is stored in the project');

      // The preview: the stored HTML, in an iframe with no permissions, every section with the run's figures.
      const iframe = page.locator('iframe[title="Preview: Run report: sites run"]');
      await iframe.waitFor();
      assert.equal(await iframe.getAttribute('sandbox'), '');
      const frame = page.frameLocator('iframe[title="Preview: Run report: sites run"]');
      await frame.getByRole('heading', { name: 'Run report: sites run', level: 1 }).waitFor();
      const sections = await frame.locator('section > h2').allTextContents();
      assert.deepEqual(sections, ['Summary', 'Data', 'Model', 'Training', 'Evaluation on the test set', 'Genome scans', 'Intended use and limitations']);
      // The pinned locus: an image of the Genome view with the locus and the note.
      const pinned = frame.locator(`#pin-${pin!.id}`);
      const caption = (await pinned.locator('figcaption').textContent()) ?? '';
      assert.ok(caption.startsWith(`Pin ${pin!.id}: ${formatLocus(pin!)} (`) && caption.includes(': the first site cluster'), caption);
      assert.equal(await pinned.locator(`svg[aria-label="chr1:${pin!.start + 1}-${pin!.end}"]`).count(), 1);
      await frame.locator('#summary').getByText(`MCC ${run.test!.mcc.toFixed(3)}`).waitFor();
      assert.equal(await frame.locator('script').count(), 0);
      assert.ok((await frame.locator('section#training svg').count()) >= 2, 'training curves drawn');
      await screenshot('reports-preview', { fullPage: true });

      // Open full size.
      await table.getByRole('button', { name: 'Open Run report: sites run' }).click();
      const full = page.getByRole('dialog', { name: 'Run report: sites run' });
      await full.locator('iframe').waitFor();
      await page.frameLocator('[role="dialog"] iframe').getByRole('heading', { name: 'Evaluation on the test set' }).waitFor();
      await page.keyboard.press('Escape');
      await full.waitFor({ state: 'hidden' });

      // Save as HTML: the file is the stored report, byte for byte.
      const out = join(env.server.tmp, 'saved', 'sites-run.html');
      await table.getByRole('button', { name: 'Save Run report: sites run as HTML' }).click();
      const save = page.getByRole('dialog', { name: /^Save Run report/ });
      await save.getByRole('textbox', { name: 'File' }).fill(out);
      await save.getByRole('button', { name: 'Save as HTML' }).click();
      await save.getByRole('status', { name: 'Exported files' }).getByText(out).waitFor();
      const { html } = await api('reports.get', { project, id: stored.id });
      assert.equal(readFileSync(out, 'utf8'), html);
      await save.getByRole('button', { name: 'Close' }).click();

      // Delete.
      await table.getByRole('button', { name: 'Delete Run report: sites run' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete Run report: sites run?' });
      await confirm.getByRole('button', { name: 'Delete report' }).click();
      await page.getByText('No reports in this project yet').waitFor();
      await until(() => api('reports.list', { project }), (l) => l.length === 0, 'the report removed from the project');
      assert.ok(existsSync(out), 'the saved copy stays');
    });
  });
});
