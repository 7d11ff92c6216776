// The Models page end to end in browser mode: the bundled catalog (test folders through
// LOCI_MODELS_DIR), a model card with its picture, adding a bundled model to a project, importing
// a Hugging Face folder (a broken one is refused with the engine's message, a good one lands in the
// table) and a from-scratch baseline. Screenshots land in test-results/e2e/models-*.png.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appRunner, e2eSession, e2eSkipReason, repoRoot } from '../helpers/browser-mode';
import { writeBundled, writeKmerModel } from '../unit/api/models-helpers';

const skip = e2eSkipReason();

describe('Models page', { skip }, () => {
  const env = e2eSession();
  const previousModelsDir = process.env.LOCI_MODELS_DIR;

  before(async () => {
    process.env.LOCI_MODELS_DIR = await writeBundled(join(env.server.tmp, 'bundled'));
  });

  after(async () => {
    if (previousModelsDir === undefined) delete process.env.LOCI_MODELS_DIR;
    else process.env.LOCI_MODELS_DIR = previousModelsDir;
  });

  const withApp = appRunner(() => env, { failureName: 'models-failed', localOnly: true });

  async function createProject(page: Page, name: string): Promise<string> {
    const path = join(env.server.tmp, `${name.replace(/\W+/g, '-').toLowerCase()}.loci`);
    await page.getByRole('button', { name: 'New project', exact: true }).click();
    const modal = page.getByRole('dialog', { name: 'New project' });
    await modal.getByLabel('Name').fill(name);
    await modal.getByLabel('Location').fill(path);
    await modal.getByRole('button', { name: 'Create project', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
    return path;
  }

  async function goToModels(page: Page) {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { name: 'Models', level: 2 }).waitFor();
  }

  const modelsTable = (page: Page) => page.getByRole('table', { name: 'Project models' });

  test('catalog cards and a model card with its picture, without a project', async () => {
    await withApp(async ({ page, screenshot }) => {
      await goToModels(page);
      const card = page.getByRole('article', { name: 'test-bpe' });
      await card.waitFor();
      await card.getByText('DNABERT-2', { exact: true }).waitFor();
      await card.getByText('A tiny DNABERT-2 model for the tests: two layers, sixteen wide. It is not useful for anything else.').waitFor();
      await card.getByText('Checking that the Models page and service work.').waitFor();
      await page.getByRole('article', { name: 'test-3mer' }).getByText('BERT 3-mer').waitFor();
      assert.equal(await card.getByRole('button', { name: 'Add test-bpe to project' }).isDisabled(), true, 'no project: nothing to add to');
      await page.getByText('Open or create a project').waitFor();
      await screenshot('models-catalog-no-project');

      await card.getByRole('button', { name: 'View model card of test-bpe' }).click();
      const modal = page.getByRole('dialog', { name: 'Model card: test-bpe' });
      await modal.getByRole('heading', { name: 'Intended use' }).waitFor();
      const img = modal.getByRole('img', { name: 'loss curve' });
      await img.waitFor();
      assert.match((await img.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
      // It renders (the CSP lets the data: picture through and the SVG decodes), not just a broken <img>.
      const size = await img.evaluate(async (el) => {
        const im = el as HTMLImageElement;
        await im.decode().catch(() => undefined);
        return { w: im.naturalWidth, h: im.naturalHeight };
      });
      assert.ok(size.w > 0 && size.h > 0, `the loss curve renders (${size.w}x${size.h})`);
      assert.equal(await modal.getByText('license: mit').count(), 0, 'the YAML front matter is not shown');
      await screenshot('models-card');
      await page.keyboard.press('Escape');
      await modal.waitFor({ state: 'hidden' });
    });
  });

  test('adds a bundled model, refuses a broken folder with the engine message, imports a good one and makes a baseline', async () => {
    const good = await writeKmerModel(join(env.server.tmp, 'hf', 'DNA_bert_3'));
    const broken = join(env.server.tmp, 'hf', 'broken');
    mkdirSync(broken, { recursive: true });
    cpSync(good, broken, { recursive: true });
    truncateSync(join(broken, 'model.safetensors'), 1000);

    await withApp(async ({ page, screenshot }) => {
      const project = await createProject(page, 'Model zoo');
      await goToModels(page);
      await page.getByText('No models in this project yet').waitFor();

      await page.getByRole('button', { name: 'Add test-bpe to project' }).click();
      await modelsTable(page).getByRole('row').filter({ hasText: 'test-bpe' }).getByText('bundled').waitFor();
      await page.getByRole('button', { name: 'Add test-bpe to project' }).getByText('In project').waitFor();

      // A truncated model.safetensors: the dialog stays open with the engine's message and the file.
      await page.getByRole('button', { name: 'Import a Hugging Face folder' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Import a Hugging Face folder' });
      await dialog.getByLabel('Folder').fill(broken);
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      const alert = dialog.locator('[data-error-code="bad_file"]');
      await alert.waitFor();
      await alert.getByText('Problem in the file').waitFor();
      assert.match((await alert.textContent()) ?? '', /Not imported: .*broken\/model\.safetensors: .*(truncated|run past the end)/);
      await screenshot('models-import-error');

      await dialog.getByLabel('Folder').fill(good);
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      const imported = modelsTable(page).getByRole('row').filter({ hasText: 'DNA_bert_3' });
      await imported.getByText('imported', { exact: true }).waitFor();
      await imported.getByText('BERT 3-mer').waitFor();

      await page.getByRole('button', { name: 'New from-scratch baseline' }).click();
      const b = page.getByRole('dialog', { name: 'New from-scratch baseline' });
      await b.getByLabel('Name').fill('Scratch 6-mer');
      await b.getByText('BERT k-mer (DNABERT)').click();
      await b.getByRole('button', { name: 'Create baseline' }).click();
      await b.waitFor({ state: 'hidden', timeout: 60_000 });
      const baseline = modelsTable(page).getByRole('row').filter({ hasText: 'Scratch 6-mer' });
      await baseline.getByText('baseline', { exact: true }).waitFor();
      await baseline.getByText('BERT 6-mer').waitFor();
      await modelsTable(page).scrollIntoViewIfNeeded();
      await screenshot('models-project');

      const listed = await env.server.services['models.list']({ project });
      assert.deepEqual(listed.map((m) => [m.name, m.kind]), [['test-bpe', 'bundled'], ['DNA_bert_3', 'imported'], ['Scratch 6-mer', 'baseline']]);
      assert.equal(listed[2]!.shape.vocabSize, 4101);

      // Benchmark…, only the from-scratch twins (loci gue --no-pretrained), on one tiny GUE-format task.
      const task = join(env.server.tmp, 'gue', 'prom_tiny');
      mkdirSync(task, { recursive: true });
      for (const [split, n] of [['train', 24], ['dev', 8], ['test', 8]] as const) {
        const rows = Array.from({ length: n }, (_, i) => `${'ACGT'[i % 4]!.repeat(10)}${i % 2 ? 'TATAAA' : 'GGGCCC'}${'CAGT'[(i >> 1) % 4]!.repeat(14)},${i % 2}`);
        writeFileSync(join(task, `${split}.csv`), ['sequence,label', ...rows].join('\n') + '\n');
      }
      await page.getByRole('button', { name: 'Benchmark…' }).click();
      const bench = page.getByRole('dialog', { name: 'Benchmark models on GUE-format tasks' });
      await bench.getByLabel('Folder of tasks').fill(join(env.server.tmp, 'gue'));
      await bench.getByRole('checkbox', { name: 'test-bpe (bundled)' }).check();
      await bench.getByLabel('Steps per task').fill('2');
      await bench.getByRole('radio', { name: /Only the from-scratch twins/ }).check();
      await screenshot('models-benchmark-dialog');
      await bench.getByRole('button', { name: 'Start benchmark' }).click();
      await bench.waitFor({ state: 'hidden' });
      const run = page.getByRole('table', { name: 'Benchmark runs' }).getByRole('row').first();
      await run.getByText(/from-scratch twins only/).waitFor();
      await run.getByText('done', { exact: true }).waitFor({ timeout: 120_000 });
      const [stored] = await env.server.services['benchmarks.list']({ project });
      assert.deepEqual([stored?.scratch, stored?.pretrained], [true, false]);
    });
  });

  test('the models shipped in resources/models show with their real model cards', async (t) => {
    const shipped = join(repoRoot, 'resources', 'models');
    const names = existsSync(shipped) ? readdirSync(shipped).filter((n) => existsSync(join(shipped, n, 'config.json'))) : [];
    if (!names.includes('loci-bpe-mini')) return t.skip('resources/models/loci-bpe-mini is not there yet (scripts/pretrain-bundled.sh makes it)');
    process.env.LOCI_MODELS_DIR = shipped;
    await withApp(async ({ page, screenshot }) => {
      await goToModels(page);
      const card = page.getByRole('article', { name: 'loci-bpe-mini' });
      await card.getByText('BPE (4,096 tokens)').waitFor();
      // Its GUE line comes from the gue-results.json shipped in its folder, with the published means over the same tasks.
      const gue = card.getByTestId('gue-line');
      await gue.getByText(/GUE test MCC × 100 \(mean over \d+ tasks?;/).waitFor();
      assert.match(await gue.innerText(), /DNABERT-2 \(published\)/);
      await screenshot('models-shipped-catalog');
      await card.getByRole('button', { name: 'View model card of loci-bpe-mini' }).click();
      const modal = page.getByRole('dialog', { name: 'Model card: loci-bpe-mini' });
      await modal.getByRole('heading', { name: 'Corpus' }).waitFor();
      assert.ok((await modal.getByRole('table').count()) >= 2, 'the card tables are rendered as tables');
      // The keys of its key-value tables sit on one line each: never 'architec' / 'ture' (issue 10).
      for (const key of ['architecture', 'optimisation', 'tokenizer']) {
        const lines = await modal.getByRole('cell', { name: key, exact: true }).evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
        });
        assert.equal(lines, 1, `the key "${key}" is on one line`);
      }
      await modal.getByRole('img', { name: 'loss curve' }).scrollIntoViewIfNeeded();
      await screenshot('models-shipped-card');
    });
  });
});
