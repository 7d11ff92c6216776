// End to end, annotating in the Genome view (browser mode): a region selected by Shift-drag on
// igv's ruler becomes an annotation through the dialog (not the API), is edited, undone and redone
// with the buttons and Ctrl+Z / Ctrl+Shift+Z, is still there after a reload, and is exported as
// BED from the panel (the file is checked); then the "Where to annotate" panel takes the view to the
// scan's least certain region, and "Retrain with my annotations" on the run's dashboard builds a
// dataset version and fine-tunes the run's (tiny, wasm) model on it, ending with the before/after
// card and "Rescan". No request leaves 127.0.0.1 (appRunner localOnly).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { writeKmerClassifier } from '../integration/scan-fixture';
import { appRunner, e2eSession, e2eSkipReason, until } from '../helpers/browser-mode';
import { buildMotifDataset, parseLocus, randomBases } from '../helpers/e2e-genome';

const skip = e2eSkipReason();

describe('Annotations in the Genome view: Shift-drag, edit, undo/redo, reload, export', { skip }, () => {
  const env = e2eSession();
  let project: string;
  let runId: number;
  let genomeId: number;
  const { api } = env;

  before(async () => {
    const genome = join(env.server.tmp, 'ann-genome.fa');
    writeFileSync(genome, `>chr1\n${randomBases(20_000, 3).replace(/(.{60})/g, '$1\n')}\n`);
    const sites = join(env.server.tmp, 'ann-sites.bed');
    writeFileSync(sites, Array.from({ length: 30 }, (_, i) => `chr1\t${400 + i * 600}\t${416 + i * 600}\tsite${i + 1}`).join('\n') + '\n');
    project = join(env.server.tmp, 'annotate.loci');
    await api('projects.create', { path: project, name: 'Annotate' });
    const g = await api('genomes.import', { project, path: genome, name: 'Toy' });
    const set = await api('regions.import', { project, path: sites, genomeId: g.id, name: 'sites' });
    await buildMotifDataset(api, { project, genomeId: g.id, regionSetId: set.id, window: 64, negatives: 'random', name: 'Sites' });
    genomeId = g.id;
    // A finished run and a scan of it (as test/e2e/scan.test.ts makes them): a 1-layer 3-mer BERT, a small budget, wasm.
    const ds = (await api('datasets.list', { project }))[0]!;
    const model = await api('models.importFolder', { project, path: await writeKmerClassifier(join(env.server.tmp, 'ann-clf')), name: 'Tiny 3-mer BERT' });
    const run = await api('training.start', { project, datasetId: ds.id, modelId: model.id, name: 'Sites run', settings: { mode: 'full', lr: 0.01, batchSize: 16, maxSteps: 40, warmupSteps: 5, evalEvery: 20, backend: 'wasm' } });
    runId = run.id;
    const done = await until(() => api('training.get', { project, runId }), (r) => ['done', 'failed', 'cancelled'].includes(r.state), 'the fine-tuning run to finish', 240_000, 500);
    assert.equal(done.state, 'done', done.error ?? '');
    const { scanId } = await api('scans.start', { project, runId, strand: 'both', backend: 'wasm' });
    const scan = await until(() => api('scans.get', { project, scanId }), (x) => ['done', 'failed', 'cancelled'].includes(x.state), 'the scan to finish', 240_000, 500);
    assert.equal(scan.state, 'done', scan.error ?? '');
  });

  const withApp = appRunner(() => env, { failureName: 'annotations-failed', localOnly: true });

  async function openView(page: Page, hash: string) {
    await page.getByRole('button', { name: 'Open Annotate' }).click();
    await page.getByTestId('open-project-name').filter({ hasText: 'Annotate' }).waitFor();
    await page.evaluate((h) => (window.location.hash = h), hash);
    await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor();
  }
  const annotations = async () => (await api('annotations.list', { project })).annotations;

  test('create by Shift-drag on the ruler, edit, undo/redo, reload, export BED', { timeout: 180_000 }, async () => {
    await withApp(async (app) => {
      const { page } = app;
      await openView(page, '#/genome?locus=chr1:1-2000');
      const holder = page.getByTestId('igv-browser');
      await until(async () => (await holder.getAttribute('data-tracks')) ?? '', (k) => k.includes('annotations'), 'the annotations track loaded', 30_000);
      // igv's ruler is the viewport below the ideogram (the second of its column); Shift-drag across it selects a region.
      const ruler = holder.locator('.igv-column .igv-viewport').nth(1);
      const box = await ruler.boundingBox();
      assert.ok(box, 'the ruler is drawn');
      const y = box.y + box.height / 2;
      await page.keyboard.down('Shift');
      await page.mouse.move(box.x + box.width * 0.3, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.4, y, { steps: 5 });
      await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.up('Shift');

      const dialog = page.getByRole('dialog', { name: 'New annotation' });
      await dialog.waitFor();
      // The class box is a Mantine Autocomplete (role combobox).
      await dialog.getByRole('combobox', { name: /^Class/ }).fill('motif');
      await dialog.getByRole('textbox', { name: 'Note' }).fill('first look');
      await dialog.getByRole('button', { name: 'Annotate' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const [made] = await until(annotations, (a) => a.length === 1, 'the annotation stored');
      assert.equal(made!.label, 'motif');
      assert.equal(made!.chrom, 'chr1');
      // A fifth of a 2,000 bp view, give or take igv's rounding.
      assert.ok(made!.start > 450 && made!.start < 750 && made!.end - made!.start > 300 && made!.end - made!.start < 500, `bounds ${made!.start}-${made!.end}`);
      const table = page.getByRole('table', { name: 'Annotations' });
      await table.getByText('first look').waitFor();
      await app.screenshot('annotations-made');

      // Edit its note in the dialog.
      await table.getByRole('button', { name: /^Edit motif at chr1:/ }).click();
      const edit = page.getByRole('dialog', { name: 'Edit annotation' });
      await edit.getByRole('textbox', { name: 'Note' }).fill('edited');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'hidden' });
      await until(annotations, (a) => a[0]?.note === 'edited', 'the note edited');

      // Undo and redo: the buttons, then the keys.
      await page.getByRole('button', { name: 'Undo' }).click();
      await until(annotations, (a) => a[0]?.note === 'first look', 'undo restores the note');
      await page.getByRole('button', { name: 'Redo' }).click();
      await until(annotations, (a) => a[0]?.note === 'edited', 'redo re-applies the edit');
      await page.getByRole('heading', { name: 'Genome view', level: 2 }).click();
      await page.keyboard.press('Control+z');
      await until(annotations, (a) => a[0]?.note === 'first look', 'Ctrl+Z undoes');
      await page.keyboard.press('Control+Shift+z');
      await until(annotations, (a) => a[0]?.note === 'edited', 'Ctrl+Shift+Z redoes');

      // Reload: the annotation and its history are in the project.
      await page.reload();
      await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor({ timeout: 30_000 }).catch(async () => openView(page, '#/genome'));
      await page.getByRole('table', { name: 'Annotations' }).getByText('edited').waitFor({ timeout: 30_000 });
      await until(async () => page.getByRole('button', { name: 'Undo' }).isEnabled(), (v) => v, 'undo still possible after the reload');

      // Export as BED from the panel.
      const out = join(env.server.tmp, 'exported.bed');
      // Scoped: the Scans panel has Export buttons too.
      await page.getByRole('region', { name: 'Annotations panel' }).getByRole('button', { name: 'Export' }).click();
      const exp = page.getByRole('dialog', { name: 'Export annotations' });
      await exp.getByRole('textbox', { name: 'Save as' }).fill(out);
      await exp.getByRole('button', { name: 'Export' }).click();
      await exp.waitFor({ state: 'hidden' });
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      assert.match(lines[0]!, /itemRgb="On"/);
      const [chrom, start, end, name, , , , , rgb] = lines[1]!.split('\t');
      assert.deepEqual([chrom, Number(start), Number(end), name], ['chr1', made!.start, made!.end, 'motif']);
      assert.match(rgb!, /^\d+,\d+,\d+$/);

      // "Where to annotate": the scan's least certain region, one click away.
      await page.getByRole('button', { name: 'Where to annotate' }).click();
      const suggestions = page.getByRole('table', { name: 'Suggested regions' });
      await suggestions.waitFor({ timeout: 30_000 });
      const firstLink = suggestions.getByRole('button', { name: /^Show chr1:/ }).first();
      const target = parseLocus(((await firstLink.getAttribute('aria-label')) ?? '').replace(/^Show /, ''));
      assert.ok(target, 'a suggested region');
      await firstLink.click();
      const locusBox = page.getByRole('combobox', { name: 'Locus' });
      const near = (v: string) => {
        const at = parseLocus(v);
        return at !== null && at.chrom === target.chrom && Math.abs(at.start - target.start) <= 2 && Math.abs(at.end - target.end) <= 2;
      };
      await until(() => locusBox.inputValue(), near, 'the view at the suggested region', 30_000);
      await app.screenshot('annotations-suggestions');

      // More corrections through the API (the UI path is covered above): background stretches far from the sites.
      for (let k = 0; k < 6; k++) await api('annotations.add', { project, genomeId, chrom: 'chr1', start: 2_100 + k * 3_000, end: 2_400 + k * 3_000, label: 'background' });

      // "Retrain with my annotations" on the run's dashboard.
      await page.evaluate((id) => (window.location.hash = `#/train/run/${id}`), runId);
      await page.getByRole('button', { name: 'Retrain with my annotations' }).click();
      const retrain = page.getByRole('dialog', { name: 'Retrain with my annotations' });
      await retrain.getByTestId('retrain-counts').getByText('7 usable').waitFor({ timeout: 30_000 });
      await app.screenshot('annotations-retrain-dialog');
      await retrain.getByRole('button', { name: 'Build and retrain' }).click();
      await until(() => page.evaluate(() => window.location.hash), (h) => /^#\/train\/run\/\d+$/.test(h) && h !== `#/train/run/${runId}`, 'the new run opened', 60_000);
      const card = page.getByTestId('before-after');
      await card.waitFor({ timeout: 240_000 });
      const versions = (await api('datasets.list', { project })).filter((d) => d.version);
      assert.equal(versions.length, 1);
      assert.equal(versions[0]!.name, 'Sites v2');
      assert.match(versions[0]!.version!.changes, /test set unchanged/);
      const parent = await api('training.get', { project, runId });
      const newRunId = Number((await page.evaluate(() => window.location.hash)).split('/').pop());
      const child = await api('training.get', { project, runId: newRunId });
      assert.equal(child.state, 'done');
      assert.equal(child.retrain?.parentRunId, runId);
      assert.equal(child.retrain?.sameTestSet, true);
      // The card shows both runs' test MCC on the same test set.
      const mccRow = card.getByRole('row', { name: /^MCC/ });
      const cells = await mccRow.getByRole('cell').allTextContents();
      assert.deepEqual(cells.slice(0, 3), ['MCC', parent.test!.mcc.toFixed(3), child.test!.mcc.toFixed(3)]);
      await card.getByText('Both on the same test set.').waitFor();
      await card.scrollIntoViewIfNeeded();
      await app.screenshot('annotations-before-after');
      await card.getByRole('button', { name: 'Rescan' }).click();
      await page.getByRole('dialog', { name: 'Scan genome' }).waitFor();
    });
  });
});
