// End to end, the walk of issue 10's "Done when" with real data, as a biologist meets it in browser
// mode: a fresh data folder; a new project made from the Projects page; NCBI's E. coli K-12 FASTA
// and its GFF3 imported through the wizard (the chromosome-name mapping accepted if the names
// differ); a dataset built with the wizard's defaults; a short fine-tune of the bundled model
// started from the Train wizard and watched on its dashboard to the end. Every step keeps a
// screenshot in test-results/e2e/walk-*.png. Reads ../shared/data (or LOCI_DATA) in place and skips
// where it is absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { formatBp } from '../../shared/bp';
import { SKEW_FOR_BALANCED, classSkew } from '../../shared/class-weights';
import { appRunner, e2eSkipReason, repoRoot, startServerAndBrowser, until, type LociServer } from '../helpers/browser-mode';

const dataDir = process.env.LOCI_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const ecoliDir = join(dataDir, 'genomes', 'ecoli-k12-mg1655');
const ecoliFasta = join(ecoliDir, 'GCF_000005845.2_ASM584v2_genomic.fna.gz');
const ecoliGff = join(ecoliDir, 'GCF_000005845.2_ASM584v2_genomic.gff.gz');
const ECOLI_BP = 4_641_652;

const skip =
  e2eSkipReason() ??
  (existsSync(ecoliFasta) && existsSync(ecoliGff) ? undefined : `${ecoliDir} is absent: the walk needs NCBI's E. coli K-12 FASTA and GFF3 from ../shared/data (or set LOCI_DATA)`);

/** Max steps of the walk's fine-tune: a few seconds of training, two evaluations, then the test set. */
const STEPS = 30;

