// End to end, the Data page and its import wizard in browser mode: the built renderer in headless
// chromium, the real services over the real HTTP server. Fixtures (a 3-chromosome genome with a
// planted motif, its sites as BED, a labelled CSV, broken files) are generated here; screenshots
// of every step land in test-results/e2e/data-*.png.
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { DatasetSummary } from '../../shared/contract/data';
import { appRunner, e2eSession, e2eSkipReason } from '../helpers/browser-mode';
import { randomBases } from '../helpers/e2e-genome';

const skip = e2eSkipReason();
const ecoliDir = '/work/shared/data/genomes/ecoli-k12-mg1655';
const ecoliFasta = join(ecoliDir, 'GCF_000005845.2_ASM584v2_genomic.fna.gz');
const ecoliGff = join(ecoliDir, 'GCF_000005845.2_ASM584v2_genomic.gff.gz');
const ecoliSkip = existsSync(ecoliFasta) && existsSync(ecoliGff) ? undefined : `${ecoliDir} is absent: the real E. coli genome and GFF3 are needed for this test`;

// ---------- fixtures ----------

const MOTIF = 'TGACGTCATTTAAATG';
const CHROM_LENGTH = 20_000;
const SITE_STEP = 1_000;

function wrap(seq: string): string {
  return seq.replace(/(.{60})/g, '$1\n').replace(/\n?$/, '\n');
}

interface Fixtures {
  genome: string;
  sites: string;
  siteCount: number;
  badBed: string;
  table: string;
  badFasta: string;
  movable: string;
}

/** Three 20 kb chromosomes with MOTIF planted every 1 kb (the BED lists those sites). */
function writeFixtures(dir: string): Fixtures {
  let fasta = '';
  const bed: string[] = ['track name=motif-sites'];
  let k = 0;
  for (const [i, chrom] of ['chr1', 'chr2', 'chr3'].entries()) {
    const seq = randomBases(CHROM_LENGTH, 11 + i).split('');
    for (let pos = 600; pos + MOTIF.length < CHROM_LENGTH - 400; pos += SITE_STEP) {
      seq.splice(pos, MOTIF.length, ...MOTIF);
      bed.push([chrom, pos, pos + MOTIF.length, `site${++k}`, 0, k % 2 ? '+' : '-'].join('\t'));
    }
    fasta += `>${chrom}\n${wrap(seq.join(''))}`;
  }
  const genome = join(dir, 'motif-genome.fa');
  writeFileSync(genome, fasta);
  const sites = join(dir, 'motif-sites.bed');
  writeFileSync(sites, bed.join('\n') + '\n');
  // Line 3 has a start that is not a number.
  const badBed = join(dir, 'broken-sites.bed');
  writeFileSync(badBed, 'chr1\t100\t200\tok1\nchr1\t300\t400\tok2\nchr1\tabc\t500\tbad\nchr2\t100\t200\tok3\n');
  const rows = ['sequence,label'];
  for (let i = 0; i < 60; i++) rows.push(`${randomBases(40, 100 + i)},${i % 3 === 0 ? 'promoter' : 'background'}`);
  const table = join(dir, 'labelled.csv');
  writeFileSync(table, rows.join('\n') + '\n');
  const badFasta = join(dir, 'broken.fa');
  writeFileSync(badFasta, '>chr1\nACGTACGTAC\nACGT!!ACGT\nACGT\n');
  const movable = join(dir, 'movable.fa');
  writeFileSync(movable, `>m1\n${wrap(randomBases(3000, 99))}`);
  return { genome, sites, siteCount: k, badBed, table, badFasta, movable };
}

/**
 * A ~50 MB genome (5 chromosomes of 10 Mbp, random bases made straight into a buffer) and a BED
 * with a site every 1.5 kb: big enough that building a dataset from it takes a while.
 */
