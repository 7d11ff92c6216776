// loci models catalog|list|add|import|baseline|card|export|relocate|remove: the DNA language
// models of a project (bundled, imported Hugging Face folders, from-scratch baselines, fine-tuned).
import { resolve } from 'node:path';
import type { ProjectModel } from '../../../shared/contract/models';
import { BaselineArch, BaselineSize, BaselineTokenizer } from '../../../shared/contract/models';
import { defineCommand, UsageError, type CliRun } from '../command';
import { keyValues, printJson, table } from '../format';
import { formatBytes } from '../../../shared/bytes';
import { gueLineText } from '../../../shared/gue-summary';
import { requireProject, showProgress } from './import';

const projectOption = { project: { type: 'string', value: 'FILE', description: 'the project file (.loci)' } } as const;

function millions(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n);
}

/** A project model by id or by name. */
export async function resolveModel(run: CliRun, project: string, ref: string, cmd: string): Promise<ProjectModel> {
  const all = await run.call('models.list', { project });
  const found = /^\d+$/.test(ref) ? all.find((m) => m.id === Number(ref)) : all.find((m) => m.name === ref);
  if (!found) throw new UsageError(`No model "${ref}" in ${project} (it has: ${all.map((m) => `${m.id} ${m.name}`).join(', ') || 'none'})`, cmd);
  return found;
}

function modelDetails(m: ProjectModel): string {
  const s = m.shape;
  return keyValues([
    ['Model', `${m.name} (id ${m.id}, ${m.kind})`],
    ['Architecture', `${s.architectureLabel}: ${s.layers} layers, hidden ${s.hidden}, ${s.heads} heads, ${s.parameters.toLocaleString('en-US')} parameters`],
    ['Tokenizer', s.tokenizer.label],
    ['Max length', `${s.maxLength} tokens`],
    ['Source', m.source],
    ['Folder', m.path ?? '(not on this machine)'],
    ['Status', `${m.status}: ${m.statusDetail}`],
    ['Size', formatBytes(s.sizeBytes)],
    ...(m.labels.length ? ([['Classes', m.labels.join(', ')]] as [string, string][]) : []),
  ]);
}

function choice<T extends string>(run: CliRun, flag: string, options: readonly T[], fallback: T | undefined, cmd: string): T {
  const v = run.values[flag];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !options.includes(v as T)) throw new UsageError(`--${flag} must be ${options.join(', ')}${v === undefined ? '' : `, got "${String(v)}"`}`, cmd);
  return v as T;
}

export const modelsCatalog = defineCommand({
  name: 'models catalog',
  summary: 'The pre-trained models bundled with Loci',
  async run(run) {
    const all = await run.call('models.catalog', {});
    if (run.json) return run.io.out(printJson(all));
    if (!all.length) return run.io.out('No bundled models in this installation.');
    const rows = all.map((m) => [m.name, m.architectureLabel, millions(m.parameters), `${m.layers}/${m.hidden}/${m.heads}`, m.tokenizer.label, String(m.maxLength), formatBytes(m.sizeBytes)]);
    run.io.out(table(['NAME', 'ARCHITECTURE', 'PARAMS', 'L/H/HEADS', 'TOKENIZER', 'MAX LEN', 'SIZE'], rows));
    for (const m of all) {
      if (m.summary) run.io.out(`\n${m.name}: ${m.summary}`);
      // The Models page's GUE line, in the same words: the model, its from-scratch twin, the published means.
      if (m.gue) {
        const text = gueLineText(m.gue);
        const parts = [`this model ${text.model}`, ...(text.scratch !== null ? [`same model from scratch ${text.scratch}`] : []), ...text.published.map((p) => `${p.label} ${p.value}`)];
        run.io.out(`  GUE test MCC x 100 (${text.scope}): ${parts.join('; ')}`);
      }
    }
  },
});

export const modelsList = defineCommand({
  name: 'models list',
  summary: "A project's models",
  options: projectOption,
  async run(run) {
    const project = requireProject(run, 'models list');
    const all = await run.call('models.list', { project });
    if (run.json) return run.io.out(printJson(all));
    if (!all.length) return run.io.out('No models. Add one with: loci models add NAME --project FILE (see loci models catalog), or loci models import FOLDER --project FILE');
    run.io.out(
      table(
        ['ID', 'NAME', 'KIND', 'ARCHITECTURE', 'PARAMS', 'STATUS', 'SOURCE'],
        all.map((m) => [String(m.id), m.name, m.kind, m.shape.architectureLabel, millions(m.shape.parameters), m.status, m.source]),
      ),
    );
  },
});

export const modelsAdd = defineCommand({
  name: 'models add',
  summary: 'Add a bundled model (see loci models catalog) to a project',
  args: 'NAME',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = requireProject(run, 'models add');
    const m = await run.call('models.addBundled', { project, name: run.positionals[0]! });
    run.io.out(run.json ? printJson(m) : `Added bundled model "${m.name}" (id ${m.id})\n${modelDetails(m)}`);
  },
});

export const modelsImport = defineCommand({
  name: 'models import',
  summary: 'Check a Hugging Face model folder (config.json + model.safetensors + tokenizer) by loading it, and add it to a project by reference',
  args: 'FOLDER',
  positionals: { min: 1, max: 1 },
  options: { ...projectOption, name: { type: 'string', value: 'NAME', description: 'display name (default: the folder name, or the Hub id of a cache snapshot)' } },
  async run(run) {
    const project = requireProject(run, 'models import');
    const stop = showProgress(run);
    try {
      const name = typeof run.values.name === 'string' ? run.values.name : undefined;
      const m = await run.call('models.importFolder', { project, path: resolve(run.positionals[0]!), ...(name && { name }) });
      run.io.out(run.json ? printJson(m) : `Imported model "${m.name}" (id ${m.id})\n${modelDetails(m)}`);
    } finally {
      stop();
    }
  },
});

