// End to end, the Genome view in browser mode: igv.js embedded and offline, the reference read by
// byte range (a 100 Mb genome costs kilobytes to open), region-set and dataset tracks drawn, the
// locus box (coordinates and the project's own feature names), the track panel's settings kept in
// the project, the user's own track file by reference, and every request recorded and local.
// Screenshots land in test-results/e2e/genome-*.png.
import assert from 'node:assert/strict';
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appRunner, e2eSession, e2eSkipReason, foreignRequests, openApp, until } from '../helpers/browser-mode';
import { buildMotifDataset, loadedTracks, paintedPixels, randomBases } from '../helpers/e2e-genome';

const skip = e2eSkipReason();

const MOTIF = 'TGACGTCATTTAAATG';
const CHROM_LENGTH = 20_000;

/** Two chromosomes with MOTIF every 500 bp, the BED of the sites (named site1..), and a bedGraph. */
function writeFixtures(dir: string): { genome: string; sites: string; signal: string } {
  let fasta = '';
  const bed: string[] = [];
  const graph: string[] = [];
  let k = 0;
  for (const [i, chrom] of ['chr1', 'chr2'].entries()) {
    const seq = randomBases(CHROM_LENGTH, 7 + i).split('');
    for (let pos = 400; pos + MOTIF.length < CHROM_LENGTH - 400; pos += 500) {
      seq.splice(pos, MOTIF.length, ...MOTIF);
      bed.push([chrom, pos, pos + MOTIF.length, `site${++k}`, 0, '+'].join('\t'));
    }
    for (let p = 0; p < CHROM_LENGTH; p += 100) graph.push([chrom, p, p + 100, (Math.sin(p / 700) + 1).toFixed(3)].join('\t'));
    fasta += `>${chrom}\n${seq.join('').replace(/(.{60})/g, '$1\n')}\n`;
  }
  const genome = join(dir, 'view-genome.fa');
  writeFileSync(genome, fasta);
  const sites = join(dir, 'view-sites.bed');
  writeFileSync(sites, bed.join('\n') + '\n');
  const signal = join(dir, 'chip-signal.bedgraph');
  writeFileSync(signal, graph.join('\n') + '\n');
  return { genome, sites, signal };
}