function writeBigGenome(dir: string): { genome: string; sites: string; siteCount: number; chroms: number } {
  const chroms = 5;
  const length = 10_000_000;
  const width = 60;
  const fd = openSync(join(dir, 'big-genome.fa'), 'w');
  const bed: string[] = [];
  let s = 2024;
  const codes = Buffer.from('ACGT');
  for (let c = 1; c <= chroms; c++) {
    writeSync(fd, `>chr${c}\n`);
    const buf = Buffer.alloc(length + Math.ceil(length / width));
    let o = 0;
    for (let i = 0; i < length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      buf[o++] = codes[s >>> 30]!;
      if ((i + 1) % width === 0 || i === length - 1) buf[o++] = 10;
    }
    writeSync(fd, buf, 0, o);
    for (let pos = 1_000; pos < length - 1_000; pos += 1_500) bed.push(`chr${c}\t${pos}\t${pos + 1}\ts${bed.length + 1}\t0\t+`);
  }
  closeSync(fd);
  const sites = join(dir, 'big-sites.bed');
  writeFileSync(sites, bed.join('\n') + '\n');
  return { genome: join(dir, 'big-genome.fa'), sites, siteCount: bed.length, chroms };
}

// ---------- helpers ----------

describe('Data page and import wizard', { skip }, () => {
  const env = e2eSession();
  let fx: Fixtures;

  before(async () => {
    fx = writeFixtures(env.server.tmp);
  });

  const withApp = appRunner(() => env, { failureName: 'data-failed' });

  const wizard = (page: Page) => page.getByRole('dialog', { name: /Import data|Dataset built/ });

  async function createProject(page: Page, name: string): Promise<string> {
    await page.getByRole('button', { name: 'New project', exact: true }).click();
    const modal = page.getByRole('dialog', { name: 'New project' });
    await modal.getByLabel('Name').fill(name);
    await modal.getByLabel('Location').fill(join(env.server.tmp, `${name.replace(/\W+/g, '-').toLowerCase()}.loci`));
    await modal.getByRole('button', { name: 'Create project', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
    return join(env.server.tmp, `${name.replace(/\W+/g, '-').toLowerCase()}.loci`);
  }

  async function goToData(page: Page) {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Data' }).click();
    await page.getByRole('heading', { name: 'Data', level: 2 }).waitFor();
  }

  async function openWizard(page: Page, kind: 'Genome' | 'Labelled regions' | 'Labelled sequences'): Promise<Locator> {
    await page.getByRole('button', { name: 'Import…', exact: true }).click();
    const w = wizard(page);
    await w.waitFor();
    await w.getByRole('radio', { name: new RegExp(`^${kind}:`) }).click();
    return w;
  }

  async function importGenome(page: Page, path: string, name: string) {
    const w = await openWizard(page, 'Genome');
    await w.getByLabel('Full path of the file').fill(path);
    await w.getByLabel('Name in the project').fill(name);
    await w.getByRole('button', { name: 'Import genome', exact: true }).click();
    await w.getByText(`Imported “${name}”`).waitFor({ timeout: 120_000 });
    return w;
  }

  /** The numbers of the "Class counts per split" table, by split and column header. */
  async function classCountTable(scope: Locator): Promise<Record<string, Record<string, string>>> {
    const table = scope.getByRole('table', { name: 'Class counts per split' });
    await table.waitFor();
    const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
    const out: Record<string, Record<string, string>> = {};
    for (const row of await table.locator('tbody tr').all()) {
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      out[cells[0]!] = Object.fromEntries(headers.map((h, i) => [h, cells[i]!]));
    }
    return out;
  }

  function assertCountsMatch(shown: Record<string, Record<string, string>>, summary: DatasetSummary) {
    for (const split of ['train', 'dev', 'test'] as const) {
      const s = summary.splits[split];
      assert.equal(shown[split]?.Sequences, s.sequences.toLocaleString('en-US'), `${split} size`);
      for (const c of summary.classes) assert.equal(shown[split]?.[c], (s.classCounts[c] ?? 0).toLocaleString('en-US'), `${split} ${c}`);
    }
  }

  // ---------- tests ----------

  test('without an open project the Data page points to Projects', async () => {
    await withApp(async ({ page, screenshot }) => {
      await page.getByTestId('compute-backend').waitFor();
      await goToData(page);
      await page.getByText('No project open').first().waitFor();
      const link = page.getByRole('main').getByRole('link', { name: 'Open or create a project' });
      await screenshot('data-no-project');
      await link.click();
      await page.getByRole('heading', { name: 'Projects', level: 2 }).waitFor();
    });
  });

  test('imports a genome and a BED, builds a GC-matched dataset split by chromosome, views and exports it', async () => {
    await withApp(async ({ page, screenshot }) => {
      const project = await createProject(page, 'Motif sites');
      await goToData(page);
      await page.getByText('No genomes yet').waitFor();
      await screenshot('data-empty');

      // 1. The genome: imported by reference, with its sequences and GC.
      let w = await importGenome(page, fx.genome, 'Motif genome');
      await w.getByRole('listitem', { name: 'Sequences: 3' }).waitFor();
      assert.equal(await w.getByRole('table', { name: 'Sequences' }).locator('tbody tr').count(), 3);
      await screenshot('data-genome-imported');
      await w.getByRole('button', { name: 'Done', exact: true }).click();
      await w.waitFor({ state: 'hidden' });
      const genomes = page.getByRole('table', { name: 'Genomes' });
      const genomeRow = genomes.getByRole('row').filter({ hasText: 'Motif genome' });
      await genomeRow.waitFor();
      assert.equal(await genomeRow.getAttribute('data-status'), 'ok');
      assert.ok(((await genomeRow.textContent()) ?? '').includes(fx.genome), 'the row shows the file path');
      await screenshot('data-genomes');

      // 2. The BED, previewed first: records, no problems, the genome chosen for it.
      w = await openWizard(page, 'Labelled regions');
      await w.getByLabel('Full path of the file').fill(fx.sites);
      await screenshot('data-wizard-choose-regions');
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      const records = w.getByRole('table', { name: 'First records' });
      await records.waitFor();
      assert.equal(await records.locator('tbody tr').count(), 20, 'the first 20 records');
      await w.getByText('Detected: BED').waitFor();
      assert.equal(await w.getByTestId('line-errors').count(), 0);
      assert.equal(await w.getByLabel('Name of the region set').inputValue(), 'motif-sites');
      await screenshot('data-wizard-preview-bed');
      await w.getByRole('button', { name: 'Import and build a dataset', exact: true }).click();

      // 3. Settings: defaults suit a 3-chromosome genome (hold out chr2 for test, chr3 for dev).
      const nameInput = w.getByLabel('Dataset name');
      await nameInput.waitFor();
      assert.equal(await nameInput.inputValue(), 'motif-sites vs background');
      assert.equal(await w.getByLabel('Window length (bp)').inputValue(), '200');
      assert.equal(await w.getByRole('radio', { name: 'Chromosomes' }).isChecked(), true);
      await screenshot('data-wizard-settings');
      // A bad setting comes back from the API under its input.
      await w.getByLabel('Window length (bp)').fill('0');
      await w.getByRole('button', { name: 'Next: review', exact: true }).click();
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
      await w.getByText('The window length must be at least 1 bp').waitFor();
      assert.equal(await w.getByLabel('Window length (bp)').getAttribute('aria-invalid'), 'true');
      await screenshot('data-wizard-settings-error');
      await w.getByLabel('Window length (bp)').fill('200');

      // 4. Review, build, summary.
      await w.getByRole('button', { name: 'Next: review', exact: true }).click();
      const recap = w.getByRole('table', { name: 'Dataset to build' });
      await recap.waitFor();
      const recapText = (await recap.textContent()) ?? '';
      assert.match(recapText, new RegExp(`${fx.siteCount} regions from “motif-sites”`));
      assert.match(recapText, /same GC content/);
      assert.match(recapText, /by chromosome: dev chr3, test chr2/);
      await screenshot('data-wizard-review');
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
      await w.getByRole('region', { name: 'Built dataset' }).waitFor({ timeout: 120_000 });
      const [built] = await env.server.services['datasets.list']({ project });
      assert.ok(built, 'the dataset is in the project');
      assert.equal(built.name, 'motif-sites vs background');
      assert.deepEqual(built.classes, ['background', 'motif-sites']);
      assert.equal(built.negatives?.strategy, 'gc-matched');
      // Every planted site is a positive, each chromosome in its own split.
      const positives = built.splits.train.classCounts['motif-sites']! + built.splits.dev.classCounts['motif-sites']! + built.splits.test.classCounts['motif-sites']!;
      assert.equal(positives, fx.siteCount);
      assert.equal(built.splits.test.classCounts['motif-sites'], fx.siteCount / 3);
      assertCountsMatch(await classCountTable(w), built);
      await screenshot('data-wizard-built');
      await w.getByRole('button', { name: 'Done', exact: true }).click();
      await w.waitFor({ state: 'hidden' });

      // 5. Listed on the Data page with split sizes and class counts.
      await page.getByRole('tab', { name: /Datasets/ }).click();
      const row = page.getByRole('table', { name: 'Datasets' }).getByRole('row').filter({ hasText: 'motif-sites vs background' });
      await row.waitFor();
      const s = built.splits;
      assert.equal(await row.getByTestId('split-sizes').textContent(), `${s.train.sequences} / ${s.dev.sequences} / ${s.test.sequences}`);
      assert.ok(((await row.textContent()) ?? '').includes(`motif-sites: ${fx.siteCount}`));
      await page.getByRole('tab', { name: /Region sets/ }).click();
      await page.getByRole('table', { name: 'Region sets' }).getByRole('row').filter({ hasText: 'motif-sites' }).getByText(String(fx.siteCount)).waitFor();
      await page.getByRole('tab', { name: /Datasets/ }).click();
      await screenshot('data-datasets');

      // View: summary and the first examples of each split.
      await row.getByRole('button', { name: 'View motif-sites vs background', exact: true }).click();
      const view = page.getByRole('dialog', { name: 'Dataset: motif-sites vs background' });
      const examples = view.getByRole('table', { name: 'First train examples' });
      await examples.waitFor();
      assert.equal(await examples.locator('tbody tr').count(), 8);
      assert.match((await examples.locator('tbody tr').first().textContent()) ?? '', /chr1:\d+-\d+/);
      assertCountsMatch(await classCountTable(view), built);
      await screenshot('data-dataset-view');
      await view.getByRole('tab', { name: 'test examples' }).click();
      assert.match((await view.getByRole('table', { name: 'First test examples' }).locator('tbody tr').first().textContent()) ?? '', /chr2:/);
      await page.keyboard.press('Escape');
      await view.waitFor({ state: 'hidden' });

      // Export as CSV into a folder.
      await row.getByRole('button', { name: 'Export motif-sites vs background', exact: true }).click();
      const exp = page.getByRole('dialog', { name: 'Export motif-sites vs background' });
      const out = join(env.server.tmp, 'export-csv');
      await exp.getByRole('textbox', { name: 'Folder' }).fill(out);
      await exp.getByRole('button', { name: 'Export', exact: true }).click();
      await exp.getByRole('status', { name: 'Exported files' }).waitFor();
      await screenshot('data-export');
      const trainCsv = readFileSync(join(out, 'train.csv'), 'utf8').trim().split('\n');
      assert.equal(trainCsv[0], 'sequence,label');
      assert.equal(trainCsv.length - 1, s.train.sequences);
      await exp.getByRole('button', { name: 'Close', exact: true }).click();
    });
  });

  test('a dataset build on a 50 MB genome can be cancelled, changing nothing, and then runs to completion', { timeout: 300_000 }, async () => {
    const big = writeBigGenome(env.server.tmp);
    await withApp(async ({ page, screenshot }) => {
      const project = await createProject(page, 'Big genome');
      await goToData(page);
      let w = await importGenome(page, big.genome, 'Big genome');
      await w.getByRole('listitem', { name: `Sequences: ${big.chroms}` }).waitFor();
      await w.getByRole('button', { name: 'Done', exact: true }).click();
      await w.waitFor({ state: 'hidden' });

      w = await openWizard(page, 'Labelled regions');
      await w.getByLabel('Full path of the file').fill(big.sites);
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      await w.getByText('Detected: BED').waitFor({ timeout: 60_000 });
      await w.getByRole('button', { name: 'Import and build a dataset', exact: true }).click();
      await w.getByLabel('Dataset name').waitFor({ timeout: 60_000 });
      await w.getByRole('button', { name: 'Next: review', exact: true }).click();
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();

      // Cancel once the build is under way (its worker is extracting windows or drawing negatives).
      const progress = w.getByRole('status', { name: 'Building the dataset' });
      await progress.getByText(/(positives|negatives): [\d,]+ of [\d,]+/).waitFor({ timeout: 60_000 });
      await screenshot('data-wizard-build-progress');
      await progress.getByRole('button', { name: 'Cancel build', exact: true }).click();
      const notice = w.getByRole('status', { name: 'Cancelled' });
      await notice.getByText('Cancelled — nothing was changed').waitFor({ timeout: 60_000 });
      await screenshot('data-wizard-build-cancelled');
      assert.deepEqual(await env.server.services['datasets.list']({ project }), [], 'the cancelled build left no dataset');
      const jobs = await env.server.services['jobs.list']({ project });
      assert.deepEqual(jobs.filter((j) => j.kind === 'dataset-build').map((j) => j.state), ['cancelled']);

      // Build again, to completion.
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
      await w.getByRole('region', { name: 'Built dataset' }).waitFor({ timeout: 240_000 });
      assert.equal(await notice.count(), 0, 'the cancel notice is gone');
      const [built] = await env.server.services['datasets.list']({ project });
      assert.ok(built, 'the dataset is in the project');
      const positives = Object.values(built.splits).reduce((a, sp) => a + (sp.classCounts['big-sites'] ?? 0), 0);
      assert.equal(positives, big.siteCount);
      assertCountsMatch(await classCountTable(w), built);
      await screenshot('data-wizard-build-after-cancel');
    });
  });

  test('a BED with a non-numeric coordinate shows the file and line; a broken FASTA is refused with its line', async () => {
    await withApp(async ({ page, screenshot }) => {
      await createProject(page, 'Broken inputs');
      await goToData(page);
      let w = await importGenome(page, fx.genome, 'Genome for broken BED');
      await w.getByRole('button', { name: 'Done', exact: true }).click();
      await w.waitFor({ state: 'hidden' });

      // A dropped file: the browser gives its name but not its folder, so the page asks for the path.
      w = await openWizard(page, 'Genome');
      await w.getByLabel('Full path of the file').fill(`${env.server.tmp}/`);
      const dropped = await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['chr1\t1\t2\n'], 'broken-sites.bed'));
        return dt;
      });
      await w.getByLabel('Drop a file here').dispatchEvent('drop', { dataTransfer: dropped });
      await w.getByText('Dropped: broken-sites.bed').waitFor();
      assert.equal(await w.getByRole('radio', { name: /^Labelled regions:/ }).getAttribute('aria-checked'), 'true', 'the kind follows the file name');
      assert.equal(await w.getByLabel('Full path of the file').inputValue(), fx.badBed, 'the name joins the folder already typed');
      await screenshot('data-wizard-dropped');
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      const problems = w.getByRole('table', { name: 'Problems in the file' });
      await problems.waitFor();
      const cells = (await problems.locator('tbody tr').first().locator('td').allTextContents()).map((t) => t.trim());
      assert.equal(cells[0], 'broken-sites.bed', 'names the file');
      assert.equal(cells[1]!.split(':')[0], '3', 'names the line');
      assert.match(cells[2]!, /abc|number|coordinate/i, `says what is wrong: ${cells[2]}`);
      assert.equal(await w.getByRole('table', { name: 'First records' }).locator('tbody tr').count(), 3, 'the three good lines are previewed');
      // Importing is refused until the user chooses to leave the bad line out.
      const importButton = w.getByRole('button', { name: 'Import and build a dataset', exact: true });
      assert.equal(await importButton.isDisabled(), true);
      await screenshot('data-wizard-bad-bed');
      await w.getByLabel(/Leave out the 1 line with problems/).check();
      assert.equal(await importButton.isDisabled(), false);
      await w.getByRole('button', { name: 'Import and close', exact: true }).click();
      await w.waitFor({ state: 'hidden' });
      await page.getByRole('tab', { name: /Region sets/ }).click();
      await page.getByRole('table', { name: 'Region sets' }).getByRole('row').filter({ hasText: 'broken-sites' }).waitFor();

      // A FASTA with a bad character: the import fails with an alert naming the file and line.
      await page.getByRole('button', { name: 'Import…', exact: true }).click();
      w = wizard(page);
      await w.getByRole('radio', { name: /^Genome:/ }).click();
      await w.getByLabel('Full path of the file').fill(fx.badFasta);
      await w.getByRole('button', { name: 'Import genome', exact: true }).click();
      const alert = w.locator('[data-error-code="bad_file"]');
      await alert.waitFor({ timeout: 60_000 });
      const text = (await alert.textContent()) ?? '';
      assert.ok(text.includes(`${fx.badFasta}:3`), `the alert names file and line: ${text}`);
      await screenshot('data-wizard-bad-fasta');
      // A relative path is caught before any request.
      await w.getByRole('button', { name: 'Back', exact: true }).click();
      await w.getByLabel('Full path of the file').fill('genome.fa');
      await w.getByRole('button', { name: 'Import genome', exact: true }).click();
      await w.getByText('Give the full path, from the root of the disk').waitFor();
      await w.getByRole('button', { name: 'Cancel', exact: true }).click();
    });
  });

  test('builds a dataset from a labelled CSV, then deletes it', async () => {
    await withApp(async ({ page, screenshot }) => {
      const project = await createProject(page, 'Labelled table');
      await goToData(page);
      await page.getByRole('tab', { name: /Datasets/ }).click();
      await page.getByText('No datasets yet').waitFor();
      const w = await openWizard(page, 'Labelled sequences');
      await w.getByLabel('Full path of the file').fill(fx.table);
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      const classes = w.getByRole('group', { name: 'Class counts' });
      await classes.waitFor();
      assert.equal((await classes.textContent())?.replace(/\s+/g, ''), 'background:40promoter:20');
      await screenshot('data-wizard-preview-table');
      await w.getByRole('button', { name: 'Next: dataset settings', exact: true }).click();
      assert.equal(await w.getByLabel('Dataset name').inputValue(), 'labelled');
      await w.getByLabel('Train %').fill('70');
      await w.getByRole('button', { name: 'Next: review', exact: true }).click();
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
      // 70 + 10 + 10 is not 100: the API's message shows on the settings step.
      await w.getByText('train + dev + test must add up to 1').waitFor();
      await w.getByLabel('Dev %').fill('15');
      await w.getByLabel('Test %').fill('15');
      await w.getByRole('button', { name: 'Next: review', exact: true }).click();
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
      await w.getByRole('region', { name: 'Built dataset' }).waitFor({ timeout: 60_000 });
      const [built] = await env.server.services['datasets.list']({ project });
      assert.ok(built, 'the dataset is in the project');
      assert.equal(built.total, 60);
      assert.deepEqual([built.splits.train.sequences, built.splits.dev.sequences, built.splits.test.sequences], [42, 9, 9]);
      assertCountsMatch(await classCountTable(w), built);
      await screenshot('data-wizard-table-built');
      await w.getByRole('button', { name: 'Done', exact: true }).click();

      const row = page.getByRole('table', { name: 'Datasets' }).getByRole('row').filter({ hasText: 'labelled' });
      await row.getByRole('button', { name: 'Delete dataset labelled', exact: true }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete dataset' });
      await confirm.getByRole('button', { name: 'Delete dataset', exact: true }).click();
      await confirm.waitFor({ state: 'hidden' });
      await page.getByText('No datasets yet').waitFor();
      assert.deepEqual(await env.server.services['datasets.list']({ project }), []);
    });
  });

  test('a moved genome shows as moved and can be located again', async () => {
    await withApp(async ({ page, screenshot }) => {
      await createProject(page, 'Moving genome');
      await goToData(page);
      const w = await importGenome(page, fx.movable, 'Movable');
      await w.getByRole('button', { name: 'Done', exact: true }).click();
      await w.waitFor({ state: 'hidden' });
      const moved = join(env.server.tmp, 'moved-away.fa');
      renameSync(fx.movable, moved);
      await page.reload();
      const row = page.getByRole('table', { name: 'Genomes' }).getByRole('row').filter({ hasText: 'Movable' });
      await row.getByText('moved', { exact: true }).waitFor();
      await screenshot('data-genome-moved');
      await row.getByRole('button', { name: 'Locate file of Movable', exact: true }).click();
      const modal = page.getByRole('dialog', { name: 'Locate genome file' });
      await modal.getByLabel('New path of the FASTA file').fill(fx.genome);
      await modal.getByRole('button', { name: 'Locate', exact: true }).click();
      await modal.getByText(/not the same file/).waitFor();
      await modal.getByLabel('New path of the FASTA file').fill(moved);
      await modal.getByRole('button', { name: 'Locate', exact: true }).click();
      await modal.waitFor({ state: 'hidden' });
      await row.getByText('ok', { exact: true }).waitFor();
      assert.equal(await row.getAttribute('data-status'), 'ok');
      renameSync(moved, fx.movable);
    });
  });

  test('looks right in dark mode', async () => {
    await withApp(
      async ({ page, screenshot }) => {
        await createProject(page, 'Dark data');
        await goToData(page);
        let w = await importGenome(page, fx.genome, 'Dark genome');
        await screenshot('data-dark-genome-imported');
        await w.getByRole('button', { name: 'Done', exact: true }).click();
        w = await openWizard(page, 'Labelled regions');
        await w.getByLabel('Full path of the file').fill(fx.badBed);
        await w.getByRole('button', { name: 'Preview', exact: true }).click();
        await w.getByRole('table', { name: 'Problems in the file' }).waitFor();
        await screenshot('data-dark-preview-errors');
        await w.getByRole('button', { name: 'Back', exact: true }).click();
        await w.getByLabel('Full path of the file').fill(fx.sites);
        await w.getByRole('button', { name: 'Preview', exact: true }).click();
        await w.getByRole('button', { name: 'Import and build a dataset', exact: true }).click();
        await w.getByLabel('Dataset name').waitFor();
        await screenshot('data-dark-settings');
        await w.getByRole('button', { name: 'Next: review', exact: true }).click();
        await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
        await w.getByRole('region', { name: 'Built dataset' }).waitFor({ timeout: 120_000 });
        await screenshot('data-dark-built');
        await w.getByRole('button', { name: 'Done', exact: true }).click();
        await page.getByRole('tab', { name: /Datasets/ }).click();
        await page.getByRole('table', { name: 'Datasets' }).waitFor();
        await screenshot('data-dark-datasets');
      },
      { colorScheme: 'dark' },
    );
  });

  test('E. coli: imports the genome and GFF3, picks CDS start sites, builds a block-split dataset with matched negatives', { skip: ecoliSkip, timeout: 300_000 }, async () => {
    await withApp(async ({ page, screenshot }) => {
      const project = await createProject(page, 'E coli CDS starts');
      await goToData(page);
      let w = await importGenome(page, ecoliFasta, 'E. coli K-12 MG1655');
      await w.getByRole('listitem', { name: 'Sequences: 1' }).waitFor();
      await screenshot('data-ecoli-genome');
      await w.getByRole('button', { name: 'Import regions for this genome', exact: true }).click();

      // The wizard goes on with this genome chosen.
      w = wizard(page);
      await w.getByLabel('Full path of the file').fill(ecoliGff);
      await w.getByRole('button', { name: 'Preview', exact: true }).click();
      await w.getByText('Detected: GFF3').waitFor({ timeout: 60_000 });
      const cds = w.getByRole('checkbox', { name: /^CDS \(/ });
      await cds.check();
      const gene = w.getByRole('checkbox', { name: /^gene \(/ });
      if (await gene.isChecked()) await gene.uncheck();
      await w.getByRole('switch', { name: /Derive start sites/ }).check();
      assert.equal(await w.getByLabel('Name of the region set').inputValue(), 'CDS start sites');
      const cdsLabel = (await w.getByText(/^CDS \(/).textContent()) ?? '';
      const cdsCount = Number(cdsLabel.match(/\(([\d,]+)\)/)?.[1]?.replace(/,/g, ''));
      assert.ok(cdsCount > 4000, `E. coli has over 4000 CDS: ${cdsCount}`);
      await screenshot('data-ecoli-gff-preview');
      await w.getByRole('button', { name: 'Import and build a dataset', exact: true }).click();

      await w.getByLabel('Dataset name').waitFor({ timeout: 60_000 });
      // One chromosome: position blocks are the default split.
      assert.equal(await w.getByRole('radio', { name: 'Position blocks' }).isChecked(), true);
      await w.getByLabel('Dataset name').fill('CDS start sites vs background');
      await screenshot('data-ecoli-settings');
      await w.getByRole('button', { name: 'Next: review', exact: true }).click();
      await w.getByRole('button', { name: 'Build dataset', exact: true }).click();
      await w.getByRole('region', { name: 'Built dataset' }).waitFor({ timeout: 240_000 });
      await screenshot('data-ecoli-built');
      const [built] = await env.server.services['datasets.list']({ project });
      assert.ok(built, 'the dataset is in the project');
      assert.equal(built.name, 'CDS start sites vs background');
      assert.deepEqual([...built.classes].sort(), ['CDS start sites', 'background']);
      assert.match(built.split, /block/i);
      assert.equal(built.negatives?.strategy, 'gc-matched');
      for (const split of ['train', 'dev', 'test'] as const) {
        const counts = built.splits[split].classCounts;
        assert.ok((counts['CDS start sites'] ?? 0) > 100, `${split} has positives`);
        assert.ok((counts.background ?? 0) > 100, `${split} has negatives`);
      }
      assertCountsMatch(await classCountTable(w), built);
    });
  });
});
