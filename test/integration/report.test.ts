// Reports end to end: a real run (genome -> regions -> dataset -> fine-tuning in a worker) ->
// reports.create -> the HTML holds every section with that run's own figures (and a pinned locus
// drawn with the scan's score) -> Chromium opens it
// with the network blocked and logs no error -> the PDF's text and pages checked with Debian's
// poppler-utils; the scan exports (BED, bedGraph) re-imported and read by bedtools. Also: a
// comparison, a cancelled run's report, the no-Chromium fallback, and
// `loci report`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { waitForScan } from '../../main/api/scans';
import { waitForRun } from '../../main/api/training';
import { num } from '../../main/report/html';
import { formatLocus } from '../../shared/locus';
import { NoChromiumError } from '../../main/report/pdf';
import { e2eSkipReason, launchChromium } from '../helpers/browser-mode';
import { writeBpeModel } from '../unit/api/models-helpers';
import { writeGenome, writeSites } from '../unit/api/data-helpers';
import { jobsHarness } from '../unit/jobs/fixtures/harness';

const FAST = { batchSize: 16, maxSteps: 12, evalEvery: 4, lr: 2e-3, backend: 'wasm' as const };
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const KEEP = process.env.LOCI_REPORT_KEEP; // a folder to leave the files in, to look at them

async function setup(t: Parameters<typeof jobsHarness>[0]) {
  const h = await jobsHarness(t);
  const genome = await h.call('genomes.import', { project: h.project, path: writeGenome(h.dir), name: 'toy genome' });
  const set = await h.call('regions.import', { project: h.project, path: writeSites(h.dir), genomeId: genome.id, name: 'site' });
  const ds = await h.call('datasets.build', {
    project: h.project,
    name: 'sites vs background',
    spec: { source: 'regions', genomeId: genome.id, regionSets: [{ id: set.id }], window: { mode: 'centred', length: 100 }, negatives: { strategy: 'gc-matched', ratio: 1, margin: 50 }, split: { kind: 'random', fractions: { train: 0.6, dev: 0.2, test: 0.2 } }, seed: 7 },
  });
  const model = await h.call('models.importFolder', { project: h.project, path: await writeBpeModel(join(h.dir, 'tiny-bpe'), { card: true }), name: 'tiny-bpe' });
  return { h, genome, set, ds, model };
}