/** Streams a FASTA of `chroms` x `length` bp (random bases, 60 per line) without holding it. */
async function writeBigFasta(path: string, chroms: number, length: number): Promise<void> {
  const out = createWriteStream(path);
  let s = 12345;
  const line = Buffer.alloc(61);
  line[60] = 10;
  for (let c = 1; c <= chroms; c++) {
    out.write(`>big${c}\n`);
    for (let done = 0; done < length; done += 60) {
      const n = Math.min(60, length - done);
      for (let i = 0; i < n; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        line[i] = 'ACGT'.charCodeAt(s >>> 30);
      }
      const chunk = n === 60 ? Buffer.from(line) : Buffer.concat([line.subarray(0, n), Buffer.from('\n')]);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

/** The view's waits: 30 s, as igv draws within a few seconds once its data has come. */
const untilDrawn = <T,>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000) => until(read, ok, what, timeoutMs);

describe('Genome view: igv.js offline, tracks, locus box, track panel, track files', { skip }, () => {
  const env = e2eSession();
  let project: string;
  let genomeId: number;
  let signal: string;
  const { api } = env;

  before(async () => {
    const fx = writeFixtures(env.server.tmp);
    signal = fx.signal;
    project = join(env.server.tmp, 'genome-view.loci');
    await api('projects.create', { path: project, name: 'Genome view' });
    const genome = await api('genomes.import', { project, path: fx.genome, name: 'Motif genome' });
    genomeId = genome.id;
    const set = await api('regions.import', { project, path: fx.sites, genomeId, name: 'motif sites' });
    await buildMotifDataset(api, { project, genomeId, regionSetId: set.id, window: 64, negatives: 'random' });
  });

  const withApp = appRunner(() => env, { failureName: 'genome-failed', localOnly: true });

  async function openView(page: Page, hash = '#/genome') {
    await page.getByRole('button', { name: 'Open Genome view' }).click();
    await page.getByTestId('open-project-name').filter({ hasText: 'Genome view' }).waitFor();
    await page.evaluate((h) => (window.location.hash = h), hash);
    await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor();
  }

  test('shows the reference, region-set and dataset tracks; locus box and feature names; settings kept', async () => {
    await withApp(async (app) => {
      const { page } = app;
      await openView(page, '#/genome?locus=chr1:300-2300');
      await untilDrawn(() => loadedTracks(page), (k) => k.includes('regionSet:1') && k.includes('dataset:1'), 'the region-set and dataset tracks');
      await untilDrawn(() => paintedPixels(page, 'motif sites'), (n) => n > 50, 'the motif sites drawn');
      await untilDrawn(() => paintedPixels(page, 'Motif vs background'), (n) => n > 50, 'the dataset labels drawn');
      await app.screenshot('genome-view');

      // A feature name from the project's own BED, then coordinates.
      const box = page.getByRole('combobox', { name: 'Locus' });
      await box.fill('site12');
      await box.press('Enter');
      await untilDrawn(() => box.inputValue(), (v) => v.startsWith('chr1:5,') || v.startsWith('chr1:5'), 'the view at site12 (chr1:5,900)');
      await box.fill('chr2:1,001-3,000');
      await box.press('Enter');
      await untilDrawn(() => box.inputValue(), (v) => v.startsWith('chr2:1,001'), 'the view at chr2:1,001-3,000');
      await box.fill('nosuchgene');
      await box.press('Enter');
      await page.getByText('Nothing called "nosuchgene" in this genome').waitFor();

      // Hide the dataset track: igv drops it, and the setting is kept in the project.
      await page.getByRole('checkbox', { name: 'Show Motif vs background (labels)' }).uncheck();
      await untilDrawn(() => loadedTracks(page), (k) => !k.includes('dataset:1'), 'the dataset track hidden');
      await page.getByRole('button', { name: 'Move motif sites up' }).waitFor();
      const stored = await untilDrawn(() => api('genomeView.settings.get', { project, genomeId }), (s) => s.tracks.some((t) => t.key === 'dataset:1' && !t.visible) && s.locus?.startsWith('chr2') === true, 'the settings stored');
      assert.equal(stored.genomeId, genomeId);
    });
    // A new page comes back where the last one left off.
    await withApp(async (app) => {
      const { page } = app;
      await openView(page);
      const box = page.getByRole('combobox', { name: 'Locus' });
      await untilDrawn(() => box.inputValue(), (v) => v.startsWith('chr2:1,001'), 'the stored locus restored');
      await untilDrawn(() => loadedTracks(page), (k) => k.includes('regionSet:1') && !k.includes('dataset:1'), 'the stored track settings restored');
    });
  });

  test("the user's own bedGraph by reference, drawn beside the labels; bad files named", async () => {
    await assert.rejects(api('genomeView.addTrackFile', { project, genomeId, path: join(env.server.tmp, 'missing.bw') }), /No file at/);
    const fake = join(env.server.tmp, 'fake.bw');
    writeFileSync(fake, 'not a bigwig');
    await assert.rejects(api('genomeView.addTrackFile', { project, genomeId, path: fake }), /is named like a bigWig file but is not one/);
    const bam = join(env.server.tmp, 'reads.bam');
    writeFileSync(bam, Buffer.from([0x1f, 0x8b, 8, 4]));
    await assert.rejects(api('genomeView.addTrackFile', { project, genomeId, path: bam }), /has no index next to it/);
    await withApp(async (app) => {
      const { page } = app;
      await openView(page, '#/genome?locus=chr1:1-8000');
      await page.getByRole('button', { name: 'Add track file' }).click();
      await page.getByRole('textbox', { name: 'File', exact: true }).fill(signal);
      await page.getByRole('button', { name: 'Add track', exact: true }).click();
      await untilDrawn(() => loadedTracks(page), (k) => k.some((x) => x.startsWith('file:')), 'the bedGraph track');
      await untilDrawn(() => paintedPixels(page, 'chip-signal.bedgraph'), (n) => n > 100, 'the bedGraph drawn');
      await app.screenshot('genome-view-track-file');
    });
  });

  test('opening a 100 Mb genome transfers only kilobytes (byte ranges), all from 127.0.0.1', async () => {
    const big = join(env.server.tmp, 'big.fa');
    await writeBigFasta(big, 2, 50_000_000);
    const bigProject = join(env.server.tmp, 'big.loci');
    await api('projects.create', { path: bigProject, name: 'Big genome' });
    await api('genomes.import', { project: bigProject, path: big, name: 'Big' });
    const ref = await api('genomeView.reference', { project: bigProject });
    const app = await openApp(env.browser, env.server.http.url);
    try {
      const { page } = app;
      let fileBytes = 0;
      const fileRequests: string[] = [];
      page.on('response', (response) => {
        if (!new URL(response.url()).pathname.startsWith('/files/')) return;
        const id = decodeURIComponent(new URL(response.url()).pathname.slice('/files/'.length));
        const what = id === ref.fastaFileId ? 'fasta' : id === ref.indexFileId ? 'fai' : id;
        fileRequests.push(`${what} ${response.status()} ${response.request().headers()['range'] ?? 'whole'}`);
        void response.body().then(
          (b) => (fileBytes += b.length),
          () => undefined,
        );
      });
      await page.getByRole('button', { name: 'Open Big genome' }).click();
      await page.getByTestId('open-project-name').filter({ hasText: 'Big genome' }).waitFor();
      await page.evaluate(() => (window.location.hash = '#/genome?locus=big2:30000001-30000200'));
      await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor();
      // At base level igv shows the letters: the sequence track drew from a byte range.
      await untilDrawn(() => page.getByTestId('igv-browser').evaluate((h) => h.shadowRoot?.querySelectorAll('canvas').length ?? 0), (n) => n > 2, 'igv drawn');
      await untilDrawn(async () => fileRequests.length, (n) => n >= 2, 'the .fai and a slice of the FASTA');
      await page.waitForTimeout(1000);
      const fastaReads = fileRequests.filter((r) => r.startsWith('fasta'));
      assert.ok(fastaReads.length > 0 && fastaReads.every((r) => r.startsWith('fasta 206 bytes=')), `every read of the FASTA is a byte range: ${fileRequests.join(', ')}`);
      assert.ok(fileRequests.every((r) => r.startsWith('fasta') || r.startsWith('fai')), `only the reference is read: ${fileRequests.join(', ')}`);
      assert.ok(fileBytes < 256 * 1024, `opening the view read ${fileBytes} bytes of a 100 Mb genome (${fileRequests.join(', ')})`);
      console.error(`genome view: opening a 100 Mb genome transferred ${fileBytes} bytes of files in ${fileRequests.length} requests`);
      await app.screenshot('genome-view-100mb');
      assert.deepEqual(foreignRequests(app.requests, env.server.http.origin), [], 'no request leaves 127.0.0.1');
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });
});
