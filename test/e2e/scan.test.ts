// End to end, a genome scan from the UI in browser mode: a generated genome with a planted motif,
// its sites as BED and a dataset made through the API (to save time), a tiny 3-mer classifier
// fine-tuned on it with a small budget (the real `finetune` job), then in the page: "Scan genome"
// on the Genome view, the scan's live progress, "Show in genome view", the score and called-region
// tracks drawn by igv.js, the locus box and the next/previous region buttons. Every request the
// page makes is recorded and must stay on 127.0.0.1. Screenshots: test-results/e2e/scan-*.png.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { appRunner, e2eSession, e2eSkipReason, openProjectByName, until } from '../helpers/browser-mode';
import { loadedTracks, MOTIF_GENOME, motifProjectWithRun, paintedPixels, parseLocus } from '../helpers/e2e-genome';

const skip = e2eSkipReason();

describe('Scan from the UI: a fine-tuned classifier over the genome, its tracks in the Genome view', { skip }, () => {
  const env = e2eSession();
  let project: string;
  let runId: number;
  const { api } = env;

  before(async () => {
    ({ project, runId } = await motifProjectWithRun(env, 'scan', 'Motif scan'));
  });

  const withApp = appRunner(() => env, { failureName: 'scan-failed', fullPageOnFailure: true, localOnly: true });

  test('scans the genome from the Genome view, draws the score and called-region tracks, steps through the regions', { timeout: 300_000 }, async () => {
    await withApp(async (app) => {
      const { page } = app;
      await openProjectByName(page, 'Motif scan');
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Genome view' }).click();
      await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor();
      await page.getByText('No scans yet.').waitFor();

      // "Scan genome": the finished run is preselected, the only genome too; defaults for the rest.
      await page.getByRole('button', { name: 'Scan genome' }).click();
      const dialog = page.getByRole('dialog', { name: 'Scan genome' });
      await dialog.waitFor();
      await until(() => dialog.getByLabel('Model', { exact: true }).inputValue(), (v) => v.startsWith('Motif run'), 'the run preselected');
      await app.screenshot('scan-dialog');
      await dialog.getByRole('button', { name: 'Start scan' }).click();

      // Live progress, then "Show in genome view".
      const progress = page.getByRole('status', { name: 'Scan progress' });
      await progress.waitFor();
      await until(() => progress.textContent(), (t) => /Scan finished/.test(t ?? ''), 'the scan to finish', 180_000);
      const scans = await api('scans.list', { project });
      assert.equal(scans.length, 1);
      const scan = scans[0]!;
      assert.equal(scan.state, 'done', scan.error ?? '');
      assert.equal(scan.runId, runId, 'the scan records the run it came from');
      assert.equal(scan.bpTotal, MOTIF_GENOME.chroms.length * MOTIF_GENOME.length, 'the whole genome');
      const t = scan.thresholds[0]!;
      assert.equal(t.source, 'dev-mcc', "the threshold comes from the run's dev set");
      assert.match((await progress.textContent()) ?? '', /48 kb of 48 kb/);
      // The short form of a live count carries the exact one in its title (shared/bp.ts).
      assert.match((await page.getByTestId('scan-bp').getAttribute('title')) ?? '', /^48,000 bp of 48,000 bp/);
      await app.screenshot('scan-finished');
      await page.getByRole('link', { name: 'Show in genome view' }).click();
      await page.getByRole('dialog', { name: 'Scanning' }).waitFor({ state: 'hidden' });

      // The score and called-region tracks are loaded and drawn; the view went to the first region.
      const scoreKey = `scan:${scan.id}:${t.classIndex}`;
      const regionsKey = `regions:${scan.id}:${t.classIndex}`;
      await until(() => loadedTracks(page), (k) => k.includes(scoreKey) && k.includes(regionsKey), 'the scan tracks loaded', 30_000);
      const stepped = page.getByTestId('stepped-region');
      await until(() => stepped.textContent(), (s) => /region chr1:/.test(s ?? ''), 'the first called region shown', 30_000);
      const called = await api('scans.regions', { project, scanId: scan.id, classIndex: t.classIndex });
      assert.ok(called.total > 0, 'the scan calls regions');
      const first = called.regions[0]!;
      const box = page.getByRole('combobox', { name: 'Locus' });
      const at = parseLocus(await until(() => box.inputValue(), (v) => parseLocus(v)?.chrom === first.chrom, 'the view at the first region'));
      assert.ok(at && at.start <= first.start + 1 && at.end >= first.end, `the view ${JSON.stringify(at)} shows the first region ${first.chrom}:${first.start}-${first.end}`);
      await until(() => paintedPixels(page, `${scan.name} · ${t.className} score`), (n) => n > 100, 'the score track drawn', 30_000);
      await until(() => paintedPixels(page, `${scan.name} · ${t.className} regions`), (n) => n > 20, 'the called regions drawn', 30_000);
      await app.screenshot('scan-genome-view');

      // The model learnt the motif: the planted sites score higher than chr1's second half, which has none.
      const atSite = await api('scans.scoreAt', { project, scanId: scan.id, chrom: 'chr2', position: 200 + 300 * 10 + 8 });
      const offSite = await api('scans.scoreAt', { project, scanId: scan.id, chrom: 'chr1', position: 18_000 });
      assert.ok(atSite.perClass[0]!.combined! > offSite.perClass[0]!.combined!, `a site scores ${atSite.perClass[0]!.combined} > background ${offSite.perClass[0]!.combined}`);

      // The locus box, then the next and previous region buttons from there.
      await box.fill('chr2:3,001-6,000');
      await box.press('Enter');
      await until(() => box.inputValue(), (v) => v.startsWith('chr2:3,001'), 'the view at chr2:3,001-6,000');
      await until(() => paintedPixels(page, `${scan.name} · ${t.className} score`), (n) => n > 100, 'the score track drawn on chr2', 30_000);
      const expectedNext = await api('scans.nextRegion', { project, scanId: scan.id, classIndex: t.classIndex, chrom: 'chr2', position: 4500, direction: 'next' });
      assert.ok(expectedNext, 'a called region after chr2:4,500');
      await page.getByRole('button', { name: 'Next region' }).click();
      const label = `region ${expectedNext.chrom}:${(expectedNext.start + 1).toLocaleString('en-US')}-${expectedNext.end.toLocaleString('en-US')}`;
      await until(() => stepped.textContent(), (s) => (s ?? '').includes(label), `the stepped region ${label}`);
      const moved = await until(() => box.inputValue().then(parseLocus), (l) => l !== null && l.chrom === expectedNext.chrom && l.start <= expectedNext.start + 1 && l.end >= expectedNext.end, 'the view at the next region');
      assert.ok(moved!.start > 3001, 'the view moved forward');
      await app.screenshot('scan-next-region');
      await page.getByRole('button', { name: 'Previous region' }).click();
      await until(() => stepped.textContent(), (s) => !(s ?? '').includes(label), 'the previous region');
      const back = parseLocus(await box.inputValue());
      assert.ok(back && back.start < moved!.start, 'the view moved back');
    });
  });

  test("the run's dashboard offers Scan genome and links its examples, and the scans list its scan, to the Genome view", { timeout: 120_000 }, async () => {
    const [scan] = await api('scans.list', { project });
    assert.ok(scan, 'the first test made a scan');
    const run = await api('training.get', { project, runId });
    const example = run.mostWrong.find((w) => w.locus);
    assert.ok(example?.locus, 'the run lists test examples with their loci');
    await withApp(async (app) => {
      const { page } = app;
      await openProjectByName(page, 'Motif scan');
      await page.evaluate((id) => (window.location.hash = `#/train/run/${id}`), runId);
      await page.getByRole('heading', { name: 'Motif run', level: 2 }).waitFor();

      // "Scan genome" on the dashboard: the dialog opens with this run picked.
      await page.getByRole('button', { name: 'Scan genome' }).click();
      const dialog = page.getByRole('dialog', { name: 'Scan genome' });
      await until(() => dialog.getByLabel('Model', { exact: true }).inputValue(), (v) => v.startsWith('Motif run'), 'the run preselected');
      await app.screenshot('scan-from-dashboard');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // An example's locus opens the Genome view there.
      const { chrom, start, end } = example.locus!;
      const link = page.locator(`a[data-locus^="${chrom}:${(start + 1).toLocaleString('en-US')}"]`).first();
      assert.match((await link.getAttribute('href')) ?? '', /^#\/genome\?locus=/);
      await link.click();
      await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor();
      const box = page.getByRole('combobox', { name: 'Locus' });
      await until(() => box.inputValue().then(parseLocus), (l) => l !== null && l.chrom === chrom && l.start <= start + 1 && l.end >= end, `the view at ${chrom}:${start + 1}-${end}`);

      // The scans list's "Show in genome view": the view steps to the scan's first called region.
      await page.getByRole('link', { name: `Show ${scan.name} in genome view` }).click();
      const first = (await api('scans.regions', { project, scanId: scan.id, classIndex: scan.thresholds[0]!.classIndex })).regions[0]!;
      await until(() => page.getByTestId('stepped-region').textContent(), (t) => (t ?? '').includes(`${first.chrom}:${(first.start + 1).toLocaleString('en-US')}-`), 'the first called region');
    });
  });
});
