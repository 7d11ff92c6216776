// loci gue: fine-tune and evaluate models on GUE-format task folders (the DNABERT-2 paper's
// protocol), each next to the same architecture trained from scratch and the published scores.
// Resumable: run it again with the same --out and finished units are not redone.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defineCommand, UsageError } from '../command';
import { stopOnSigint } from '../progress';

const NAME = 'gue';
export const DEFAULT_GUE_ROOT = '../shared/data/gue';
export const DEFAULT_GUE_MODEL = 'loci-6mer-mini';

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function positive(values: Record<string, unknown>, name: string, integer: boolean): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${integer ? 'whole number' : 'number'}, got ${JSON.stringify(v)}`, NAME);
  return n;
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

export const gue = defineCommand({
  name: NAME,
  summary: 'Benchmark models on GUE-format tasks (train, keep the lowest-dev-loss checkpoint, test MCC), next to from-scratch twins and published scores',
  args: '[TASK ...]',
  positionals: { min: 0, max: 64 },
  options: {
    root: { type: 'string', value: 'DIR', description: `folder of task folders with train.csv, dev.csv, test.csv (default ${DEFAULT_GUE_ROOT})` },
    models: { type: 'string', value: 'NAME|DIR,...', description: `bundled model names or model folders (default ${DEFAULT_GUE_MODEL})` },
    mode: { type: 'string', value: 'full|lora|probe', description: 'fine-tuning mode (default full)' },
    'max-steps': { type: 'string', value: 'N', description: "optimizer steps per unit (default: each model's default budget)" },
    epochs: { type: 'string', value: 'E', description: 'epochs per unit instead of steps' },
    'time-cap': { type: 'string', value: 'SECONDS', description: 'stop training a unit after this long, then test its best checkpoint' },
    lr: { type: 'string', value: 'LR', description: "override the models' default learning rate" },
    batch: { type: 'string', value: 'N', description: "override the models' default batch size" },
    'eval-every': { type: 'string', value: 'N', description: 'evaluate on dev every N steps' },
    seeds: { type: 'string', value: 'S,...', description: 'seeds (default 42; the papers use 3)' },
    'no-scratch': { type: 'boolean', description: 'skip the from-scratch twins' },
    'no-pretrained': { type: 'boolean', description: 'run only the from-scratch twins (e.g. the baseline while a model still pre-trains)' },
    published: { type: 'string', value: 'FILE', description: 'Markdown with the published table (default SOURCES.md beside the task root)' },
    out: { type: 'string', value: 'DIR', description: 'results and checkpoints; the same DIR resumes (default ./gue-results)' },
    parallel: { type: 'string', value: 'N|auto', description: 'units at once (default auto: 2 when two cores are free)' },
    backend: { type: 'string', value: 'NAME', description: 'auto|tfjs-node-gpu|tfjs-node|wasm|cpu (default auto)' },
  },
  async run({ values, positionals, json, io }) {
    const root = resolve(str(values.root) ?? DEFAULT_GUE_ROOT);
    const mode = str(values.mode) ?? 'full';
    if (!['full', 'lora', 'probe'].includes(mode)) throw new UsageError(`--mode must be full, lora or probe, got "${mode}"`, NAME);
    const backend = str(values.backend) ?? 'auto';
    if (!['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be auto, tfjs-node-gpu, tfjs-node, wasm or cpu, got "${backend}"`, NAME);
    const seeds = list(str(values.seeds)).map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--seeds takes whole numbers, got "${s}"`, NAME);
      return n;
    });
    if (values['no-scratch'] === true && values['no-pretrained'] === true) throw new UsageError('--no-scratch and --no-pretrained together leave nothing to run', NAME);
    const parallelArg = str(values.parallel) ?? 'auto';
    const parallel = parallelArg === 'auto' ? 'auto' : positive(values, 'parallel', true)!;
    const { bundledModelsDir, bundledModelNames } = await import('../../api/model-folders');
    const bundled = await bundledModelNames();
    const models = (list(str(values.models)).length ? list(str(values.models)) : [DEFAULT_GUE_MODEL]).map((m) => {
      if (bundled.includes(m)) return { name: m, dir: join(bundledModelsDir(), m) };
      const dir = resolve(m);
      if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--models: "${m}" is neither a bundled model (${bundled.join(', ') || 'none here'}) nor a model folder with config.json`, NAME);
      return { name: m.replace(/\/+$/, '').split('/').pop()!, dir };
    });
    const published = str(values.published) ? resolve(str(values.published)!) : join(dirname(root), 'SOURCES.md');
    const out = resolve(str(values.out) ?? 'gue-results');
    const maxSteps = positive(values, 'max-steps', true);
    const epochs = positive(values, 'epochs', false);
    if (maxSteps !== undefined && epochs !== undefined) throw new UsageError('give --max-steps or --epochs, not both', NAME);
    const timeCap = positive(values, 'time-cap', false);
    const lr = positive(values, 'lr', false);
    const batch = positive(values, 'batch', true);
    const evalEvery = positive(values, 'eval-every', true);

    const { runGue } = await import('../../engine/gue/runner');
    const stop = stopOnSigint((l) => io.err(l), 'stopping: each running unit keeps its checkpoint; run the same command again to resume');
    let lastLine = '';
    try {
      const r = await runGue({
        root,
        tasks: positionals,
        models,
        scratch: values['no-scratch'] !== true,
        pretrained: values['no-pretrained'] !== true,
        mode: mode as 'full' | 'lora' | 'probe',
        budget: { ...(maxSteps !== undefined && { maxSteps }), ...(epochs !== undefined && { epochs }), ...(timeCap !== undefined && { timeLimitSeconds: timeCap }) },
        overrides: { ...(lr !== undefined && { lr }), ...(batch !== undefined && { batchSize: batch }), ...(evalEvery !== undefined && { evalEvery }) },
        ...(seeds.length && { seeds }),
        outDir: out,
        publishedPath: existsSync(published) ? published : null,
        parallel,
        backend: backend as 'auto',
        signal: stop.signal,
        onLog: (line) => (json ? io.out(JSON.stringify({ event: 'log', line })) : io.err(line)),
        onProgress: (p) => {
          if (json) return;
          const line = `[${p.done}/${p.total}] ${p.running.map((u) => `${u.key} ${u.phase}${u.step !== null ? ` ${u.step}/${u.totalSteps}` : ` ${Math.round(100 * u.fraction)}%`}`).join('; ')}`;
          if (line !== lastLine) io.err(line);
          lastLine = line;
        },
      });
      if (json) io.out(JSON.stringify({ event: 'done', cancelled: r.cancelled, json: r.jsonPath, markdown: r.markdownPath, failures: r.failures, results: r.results }));
      else {
        const { readFile } = await import('node:fs/promises');
        io.out(await readFile(r.markdownPath, 'utf8'));
        io.out(`Tables: ${r.markdownPath} and ${r.jsonPath}`);
        for (const f of r.failures) io.err(`failed: ${f.key}: ${f.error}`);
      }
      return r.cancelled ? 130 : r.failures.length ? 1 : 0;
    } finally {
      stop.dispose();
    }
  },
});
