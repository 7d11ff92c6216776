// "Adapt to my genome…" on the Models page end to end in browser mode: a tiny DNABERT-2 folder and a
// small generated genome in a project (set up through the API), the modal with its explanation,
// genomes and steps, a timed estimate, the run's live progress in the adaptations table with
// pause and resume, and the adapted model joining the project's models with its perplexity.
// Screenshots land in test-results/e2e/adapt-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { e2eSession, e2eSkipReason, foreignRequests, openApp } from '../helpers/browser-mode';
import { writeBpeModel } from '../unit/api/models-helpers';

const skip = e2eSkipReason();

/** AT-rich deterministic bases, wrapped at 60. */
function genomeText(n: number): string {
  let s = 7;
  let seq = '';
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const r = s / 2 ** 32;
    seq += r < 0.4 ? 'A' : r < 0.8 ? 'T' : r < 0.9 ? 'C' : 'G';
  }
  return `>chr1 toy\n${seq.replace(/(.{60})/g, '$1\n')}\n`;
}

describe('Models page: adapt a model to my genome', { skip }, () => {
  const env = e2eSession();
  let project: string;
  let modelId: number;
  const { api } = env;

  before(async () => {
    project = join(env.server.tmp, 'my-genome.loci');
    await api('projects.create', { path: project, name: 'My genome' });
    const fasta = join(env.server.tmp, 'toy.fa');
    writeFileSync(fasta, genomeText(20_000));
    await api('genomes.import', { project, path: fasta, name: 'Toy genome' });
    modelId = (await api('models.importFolder', { project, path: await writeBpeModel(join(env.server.tmp, 'tiny-bpe')), name: 'tiny-bpe' })).id;
  });

  test('the modal starts an adaptation and the adapted model joins the project; a long run pauses, resumes and cancels from its row', async () => {
    const app = await openApp(env.browser, env.server.http.url);
    const { page, screenshot } = app;
    try {
      await page.getByRole('button', { name: 'Open My genome' }).click();
      await page.getByTestId('open-project-name').filter({ hasText: 'My genome' }).waitFor();
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
      await page.getByRole('heading', { name: 'Models', level: 2 }).waitFor();

      await page.getByRole('button', { name: 'Adapt tiny-bpe to my genome' }).click();
      const modal = page.getByRole('dialog', { name: 'Adapt tiny-bpe to my genome' });
      await modal.getByText('no labels needed', { exact: false }).waitFor();
      const genome = modal.getByRole('checkbox', { name: /Toy genome \(20,000 bp in 1 sequence/ });
      assert.equal(await genome.isChecked(), true, 'every genome is picked by default');
      assert.equal(await modal.getByLabel('Steps').inputValue(), '500');
      // Tiny settings so the run takes seconds: 24 steps of 4 x 32 tokens.
      await modal.getByLabel('Steps').fill('24');
      await modal.getByRole('button', { name: 'More settings' }).click();
      await modal.getByLabel('Batch size').fill('4');
      await modal.getByLabel('Tokens per sequence').fill('32');
      await modal.getByLabel('Peak learning rate').fill('0.005');
      await modal.getByLabel('Name of the adapted model').fill('tiny-bpe on Toy');
      await modal.getByRole('button', { name: 'Estimate time' }).click();
      await modal.getByLabel('Estimate').waitFor();
      assert.match(await modal.getByLabel('Estimate').innerText(), /^About \d/);
      await modal.getByText(/measured the fastest of two training steps/).scrollIntoViewIfNeeded();
      await screenshot('adapt-modal');
      await modal.getByRole('button', { name: 'Start adaptation' }).click();
      await modal.waitFor({ state: 'hidden' });

      const row = page.getByRole('row', { name: 'Adaptation tiny-bpe on Toy' });
      await row.waitFor();
      await row.getByText('done', { exact: true }).waitFor({ timeout: 60_000 });
      await row.getByText("Added to the project's models", { exact: false }).waitFor();
      const models = page.getByRole('table', { name: 'Project models' });
      await models.getByText('tiny-bpe on Toy', { exact: true }).waitFor();
      await models.getByText(/^adapted from tiny-bpe to Toy genome: continued masked-LM pre-training, 24 steps/).waitFor();
      const runs = await api('adapt.list', { project });
      assert.equal(runs.length, 1);
      const run = runs[0]!;
      assert.equal(run.state, 'done');
      assert.ok(run.perplexityBefore !== null && run.perplexityAfter !== null && run.perplexityAfter < run.perplexityBefore, `perplexity ${run.perplexityBefore} -> ${run.perplexityAfter}`);
      assert.equal(await row.getByLabel('Perplexity of tiny-bpe on Toy').innerText(), `${run.perplexityBefore.toFixed(2)} → ${run.perplexityAfter.toFixed(2)}`);
      assert.equal((await api('models.get', { project, id: run.outputModelId! })).parentId, modelId);
      await row.scrollIntoViewIfNeeded();
      await screenshot('adapt-done');

      // A long run (started through the API) shows live progress; pause, resume and cancel it from its row.
      await api('adapt.start', { project, modelId, steps: 20_000, batch: 4, seqLen: 32, name: 'Long run' });
      const long = page.getByRole('row', { name: 'Adaptation Long run' });
      await long.getByText(/step \d+\/20,000/).waitFor({ timeout: 60_000 });
      await long.getByText(/left/).waitFor();
      await long.scrollIntoViewIfNeeded();
      await screenshot('adapt-running');
      await long.getByRole('button', { name: 'Pause Long run' }).click();
      await long.getByText('paused', { exact: true }).waitFor({ timeout: 60_000 });
      await long.getByRole('button', { name: 'Resume Long run' }).click();
      await long.getByText('running', { exact: true }).waitFor({ timeout: 60_000 });
      await long.getByRole('button', { name: 'Cancel Long run' }).click();
      await long.getByText('cancelled', { exact: true }).waitFor({ timeout: 60_000 });
      assert.deepEqual((await api('adapt.list', { project })).map((r) => [r.name, r.state]), [['Long run', 'cancelled'], ['tiny-bpe on Toy', 'done']]);
      assert.equal((await api('models.list', { project })).length, 2, 'a cancelled run adds no model');
      await screenshot('adapt-cancelled');

      assert.deepEqual(app.problems, [], 'the page threw or broke its content security policy');
      assert.deepEqual(foreignRequests(app.requests, env.server.http.origin), [], 'the page only talks to the local server');
    } catch (err) {
      await screenshot('adapt-failed', { fullPage: true }).catch(() => undefined);
      throw err;
    } finally {
      await app.close();
    }
  });
});
