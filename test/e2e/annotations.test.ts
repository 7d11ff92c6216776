// End to end, annotating in the Genome view (browser mode): a region selected by Shift-drag on
// igv's ruler becomes an annotation through the dialog (not the API), is edited, undone and redone
// with the buttons and Ctrl+Z / Ctrl+Shift+Z, is still there after a reload, and is exported as
// BED from the panel (the file is checked). No request leaves 127.0.0.1 (appRunner localOnly).
// Not covered yet: "Retrain with my annotations" and the before/after comparison (not built).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { dispatch } from '../../main/api/index';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { appRunner, e2eSkipReason, startServerAndBrowser, until, type LociServer } from '../helpers/browser-mode';

const skip = e2eSkipReason();

function randomBases(n: number, seed: number): string {
  let s = seed >>> 0;
  let out = '';
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out += 'ACGT'[s >>> 30];
  }
  return out;
}

describe('Annotations in the Genome view: Shift-drag, edit, undo/redo, reload, export', { skip }, () => {
  let server: LociServer;
  let browser: Browser;
  let project: string;
  const api = <M extends MethodName>(method: M, input: MethodInput<M>) => dispatch(server.services, method, input) as Promise<MethodOutput<M>>;

  before(async () => {
    ({ server, browser } = await startServerAndBrowser());
    const genome = join(server.tmp, 'ann-genome.fa');
    writeFileSync(genome, `>chr1\n${randomBases(20_000, 3).replace(/(.{60})/g, '$1\n')}\n`);
    const sites = join(server.tmp, 'ann-sites.bed');
    writeFileSync(sites, Array.from({ length: 30 }, (_, i) => `chr1\t${400 + i * 600}\t${416 + i * 600}\tsite${i + 1}`).join('\n') + '\n');
    project = join(server.tmp, 'annotate.loci');
    await api('projects.create', { path: project, name: 'Annotate' });
    const g = await api('genomes.import', { project, path: genome, name: 'Toy' });
    const set = await api('regions.import', { project, path: sites, genomeId: g.id, name: 'sites' });
    await api('datasets.build', {
      project,
      name: 'Sites',
      spec: {
        source: 'regions',
        genomeId: g.id,
        regionSets: [{ id: set.id, label: 'motif' }],
        window: { mode: 'centred', length: 64 },
        negatives: { strategy: 'random', ratio: 1, margin: 40 },
        split: { kind: 'random', fractions: { train: 0.7, dev: 0.15, test: 0.15 } },
        seed: 3,
      },
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const withApp = appRunner(() => ({ browser, server }), { failureName: 'annotations-failed', localOnly: true });

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
      const out = join(server.tmp, 'exported.bed');
      await page.getByRole('button', { name: 'Export' }).click();
      const exp = page.getByRole('dialog', { name: 'Export annotations' });
      await exp.getByRole('textbox', { name: 'Save as' }).fill(out);
      await exp.getByRole('button', { name: 'Export' }).click();
      await exp.waitFor({ state: 'hidden' });
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      assert.match(lines[0]!, /itemRgb="On"/);
      const [chrom, start, end, name, , , , , rgb] = lines[1]!.split('\t');
      assert.deepEqual([chrom, Number(start), Number(end), name], ['chr1', made!.start, made!.end, 'motif']);
      assert.match(rgb!, /^\d+,\d+,\d+$/);
    });
  });
});
