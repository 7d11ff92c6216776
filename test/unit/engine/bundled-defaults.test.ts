// Every bundled model carries validated fine-tuning defaults in its config.json
// (loci_finetune_defaults), and those defaults, in their default budget (steps, lr, warm-up, eval
// interval, as `loci gue` and the wizard resolve them), fine-tune the model on a planted-motif task
// to a test MCC above 0.5: a user who keeps the defaults gets a model that learns.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../../../main/engine/backend';
import { ensureGradients } from '../../../main/engine/train/tf';
import { finetune } from '../../../main/engine/finetune';
import { modelOptions } from '../../../main/engine/gue/runner';
import { bundledModelNames, bundledModelsDir } from '../../../main/api/model-folders';
import { motifTask, tmp } from './finetune-fixture';

const dirs: string[] = [];
// Seeds differ from the other planted-motif tests; the task is the same generator.
const data = { train: motifTask(2000, 11), dev: motifTask(200, 12), test: motifTask(400, 13), classNames: ['background', 'motif'] };

before(async () => {
  await initBackend('wasm');
  await ensureGradients();
});
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const names = await bundledModelNames();

test('there are bundled models to check', () => {
  assert.ok(names.length >= 1, `no bundled models under ${bundledModelsDir()}`);
});

for (const name of names) {
  test(`${name}: its card's fine-tuning defaults learn a planted motif (test MCC > 0.5) in their default budget`, async () => {
    const modelDir = join(bundledModelsDir(), name);
    const { options, defaults } = await modelOptions({ name, dir: modelDir }, 'full', {}, {});
    assert.equal(defaults.profile, 'model-card', `${name}/config.json has no loci_finetune_defaults (got defaults from: ${defaults.source})`);
    assert.match(defaults.source, /validated|GUE/, 'the card says how its defaults were validated');
    const dir = tmp('loci-bundled-defaults-');
    dirs.push(dir);
    const t0 = performance.now();
    const r = await finetune({ modelDir, data, options, checkpointDir: join(dir, 'ckpt'), outDir: join(dir, 'model') });
    const seconds = (performance.now() - t0) / 1000;
    assert.ok(r.testMetrics, 'the run reached its test evaluation');
    const mcc = r.testMetrics.mcc;
    console.log(`# ${name}: ${r.steps} steps (lr ${options.lr}, batch ${options.batchSize}), best dev loss ${r.bestDevLoss?.toFixed(3)} at step ${r.bestStep}, test MCC ${mcc.toFixed(3)}, ${seconds.toFixed(0)} s`);
    assert.equal(r.steps, options.maxSteps ?? r.steps, 'the whole default budget ran');
    assert.ok(mcc > 0.5, `${name}: test MCC ${mcc.toFixed(3)} with its defaults (${JSON.stringify(options)})`);
  });
}