test('a finished run: every section with its figures, no network or console error in Chromium, a PDF poppler reads', async (t) => {
  const { h, genome, set, ds, model } = await setup(t);
  const started = await h.call('training.start', { project: h.project, datasetId: ds.id, modelId: model.id, name: 'sites run', settings: FAST });
  assert.equal((await waitForRun(h.ctx, h.project, started.id)).state, 'done');
  const run = await h.call('training.get', { project: h.project, runId: started.id });
  assert.ok(run.test && run.mostConfident.length > 0);
  const { scanId } = await h.call('scans.start', { project: h.project, runId: run.id, stride: 50, name: 'whole genome', backend: 'wasm' });
  const scan = await waitForScan(h.ctx, h.project, scanId);
  assert.equal(scan.state, 'done', scan.error ?? '');
  const called = await h.call('scans.regions', { project: h.project, scanId, classIndex: 1 });
  // The scan's exports come back into Loci and are read by bedtools (where installed).
  const bed = join(h.dir, 'called.bed');
  const bedGraph = join(h.dir, 'scores.bedgraph');
  await h.call('scans.export', { project: h.project, scanId, classIndex: 1, format: 'bed', out: bed });
  await h.call('scans.export', { project: h.project, scanId, classIndex: 1, format: 'bedgraph', out: bedGraph });
  const back = await h.call('regions.import', { project: h.project, path: bed, genomeId: genome.id, name: 'called back' });
  assert.equal(back.count, called.total, 'every called region re-imported');
  const track = await h.call('genomeView.addTrackFile', { project: h.project, genomeId: genome.id, path: bedGraph });
  assert.equal(track.format, 'bedgraph');
  if (has('bedtools')) {
    const records = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('track')).length;
    const sorted = execFileSync('bedtools', ['sort', '-i', bed], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    assert.equal(sorted.length, records(bed));
    const merged = execFileSync('bedtools', ['merge', '-i', bedGraph, '-c', '4', '-o', 'max'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    assert.ok(merged.length >= 1 && merged.every((l) => l.split('\t').length === 4), merged.slice(0, 3).join(' | '));
  } else t.diagnostic('bedtools checks skipped: install bedtools (apt-get install bedtools)');
  // A locus pinned for the report (as the Genome view's "Pin for report" does).
  const pin = await h.call('genomeView.pins.add', { project: h.project, chrom: 'chr1', start: 0, end: 2000, note: 'the first sites' });

  const t0 = performance.now();
  const info = await h.call('reports.create', { project: h.project, runIds: [run.id] });
  const ms = performance.now() - t0;
  assert.deepEqual([info.kind, info.runIds, info.notes, info.title], ['run', [run.id], [], 'Run report: sites run']);
  assert.ok(ms < 5000, `built in ${ms.toFixed(0)} ms`);
  const { html } = await h.call('reports.get', { project: h.project, id: info.id });
  assert.equal(info.sizeBytes, Buffer.byteLength(html));

  // Every section, in order, each with this run's own figures.
  const sections = [...html.matchAll(/<section id="([a-z-]+)"><h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
  assert.deepEqual(sections, ['summary', 'data', 'model', 'training', 'evaluation', 'genome', 'limitations']);
  const section = (id: string) => html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));
  const t1 = run.test!;
  assert.match(section('summary'), new RegExp(`MCC <b>${num(t1.mcc)}</b>, F1 ${num(t1.f1Macro)}, accuracy ${num(t1.accuracy)}`));
  assert.ok(section('summary').includes(`lowest dev loss ${num(run.bestDevLoss, 4)} at step ${run.bestStep}`));
  // data: genome and region file checksums, class counts per split, GC charts
  const data = section('data');
  for (const s of [genome.checksum, set.checksum, genome.path, ds.split]) assert.ok(data.includes(s), s);
  for (const split of ['train', 'dev', 'test'] as const) {
    const counts = ds.splits[split].classCounts;
    assert.ok(data.includes(`<tr><td>${split}</td>${ds.classes.map((c) => `<td class="n">${counts[c] ?? 0}</td>`).join('')}<td class="n">${ds.splits[split].sequences}</td>`), `${split} counts`);
    assert.ok(data.includes(`GC content, ${split}`));
  }
  // model: the base model's card and shape, the fine-tuning settings
  const m = section('model');
  assert.ok(m.includes(model.checksum) && m.includes(model.shape.architectureLabel) && m.includes(`${model.shape.layers} layers, hidden ${model.shape.hidden}`), m.slice(0, 1500));
  assert.ok(m.includes('<th>Learning rate</th><td>0.002</td>'));
  // training: curves and dev table, runtime, backend, software versions
  const tr = section('training');
  assert.equal((tr.match(/<svg /g) ?? []).length, 3);
  for (const d of run.dev) assert.ok(tr.includes(`<td class="n">${d.step}</td><td class="n">${num(d.loss, 4)}</td>`), `dev step ${d.step}`);
  assert.ok(tr.includes('<td>wasm</td>') && tr.includes(process.versions.node) && tr.includes('@tensorflow/tfjs-core'));
  // evaluation: the seven metrics, the confusion matrix, ROC and PR, the examples
  const ev = section('evaluation');
  assert.ok(ev.includes([t1.mcc, t1.f1Macro, t1.accuracy, t1.precisionMacro, t1.recallMacro, t1.auroc, t1.auprc].map((v) => `<td class="n">${num(v)}</td>`).join('')));
  t1.confusion.forEach((row, i) => assert.ok(ev.includes(`<td><b>${run.classNames[i]}</b></td>${row.map((n) => `<td class="n">${n}</td>`).join('')}`), `confusion row ${i}`));
  assert.ok(ev.includes('ROC curve') && ev.includes('Precision-recall curve') && ev.includes('Most confident correct predictions') && ev.includes('Most wrong predictions'));
  assert.ok(ev.includes(run.mostConfident[0]!.sequence));
  // genome: the scan's settings, threshold, score distribution and called regions
  const g = section('genome');
  const th = scan.thresholds[0]!;
  assert.ok(g.includes(`Scan ${scanId}: whole genome`) && g.includes(`${scan.settings.window} bp every 50 bp, both strands, combined by their mean`), g.slice(0, 2000));
  assert.ok(g.includes(`<th>Threshold</th><td>${num(th.threshold, 4)}: `), 'threshold');
  assert.ok(g.includes(`<th>Called regions</th><td>${called.total.toLocaleString('en-US')}</td>`), `called regions ${called.total}`);
  assert.ok(g.includes(`${scan.bpTotal.toLocaleString('en-US')} scanned bases in 50 score bins`) && (g.match(/<svg /g) ?? []).length === 1 + Math.min(3, called.total) + 1, "score distribution, the strongest regions and the pinned locus as Genome-view images");
  const pinned = g.slice(g.indexOf(`id="pin-${pin.id}"`), g.indexOf('</figure>', g.indexOf(`id="pin-${pin.id}"`)));
  assert.ok(pinned.includes(`<b>Pin ${pin.id}: <code>chr1:1-2,000</code></b> (2,000 bp): the first sites<br>`) && pinned.includes(`the per-base score of scan ${scanId} (whole genome) for site`), pinned.slice(-600));
  assert.ok(pinned.includes(`threshold ${th.threshold.toFixed(3)}`) && pinned.includes('; site, Labels: sites vs background'), 'the scan score, the region set and the dataset labels at the pin');
  if (called.total) assert.ok(g.includes(formatLocus([...called.regions].sort((x, y) => y.maxScore - x.maxScore)[0]!)), 'strongest region');
  assert.ok(g.includes(`loci scan --project ${h.project} --run ${run.id} --window ${scan.settings.window} --stride 50 --strand both --combine mean`));
  // reproduction
  const lim = section('limitations');
  assert.ok(lim.includes(`loci finetune --project ${h.project} --dataset &#39;sites vs background&#39; --model tiny-bpe --name &#39;sites run&#39; --settings finetune-settings.json`));
  // Every setting in the file loci finetune --settings reads (several have no flag).
  const heredoc = /cat &gt; finetune-settings\.json &lt;&lt;&#39;EOF&#39;\n([^]*?)\nEOF/.exec(lim);
  assert.ok(heredoc, 'the settings file is written');
  const unescaped = heredoc[1]!.replace(/&(quot|#39|lt|gt|amp);/g, (_, e: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e]!);
  assert.deepEqual(JSON.parse(unescaped), run.settings);
  assert.ok(lim.includes(`loci import genome ${genome.path}`) && lim.includes('loci dataset build'));
  // Self-contained: no script, no external reference.
  assert.doesNotMatch(html, /<script|<link |src="http|href="http|@import|url\(/i);

  // HTML written out as is.
  const out = KEEP ?? join(h.dir, 'out');
  mkdirSync(out, { recursive: true });
  const saved = await h.call('reports.save', { project: h.project, id: info.id, format: 'html', path: join(out, 'run.html') });
  assert.equal(readFileSync(saved.path, 'utf8'), html);

  const skip = e2eSkipReason();
  if (skip) return t.diagnostic(`Chromium and PDF checks skipped: ${skip}`);
  // Chromium with every request refused: the report needs none, logs no console error.
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ offline: true });
    const requests: string[] = [];
    // The file itself may load; anything else it asked for would be recorded and refused.
    await context.route('**/*', (r) => {
      const url = r.request().url();
      if (url === `file://${saved.path}`) return r.continue();
      requests.push(url);
      return r.abort();
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`file://${saved.path}`);
    assert.deepEqual(requests, []);
    assert.deepEqual(problems, []);
    assert.equal(await page.locator('section').count(), 7);
    assert.equal(await page.locator('section#training svg').count(), 3);
  } finally {
    await browser.close();
  }

  const pdf = await h.call('reports.save', { project: h.project, id: info.id, format: 'pdf', path: join(out, 'run.pdf') });
  assert.equal(pdf.printer, 'Chromium (playwright-core)');
  assert.equal(readFileSync(pdf.path).subarray(0, 5).toString(), '%PDF-');
  if (!has('pdftotext') || !has('pdftoppm')) return t.diagnostic('PDF text and page checks skipped: install poppler-utils (apt-get install poppler-utils)');
  const text = execFileSync('pdftotext', ['-layout', pdf.path, '-'], { encoding: 'utf8' });
  for (const s of ['Run report: sites run', 'Summary', 'Data', 'Model', 'Training', 'Evaluation on the test set', 'Genome scans', 'Pinned loci', 'Intended use and limitations', 'Reproduce this run', num(t1.mcc), genome.checksum.slice(0, 32)]) assert.ok(text.includes(s), `PDF text has "${s}"`);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf.path], { encoding: 'utf8' }))?.[1]);
  assert.ok(pages >= 3 && pages <= 20, `${pages} pages`);
  const png = join(out, 'page');
  execFileSync('pdftoppm', ['-png', '-r', '50', pdf.path, png]);
  const images = readdirSync(out).filter((f) => f.startsWith('page') && f.endsWith('.png'));
  assert.equal(images.length, pages);
  // A page with charts is not blank: its PNG is well above a white page's few hundred bytes.
  assert.ok(images.every((f) => statSync(join(out, f)).size > 2000), images.map((f) => `${f}: ${statSync(join(out, f)).size}`).join(', '));
});