describe('The walk (issue 10): a new project, NCBI E. coli FASTA + GFF3, a default dataset, a short fine-tune', { skip }, () => {
  let server: LociServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startServerAndBrowser());
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const withApp = appRunner(() => ({ browser, server }), { failureName: 'walk-failed', fullPageOnFailure: true, localOnly: true });

  /** The value of a "label: value" fact (role listitem) in `scope`. */
  const fact = async (scope: Locator, label: string) => ((await scope.getByRole('listitem', { name: new RegExp(`^${label}: `) }).getAttribute('aria-label')) ?? '').slice(label.length + 2);

  test('from an empty data folder to a fine-tuned model, through the UI only', { timeout: 420_000 }, async () => {
    const t0 = Date.now();
    const took: string[] = [];
    const lap = (what: string) => took.push(`${what} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    await withApp(async (app) => {
      const { page } = app;
      let shot = 0;
      const screenshot = (name: string, fullPage = true) => app.screenshot(`walk-${String(++shot).padStart(2, '0')}-${name}`, { fullPage });

      // ---- 1. A new project, where Loci puts it by default ----
      await page.getByRole('heading', { name: 'Projects', level: 2 }).waitFor();
      await page.getByText('No projects yet').waitFor();
      await screenshot('empty');
      await page.getByRole('button', { name: 'New project', exact: true }).click();
      const create = page.getByRole('dialog', { name: 'New project' });
      await create.getByLabel('Name').fill('E. coli first hour');
      await screenshot('new-project', false);
      await create.getByRole('button', { name: 'Create project', exact: true }).click();
      await create.waitFor({ state: 'hidden' });
      await page.getByTestId('open-project-name').filter({ hasText: 'E. coli first hour' }).waitFor();
      const [recent] = await server.services['projects.listRecent']({});
      assert.ok(recent, 'the project is in the recent list');
      const project = recent.path;
      assert.ok(project.startsWith(join(server.ctx.dataDir, 'projects')), `made in the data folder: ${project}`);
      await screenshot('project-open');
      lap('project');

      // ---- 2. The genome: NCBI's FASTA, gzipped, its size said exactly ----
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Data' }).click();
      await page.getByRole('heading', { name: 'Data', level: 2 }).waitFor();
      await page.getByRole('button', { name: 'Import…', exact: true }).click();
      const w = page.getByRole('dialog', { name: /Import data|Dataset built/ });
      await w.getByRole('radio', { name: /^Genome:/ }).click();
      await w.getByLabel('Full path of the file').fill(ecoliFasta);
      await w.getByLabel('Name in the project').fill('E. coli K-12 MG1655');
      await screenshot('genome-path');
      await w.getByRole('button', { name: 'Import genome', exact: true }).click();
      await w.getByText('Imported “E. coli K-12 MG1655”').waitFor({ timeout: 120_000 });
      assert.equal(await fact(w, 'Total length'), formatBp(ECOLI_BP), 'the genome size, exact');
      assert.equal(await fact(w, 'Sequences'), '1');
      const seqRow = w.getByRole('table', { name: 'Sequences' }).locator('tbody tr').first();
      const seqCells = (await seqRow.locator('td').allTextContents()).map((t) => t.trim());
      assert.equal(seqCells[0], 'NC_000913.3');
      assert.match(seqCells[1]!, /Escherichia coli str\. K-12 substr\. MG1655/, 'the FASTA header description');
      assert.equal(seqCells[2], '4,641,652 bp', 'the same size, the same way, in the sequence list');
      await screenshot('genome-imported');
      lap('genome');

      // ---- 3. The GFF3 for this genome: the default feature type, names mapped if they differ ----
      await w.getByRole('button', { name: 'Import regions for this genome', exact: true }).click();
      await w.getByLabel('Full path of the file').fill(ecoliGff);
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      await w.getByText('Detected: GFF3').waitFor({ timeout: 120_000 });
      const mapping = w.getByTestId('chrom-mapping');
      if (await mapping.count()) {
        // Names that differ are mapped in the preview: accept the suggestion.
        await screenshot('gff-mapping-suggested');
        await mapping.getByRole('button', { name: 'Apply mapping' }).click();
        await mapping.getByText('Renamed on import:').waitFor({ timeout: 60_000 });
      }
      const stat = async (label: string) => ((await w.getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]').textContent()) ?? '').trim();
      const gene = w.getByRole('checkbox', { name: /^gene \(/ });
      assert.equal(await gene.isChecked(), true, 'genes are the default feature type');
      const geneCount = Number(((await w.getByText(/^gene \(/).textContent()) ?? '').match(/\(([\d,]+)/)?.[1]?.replace(/,/g, ''));
      assert.ok(geneCount > 4000, `E. coli has over 4,000 genes: ${geneCount}`);
      await until(() => stat('To import'), (v) => v === geneCount.toLocaleString('en-US'), 'every gene to be importable');
      assert.equal(await w.getByTestId('line-errors').count(), 0, 'NCBI’s files agree with each other: no problems');
      // The first records are genes, never NCBI's chromosome-wide 'region' line (Name: ANONYMOUS),
      // and thrL (GFF3 190..255, +) is where IGV would show it.
      const records = w.getByRole('table', { name: 'First records' });
      assert.doesNotMatch((await records.textContent()) ?? '', /ANONYMOUS/);
      assert.equal((await records.locator('tbody tr').first().locator('[data-locus]').textContent())?.trim(), 'NC_000913.3:190-255 (+)');
      await screenshot('gff-preview');
      lap('gff preview');

      // ---- 4. A dataset with the wizard's defaults ----
      await w.getByRole('button', { name: 'Import and build a dataset', exact: true }).click();
      await w.getByLabel('Dataset name').waitFor({ timeout: 60_000 });
      await screenshot('dataset-settings');
      await w.getByRole('button', { name: 'Next: review', exact: true }).click();
      await screenshot('dataset-review');
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
      await w.getByRole('region', { name: 'Built dataset' }).waitFor({ timeout: 240_000 });
      await screenshot('dataset-built');
      const [dataset] = await server.services['datasets.list']({ project });
      assert.ok(dataset, 'the dataset is in the project');
      for (const split of ['train', 'dev', 'test'] as const) {
        for (const c of dataset.classes) assert.ok((dataset.splits[split].classCounts[c] ?? 0) > 0, `${split} has ${c}`);
      }
      // Genes cover most of E. coli: few windows lie 100 bp clear of them, and the build says what
      // that does to the classes and what to do about it.
      const negatives = dataset.negatives!;
      const skew = classSkew(dataset.splits.train.classCounts);
      if (negatives.made < negatives.wanted) {
        await w.getByText(new RegExp(`^Only ${negatives.made.toLocaleString('en-US')} of ${negatives.wanted.toLocaleString('en-US')} negatives were found: the genome has too few windows ${formatBp(negatives.margin)} or more from every labelled region`)).waitFor();
      }
      lap('dataset');

      // ---- 5. A short fine-tune of the bundled model, from the built dataset to the Train wizard ----
      await w.getByRole('link', { name: 'Train a model on it' }).click();
      await w.waitFor({ state: 'hidden' });
      await page.getByRole('heading', { name: 'New training run', level: 2 }).waitFor();
      const datasetRadio = page.getByRole('radio', { name: `Dataset ${dataset.name}` });
      await datasetRadio.waitFor();
      assert.equal(await datasetRadio.isChecked(), true, 'the dataset just built is chosen');
      await screenshot('train-dataset');
      await page.getByRole('button', { name: 'Next: model' }).click();
      // A new project has no models: the bundled ones are offered first.
      // The BPE one: about 5 bases per token, the quicker of the two on 200 bp windows.
      const catalog = await server.services['models.catalog']({});
      const bundled = catalog.find((b) => b.name === 'loci-bpe-mini') ?? catalog[0];
      assert.ok(bundled, 'Loci ships a model');
      await page.getByRole('button', { name: `Use ${bundled.name}` }).click();
      const picked = page.getByRole('radio', { name: `Model ${bundled.name}` });
      await picked.waitFor({ timeout: 60_000 });
      assert.equal(await picked.isChecked(), true, 'the added model is picked');
      await screenshot('train-model');
      await page.getByRole('button', { name: 'Next: settings' }).click();
      await page.getByText('Steps', { exact: true }).click();
      await page.getByLabel('Max steps').fill(String(STEPS));
      await page.getByRole('button', { name: 'Advanced settings' }).click();
      // The model's own warm-up would take most of a short run: the wizard says so next to the
      // length, and the user shortens it.
      const warmup = page.getByLabel('Warm-up steps');
      const hint = page.getByTestId('warmup-hint');
      if (Number(await warmup.inputValue()) >= STEPS / 2) await hint.waitFor();
      await warmup.fill('3');
      await hint.waitFor({ state: 'detached' });
      // The skewed classes get balanced weights by default, with the reason under the setting.
      if (skew >= SKEW_FOR_BALANCED) {
        assert.equal(await page.getByRole('combobox', { name: 'Class weights' }).inputValue(), 'Balanced');
        await page.getByText(`(this dataset’s training classes are ${Math.round(skew)} to 1)`, { exact: false }).waitFor();
      }
      await page.getByLabel('Evaluate every').fill(String(STEPS / 2));
      await screenshot('train-settings');
      await page.getByRole('button', { name: 'Next: estimate' }).click();
      await page.getByRole('region', { name: 'Estimate' }).waitFor({ timeout: 60_000 });
      assert.match((await page.getByTestId('estimate-total').textContent()) ?? '', /≈ \d/);
      if (skew >= SKEW_FOR_BALANCED) await page.getByRole('table', { name: 'Run summary' }).getByText('balanced: rare classes count more').waitFor();
      await screenshot('train-estimate');
      await page.getByRole('button', { name: 'Start training' }).click();
      await page.getByTestId('run-state').waitFor({ timeout: 30_000 });
      const [run] = await server.services['training.list']({ project });
      assert.ok(run, 'the run is in the project');
      await page.getByRole('heading', { name: run.name, level: 2 }).waitFor();
      lap('run started');

      // ---- 6. The dashboard: live, then the end of the run ----
      const stateOf = async () => ((await page.getByTestId('run-state').textContent()) ?? '').trim();
      const lossPoints = async () => Number((await page.getByRole('img', { name: 'Loss curve' }).getAttribute('data-points')) ?? '0');
      await until(lossPoints, (n) => n > 0, 'the first loss points', 180_000);
      await screenshot('run-live');
      lap('first loss');
      await until(stateOf, (s) => s === 'done' || s === 'failed' || s === 'cancelled', 'the run to end', 240_000);
      assert.equal(await stateOf(), 'done', (await server.services['training.get']({ project, runId: run.id })).error ?? '');
      await page.getByRole('heading', { name: 'Test results' }).waitFor({ timeout: 30_000 });
      assert.match((await page.getByTestId('run-step').textContent()) ?? '', new RegExp(`${STEPS} / ${STEPS}$`));
      const detail = await server.services['training.get']({ project, runId: run.id });
      assert.ok(detail.test, 'the run has test metrics');
      assert.equal((await page.getByTestId('test-mcc').textContent())?.trim(), detail.test.mcc.toFixed(3));
      await page.getByRole('link', { name: 'Saved model: see the Models page' }).waitFor();
      await screenshot('run-done');
      lap('run done');

      // ---- 7. The Data page says the genome's size as the import did ----
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Data' }).click();
      await page.getByRole('tab', { name: /Genomes/ }).click();
      const genomeRow = page.getByRole('table', { name: 'Genomes' }).locator('tbody tr').filter({ hasText: 'E. coli K-12 MG1655' });
      await genomeRow.waitFor();
      assert.ok(((await genomeRow.textContent()) ?? '').includes('4,641,652 bp'), 'the genome list shows the exact size');
      await screenshot('data-page');
    });
    console.error(`walk: ${took.join(', ')}`);
  });
});
