// End to end, interpretation from the UI in browser mode, on scan.test.ts's fixture (a generated
// genome with a planted motif, a tiny 3-mer classifier fine-tuned on it through the real job):
// "Explain region" on the Genome view runs ISM over a motif site with live progress, then the
// importance track is drawn by igv.js and the 4 x L heatmap under the view (hover names the cell,
// zoom follows into igv); "Variant effects" refuses a bad VCF with its line numbers, then scores a
// good one into a sortable table whose rows move the view; the interpretations list removes a run.
// Every request the page makes must stay on 127.0.0.1. Screenshots: test-results/e2e/interpret-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appRunner, e2eSession, e2eSkipReason, openProjectByName, until } from '../helpers/browser-mode';
import { loadedTracks, MOTIF_GENOME, motifProjectWithRun, paintedPixels, parseLocus } from '../helpers/e2e-genome';

const skip = e2eSkipReason();

/** A planted site on chr2 (0-based start), and the ISM region around it (1-based, inclusive). */
const SITE = 200 + MOTIF_GENOME.siteStep * 10;
const ISM_FROM = SITE - 19;
const ISM_TO = SITE + 40;

/** The heatmap canvas's distinct colours (a drawn diverging scale has many). */
async function heatmapColours(page: Page): Promise<number> {
  return page.getByTestId('ism-heatmap').evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

describe('Interpretation from the UI: ISM track and heatmap, variant effects table', { skip }, () => {
  const env = e2eSession();
  let project: string;
  let seqs: Record<string, string>;
  const { api } = env;

  before(async () => {
    ({ project, seqs } = await motifProjectWithRun(env, 'interpret', 'Motif explain'));
  });

  const withApp = appRunner(() => env, { failureName: 'interpret-failed', fullPageOnFailure: true, localOnly: true });

  test('explains a region (track and heatmap), scores a VCF into a sortable table that moves the view, removes a run', { timeout: 360_000 }, async () => {
    await withApp(async (app) => {
      const { page } = app;
      await openProjectByName(page, 'Motif explain');
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Genome view' }).click();
      await page.getByRole('heading', { name: 'Genome view', level: 2 }).waitFor();
      await page.getByText('Nothing explained yet.').waitFor();
      const box = page.getByRole('combobox', { name: 'Locus' });
      await until(() => box.inputValue(), (v) => parseLocus(v) !== null, 'igv started at a locus');
      await box.fill(`chr2:${ISM_FROM}-${ISM_TO}`);
      await box.press('Enter');
      // igv answers with its own form of the locus (thousands separators), unlike what was typed.
      await until(() => box.inputValue(), (v) => v.startsWith('chr2:3,'), 'the view on chr2');

      // "Explain region": the finished run preselected, its motif class; the region typed exactly.
      await page.getByRole('button', { name: 'Explain region' }).click();
      const dialog = page.getByRole('dialog', { name: 'Explain this region' });
      await dialog.waitFor();
      await until(() => dialog.getByLabel('Model', { exact: true }).inputValue(), (v) => v.startsWith('Motif run'), 'the run preselected');
      assert.equal(await dialog.getByLabel('Chromosome').inputValue(), 'chr2', 'the chromosome in view');
      await dialog.getByLabel('From (1-based)').fill(String(ISM_FROM));
      await dialog.getByLabel('To', { exact: true }).fill(String(ISM_TO));
      await app.screenshot('interpret-ism-dialog');
      await dialog.getByRole('button', { name: 'Start ISM' }).click();

      const progress = page.getByRole('status', { name: 'Interpretation progress' });
      await progress.waitFor();
      await until(() => progress.textContent(), (t) => /Finished/.test(t ?? ''), 'ISM to finish', 180_000);
      assert.match((await progress.textContent()) ?? '', /60 of 60 positions/);
      const [ism] = await api('interpret.list', { project });
      assert.ok(ism && ism.kind === 'ism');
      assert.deepEqual(ism.region, { chrom: 'chr2', start: ISM_FROM - 1, end: ISM_TO });
      await page.getByRole('button', { name: 'Show the result' }).click();

      // The importance track in igv, and the heatmap under the view.
      await until(() => loadedTracks(page), (k) => k.includes(`interpret:${ism.id}`), 'the importance track loaded', 30_000);
      await until(() => paintedPixels(page, `${ism.name} · importance`), (n) => n > 50, 'the importance track drawn', 30_000);
      const heatmap = page.getByTestId('ism-heatmap');
      await heatmap.waitFor();
      await until(() => heatmapColours(page), (n) => n > 20, 'the heatmap drawn in many colours', 30_000);
      // igv's locus and the heatmap show the region.
      await until(() => box.inputValue().then(parseLocus), (l) => l !== null && l.chrom === 'chr2' && l.start <= ISM_FROM && l.end >= ISM_TO, 'the view on the ISM region', 30_000);

      // Hover: the cell's position, bases and change; the reference row says so.
      await heatmap.scrollIntoViewIfNeeded();
      const rect = (await heatmap.boundingBox())!;
      const table = await api('interpret.ismTable', { project, id: ism.id });
      const hoverText = () => page.getByTestId('ism-hover').textContent();
      const view = ((await heatmap.getAttribute('data-view')) ?? '').split('-').map(Number);
      const shown = view[1]! - view[0]!;
      const col = Math.floor(shown / 2);
      const pos = view[0]! + col;
      const ref = table.refBases[pos - table.start]!.toUpperCase();
      const altRow = ref === 'A' ? 1 : 0;
      await page.mouse.move(rect.x + ((col + 0.5) / shown) * rect.width, rect.y + 16 + altRow * 22 + 11);
      const expected = table.deltaCombined[(pos - table.start) * 4 + altRow]!;
      const text = await until(hoverText, (t) => (t ?? '').includes(`chr2:${(pos + 1).toLocaleString('en-US')} · ${ref}→${'ACGT'[altRow]}`), 'the hovered cell named');
      const shownDelta = Number(/Δ ([+−][\d.e-]+)/.exec(text ?? '')![1]!.replace('−', '-'));
      assert.ok(Math.abs(shownDelta - expected) <= Math.abs(expected) * 0.01 + 1e-9, `hover shows Δ ${shownDelta}, the table has ${expected}`);
      await app.screenshot('interpret-ism-heatmap');

      // Zooming the heatmap moves igv with it.
      await page.getByRole('button', { name: 'Zoom the heatmap in' }).click();
      const zoomed = ((await heatmap.getAttribute('data-view')) ?? '').split('-').map(Number);
      assert.ok(zoomed[1]! - zoomed[0]! < shown, `the heatmap zoomed in (${zoomed.join('-')})`);
      await until(() => box.inputValue().then(parseLocus), (l) => l !== null && l.end - l.start + 1 < ISM_TO - ISM_FROM + 1, 'igv zoomed in with the heatmap', 10_000);

      // Variant effects: a bad VCF first (REF mismatch, unknown chromosome): line-numbered errors, nothing stored.
      const other = (b: string) => (b === 'A' ? 'C' : 'A');
      const chr2 = seqs.chr2!;
      const badVcf = join(env.server.tmp, 'bad.vcf');
      writeFileSync(badVcf, ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', `chr2\t${SITE + 5}\t.\t${other(chr2[SITE + 4]!)}\tG\t.\t.\t.`, 'chrZ\t5\t.\tA\tC\t.\t.\t.'].join('\n') + '\n');
      // Three SNVs: one inside the planted motif, two in background sequence.
      const snv = (pos: number, id: string) => `chr2\t${pos}\t${id}\t${chr2[pos - 1]}\t${other(chr2[pos - 1]!)}\t.\t.\t.`;
      const goodVcf = join(env.server.tmp, 'good.vcf');
      const positions = [SITE + 6, 9_000, 15_555];
      writeFileSync(goodVcf, ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', snv(positions[2]!, 'bg2'), snv(positions[0]!, 'motif'), snv(positions[1]!, 'bg1')].join('\n') + '\n');

      await page.getByRole('button', { name: 'Variant effects' }).click();
      const vdialog = page.getByRole('dialog', { name: 'Variant effects' });
      await vdialog.waitFor();
      await until(() => vdialog.getByLabel('Model', { exact: true }).inputValue(), (v) => v.startsWith('Motif run'), 'the run preselected');
      await vdialog.getByLabel('VCF file (plain or gzipped)').fill(badVcf);
      await vdialog.getByRole('button', { name: 'Score variants' }).click();
      const alert = vdialog.locator('[data-error-code="bad_file"]');
      await alert.waitFor();
      const message = (await alert.textContent()) ?? '';
      assert.match(message, /2 line\(s\) of .*bad\.vcf cannot be scored/);
      assert.match(message, new RegExp(`bad\\.vcf:3: REF is \\w but the genome has \\w at chr2:${SITE + 5}`));
      assert.match(message, /bad\.vcf:4: chromosome 'chrZ' is not in the genome/);
      await app.screenshot('interpret-bad-vcf');
      assert.equal((await api('interpret.list', { project })).length, 1, 'the bad VCF stored nothing');

      await vdialog.getByLabel('VCF file (plain or gzipped)').fill(goodVcf);
      await vdialog.getByRole('button', { name: 'Score variants' }).click();
      await until(() => progress.textContent(), (t) => /Finished/.test(t ?? ''), 'the variants scored', 120_000);
      assert.match((await progress.textContent()) ?? '', /3 of 3 variant alleles/);
      await page.getByRole('button', { name: 'Show the result' }).click();

      // The table: sorted by |Δ|, largest first, as the API sorts; then by locus on a click.
      const effects = page.getByRole('table', { name: 'Variant effects' });
      await effects.waitFor();
      const rowLoci = () => effects.locator('tbody tr td:first-child').allTextContents();
      await until(rowLoci, (r) => r.length === 3, 'three scored alleles');
      const vrun = (await api('interpret.list', { project })).find((r) => r.kind === 'variants')!;
      const byAbs = await api('interpret.variantEffects', { project, id: vrun.id, sort: 'absDiff', descending: true });
      assert.deepEqual(await rowLoci(), byAbs.rows.map((r) => `${r.chrom}:${r.pos.toLocaleString('en-US')}`));
      await page.getByRole('button', { name: 'Sort by Locus' }).click();
      await until(rowLoci, (r) => r.join() === [...positions].sort((a, b) => a - b).map((p) => `chr2:${p.toLocaleString('en-US')}`).join(), 'rows sorted by position');
      assert.equal(await effects.locator('th[aria-sort="ascending"]').count(), 1);
      await page.getByRole('button', { name: 'Sort by Δ' }).click();
      // The rows re-render after the click: wait for the order rather than reading it at once
      // (the locus order can be ascending by Δ, which a read before the re-render would see).
      const diffs = () => effects.locator('tbody td[data-col="diff"]').allTextContents().then((t) => t.map(Number));
      await until(diffs, (d) => d.length === 3 && d.join() === [...d].sort((a, b) => b - a).join(), 'Δ descending');
      assert.equal(await effects.locator('th[aria-sort="descending"]').count(), 1);
      await app.screenshot('interpret-variants-table');

      // A row moves the view to its variant.
      await effects.locator('tbody tr', { hasText: 'chr2:15,555' }).click();
      await until(() => box.inputValue().then(parseLocus), (l) => l !== null && l.chrom === 'chr2' && l.start <= 15_555 && l.end >= 15_555 && l.end - l.start < 1000, 'the view at chr2:15,555', 15_000);
      await until(() => loadedTracks(page), (k) => k.includes(`interpret:${vrun.id}`), 'the variant-effect track loaded', 30_000);

      // The list: two runs; removing the variants run drops it (and its track).
      const list = page.getByRole('table', { name: 'Interpretations' });
      assert.equal(await list.locator('tbody tr').count(), 2);
      await page.getByRole('button', { name: `Remove ${vrun.name}` }).click();
      await page.getByRole('dialog', { name: `Remove ${vrun.name}?` }).getByRole('button', { name: 'Remove' }).click();
      await until(() => list.locator('tbody tr').count(), (n) => n === 1, 'the run removed from the list');
      await until(() => loadedTracks(page), (k) => !k.includes(`interpret:${vrun.id}`), 'its track gone');
      assert.deepEqual((await api('interpret.list', { project })).map((r) => r.id), [ism.id]);
    });
  });
});