test('a cancelled run says what is missing; a comparison states whether the test sets are the same; no Chromium: the HTML is written', async (t) => {
  const { h, ds, model } = await setup(t);
  const a = await h.call('training.start', { project: h.project, datasetId: ds.id, modelId: model.id, name: 'a', settings: FAST });
  assert.equal((await waitForRun(h.ctx, h.project, a.id)).state, 'done');
  const b = await h.call('training.start', { project: h.project, datasetId: ds.id, modelId: model.id, name: 'b', settings: { ...FAST, mode: 'probe' } });
  assert.equal((await waitForRun(h.ctx, h.project, b.id)).state, 'done');
  const c = await h.call('training.start', { project: h.project, datasetId: ds.id, modelId: model.id, name: 'c', settings: { ...FAST, maxSteps: 400 } });
  await h.call('training.cancel', { project: h.project, runId: c.id });
  assert.equal((await waitForRun(h.ctx, h.project, c.id)).state, 'cancelled');

  const cancelled = await h.call('reports.create', { project: h.project, runIds: [c.id] });
  assert.equal(cancelled.notes.length, 1);
  assert.match(cancelled.notes[0]!, /^Run 3: The run was cancelled (at step \d+ of 400|before its first step)\. It was never evaluated on the test set and saved no fine-tuned model\.$/);
  const html = (await h.call('reports.get', { project: h.project, id: cancelled.id })).html;
  const evaluation = html.slice(html.indexOf('<section id="evaluation">'), html.indexOf('</section>', html.indexOf('<section id="evaluation">')));
  assert.match(evaluation, /<p class="note warn">The run was cancelled/);
  assert.doesNotMatch(evaluation, /Confusion matrix|<svg/);
  // No section is an empty heading.
  for (const m of html.matchAll(/<section id="[a-z-]+"><h2>[^<]+<\/h2>\n([\s\S]*?)\n<\/section>/g)) assert.ok(m[1]!.trim().length > 20, m[0].slice(0, 80));

  const cmp = await h.call('reports.create', { project: h.project, runIds: [a.id, b.id] });
  assert.equal(cmp.kind, 'comparison');
  assert.deepEqual(cmp.notes, []);
  const cmpHtml = (await h.call('reports.get', { project: h.project, id: cmp.id })).html;
  assert.match(cmpHtml, /All 2 runs were evaluated on the same test set/);
  const [ra, rb] = [await h.call('training.get', { project: h.project, runId: a.id }), await h.call('training.get', { project: h.project, runId: b.id })];
  for (const r of [ra, rb]) assert.ok(cmpHtml.includes(num(r.test!.mcc)));
  assert.match(cmpHtml, /<td>mode<\/td><td>full<\/td><td>probe<\/td>/);

  // Another dataset: the comparison says the figures are not comparable.
  const other = await h.call('datasets.build', {
    project: h.project,
    name: 'other split',
    spec: { source: 'regions', genomeId: ds.genomeId!, regionSets: [{ id: 1 }], window: { mode: 'centred', length: 100 }, negatives: { strategy: 'random', ratio: 1 }, split: { kind: 'random', fractions: { train: 0.6, dev: 0.2, test: 0.2 } }, seed: 8 },
  });
  const d = await h.call('training.start', { project: h.project, datasetId: other.id, modelId: model.id, name: 'd', settings: { ...FAST, mode: 'probe' } });
  assert.equal((await waitForRun(h.ctx, h.project, d.id)).state, 'done');
  const differ = await h.call('reports.create', { project: h.project, runIds: [b.id, d.id] });
  assert.match(differ.notes[0] ?? '', /NOT evaluated on the same test set/);

  // No printer: the error says what to install and the HTML is written next to the asked-for file.
  h.ctx.printToPdf = () => Promise.reject(new NoChromiumError('linux'));
  const err = await h.call('reports.save', { project: h.project, id: cmp.id, format: 'pdf', path: join(h.dir, 'cmp.pdf') }).then(
    () => assert.fail('saved a PDF without a printer'),
    (e: Error & { code?: string; file?: string }) => e,
  );
  assert.equal(err.code, 'conflict');
  assert.match(err.message, /^No Chromium, Chrome or Edge was found to print the PDF: install Chromium \(Debian\/Ubuntu: sudo apt-get install chromium.*The report was written as HTML to .*cmp\.html instead\.$/);
  assert.equal(readFileSync(join(h.dir, 'cmp.html'), 'utf8'), cmpHtml);
  assert.ok(!existsSync(join(h.dir, 'cmp.pdf')));
  delete h.ctx.printToPdf;

  await h.call('reports.remove', { project: h.project, id: cmp.id });
  assert.deepEqual((await h.call('reports.list', { project: h.project })).map((r) => r.id), [differ.id, cancelled.id]);
});