export const modelsBaseline = defineCommand({
  name: 'models baseline',
  summary: 'Make a randomly initialised (seeded) model for a from-scratch baseline and add it to a project',
  options: {
    ...projectOption,
    name: { type: 'string', value: 'NAME', description: "the model's name" },
    arch: { type: 'string', value: 'ARCH', description: 'dnabert2 (ALiBi, GEGLU) or bert-kmer (classic BERT); default dnabert2' },
    size: { type: 'string', value: 'SIZE', description: 'tiny (2 layers, 128 wide) or small (4 layers, 256 wide); default tiny' },
    tokenizer: { type: 'string', value: 'TOK', description: 'dnabert2-bpe (from a bundled model) or kmer-6; default kmer-6 for bert-kmer, else dnabert2-bpe' },
    seed: { type: 'string', value: 'N', description: 'random seed (default 42)' },
  },
  async run(run) {
    const cmd = 'models baseline';
    const project = requireProject(run, cmd);
    if (typeof run.values.name !== 'string') throw new UsageError('--name NAME is required', cmd);
    const arch = choice(run, 'arch', BaselineArch.options, 'dnabert2', cmd);
    const size = choice(run, 'size', BaselineSize.options, 'tiny', cmd);
    const tokenizer = choice(run, 'tokenizer', BaselineTokenizer.options, arch === 'bert-kmer' ? 'kmer-6' : 'dnabert2-bpe', cmd);
    let seed: number | undefined;
    if (typeof run.values.seed === 'string') {
      seed = Number(run.values.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number >= 0, got "${run.values.seed}"`, cmd);
    }
    const stop = showProgress(run);
    try {
      const m = await run.call('models.createBaseline', { project, name: run.values.name, arch, size, tokenizer, ...(seed !== undefined && { seed }) });
      run.io.out(run.json ? printJson(m) : `Made baseline "${m.name}" (id ${m.id})\n${modelDetails(m)}`);
    } finally {
      stop();
    }
  },
});

export const modelsCard = defineCommand({
  name: 'models card',
  summary: 'Print the model card (README.md) of a bundled model, or of a project model with --project',
  args: 'NAME|ID',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const ref = run.positionals[0]!;
    const card =
      typeof run.values.project === 'string'
        ? await (async () => {
            const project = requireProject(run, 'models card');
            const m = await resolveModel(run, project, ref, 'models card');
            return run.call('models.card', { project, id: m.id });
          })()
        : await run.call('models.card', { bundled: ref });
    run.io.out(run.json ? printJson(card) : card.markdown);
  },
});

export const modelsExport = defineCommand({
  name: 'models export',
  summary: 'Write a project model as a plain Hugging Face folder (loads in PyTorch)',
  args: 'ID|NAME',
  positionals: { min: 1, max: 1 },
  options: { ...projectOption, out: { type: 'string', value: 'DIR', description: 'a new or empty folder to write into' } },
  async run(run) {
    const cmd = 'models export';
    const project = requireProject(run, cmd);
    if (typeof run.values.out !== 'string') throw new UsageError('--out DIR is required', cmd);
    const m = await resolveModel(run, project, run.positionals[0]!, cmd);
    const r = await run.call('models.export', { project, modelId: m.id, dir: resolve(run.values.out) });
    run.io.out(run.json ? printJson(r) : [`Exported "${m.name}" to ${r.dir}:`, ...r.files.map((f) => `  ${f}`)].join('\n'));
  },
});

export const modelsRelocate = defineCommand({
  name: 'models relocate',
  summary: 'Point a model whose folder moved at its new location (same model.safetensors only)',
  args: 'ID|NAME FOLDER',
  positionals: { min: 2, max: 2 },
  options: projectOption,
  async run(run) {
    const cmd = 'models relocate';
    const project = requireProject(run, cmd);
    const m = await resolveModel(run, project, run.positionals[0]!, cmd);
    const r = await run.call('models.relocate', { project, id: m.id, path: resolve(run.positionals[1]!) });
    run.io.out(run.json ? printJson(r) : `Relocated "${r.name}" to ${r.path}`);
  },
});

export const modelsRemove = defineCommand({
  name: 'models remove',
  summary: 'Remove a model from a project (imported folders are kept; Loci-made ones are deleted)',
  args: 'ID|NAME',
  positionals: { min: 1, max: 1 },
  options: { ...projectOption, force: { type: 'boolean', description: 'remove even while a run uses it' } },
  async run(run) {
    const cmd = 'models remove';
    const project = requireProject(run, cmd);
    const m = await resolveModel(run, project, run.positionals[0]!, cmd);
    const r = await run.call('models.remove', { project, id: m.id, ...(run.values.force === true && { force: true }) });
    if (run.json) return run.io.out(printJson({ ...r, id: m.id }));
    run.io.out([`Removed model "${m.name}" (id ${m.id})${r.deletedFolder ? `; deleted ${r.deletedFolder}` : ''}`, ...r.warnings.map((w) => `warning: ${w}`)].join('\n'));
  },
});

export const modelCommands = [modelsCatalog, modelsList, modelsAdd, modelsImport, modelsBaseline, modelsCard, modelsExport, modelsRelocate, modelsRemove];
