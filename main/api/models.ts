// models.*: the DNA language models of a project (see shared/contract/models.ts).
//
// Where the files live, and why:
// - bundled: in Loci's resources (resources/models/<name>), referenced by name, so a project
//   opened by another installation finds that installation's copy; the checksum tells when it differs.
// - imported: by reference to the user's folder (path + SHA-256 and size of model.safetensors),
//   like genomes. A Hugging Face download is large (DNABERT-2-117M: 470 MB), immutable, and often
//   shared by several projects; copying it per project would double the disk use for nothing. A
//   project moved to another machine shows the model as "missing" and models.relocate accepts
//   the folder there once its model.safetensors has the same checksum.
// - baseline and finetuned: folders Loci writes itself, under <dataDir>/models/, recorded the same
//   way (path + checksum), so they can be relocated too; removing such a model deletes its folder.
// Every import is checked by loading the folder with the engine (loadModelFolder), so a corrupt,
// truncated or mismatched file is refused with the engine's message before the project changes.
import { randomUUID } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import type { BundledModel, ModelCard, ProjectModel } from '../../shared/contract/models';
import { sha256File } from '../genome/fasta/index';
import { touchModified } from '../store/meta';
import { activeUsesOfModel, addModel, childModelIds, deleteModelRow, getModelRow, listModelRows, updateModelPath, type ModelRow, type NewModelRow } from '../store/model-repo';
import type { Db } from '../store/project-file';
import { CONFIG_FILE, WEIGHTS_FILE } from '../engine/checkpoint/folder';
import { readGueResultsFile } from '../engine/gue/report';
import { RESULTS_JSON as GUE_RESULTS_FILE } from '../engine/gue/runner';
import { gueSummary } from '../../shared/gue-summary';
import type { GueSummary } from '../../shared/contract/benchmarks';
import { writeFileAtomic } from '../node/atomic';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { notFound, withProgress } from './data-support';
import {
  BASELINE_PRESETS,
  bundledModelNames,
  bundledModelsDir,
  cardImages,
  cardIntendedUse,
  cardLinkedFiles,
  cardSummary,
  generatedCard,
  inspectModelFolder,
  DNABERT2_AUTO_MAP,
  DNABERT2_MODULE,
  MODEL_FILES,
  pythonResourcesDir,
  readCard,
  stripFrontMatter,
  tfReady,
  writeBaselineFolder,
  type FolderInfo,
} from './model-folders';
import { existingPath, projectDb, slugify } from './projects';

/** A bundled model's GUE line, from the gue-results.json `loci gue` wrote and that ships in its folder; null when none does (a bad file is logged, not fatal). */
function bundledGue(ctx: AppContext, dir: string, name: string): GueSummary | null {
  try {
    const file = readGueResultsFile(join(dir, GUE_RESULTS_FILE));
    return file ? gueSummary(file, name) : null;
  } catch (e) {
    ctx.log.warn(`bundled model ${name}: ${(e as Error).message}`);
    return null;
  }
}

type ModelServices = Pick<Services, Extract<keyof Services, `models.${string}`>>;

/** Where Loci writes the model folders it makes (baselines, fine-tuned models). */
export function ownModelsDir(ctx: AppContext): string {
  return join(ctx.dataDir, 'models');
}

/** Names of engine errors whose message already says which file is wrong and how. */
const FILE_ERRORS = new Set(['CheckpointError', 'ModelConfigError', 'SafetensorsError']);
/** Most specific first: "found pytorch_model.bin but no model.safetensors" is about the pickle file. */
const NAMED_FILES = ['pytorch_model.bin', 'tf_model.h5', 'flax_model.msgpack', 'model.safetensors.index.json', 'config.json', WEIGHTS_FILE];

/** The file an engine message is about: the path it starts with, else a model file it names, else the folder. */
function fileOfMessage(message: string, dir: string): string {
  const first = message.split(': ')[0] ?? '';
  if (first !== dir && first.startsWith(dir + sep)) return first;
  const named = NAMED_FILES.find((f) => message.includes(f));
  return named ? join(dir, named) : dir;
}

/** An engine failure on a model folder as a bad_file error naming the file; others unchanged. */
function folderError(err: unknown, dir: string, verb: string): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof Error && err.name === 'AbortError') return new ApiError({ code: 'cancelled', message: 'Cancelled' });
  if (err instanceof Error && FILE_ERRORS.has(err.name)) {
    return new ApiError({ code: 'bad_file', message: `${verb}: ${err.message}`, file: fileOfMessage(err.message, dir) });
  }
  return err;
}

function changed(ctx: AppContext, db: Db, project: string): void {
  touchModified(db, ctx.appVersion);
  ctx.bus.emit('project.changed', { path: project, what: 'models' });
}

/** The folder of a project model on this machine, or null (a bundled model this Loci does not ship). */
function folderOf(row: ModelRow): string | null {
  if (row.kind !== 'bundled') return row.path;
  const dir = join(bundledModelsDir(), row.source);
  return existsSync(dir) ? dir : null;
}

function checkFolder(row: ModelRow): { status: ProjectModel['status']; detail: string; dir: string | null } {
  const dir = folderOf(row);
  if (!dir) return { status: 'missing', detail: `the bundled model "${row.source}" is not part of this Loci installation`, dir };
  const weights = join(dir, WEIGHTS_FILE);
  let size: number;
  try {
    size = statSync(weights).size;
  } catch {
    return { status: 'missing', detail: `${weights} is not there: relocate the folder`, dir };
  }
  if (row.sizeBytes && size !== row.sizeBytes) {
    return { status: 'changed', detail: `${weights} is ${size.toLocaleString('en-US')} bytes, ${row.sizeBytes.toLocaleString('en-US')} when it was added`, dir };
  }
  return { status: 'ok', detail: dir, dir };
}

function describe(row: ModelRow): ProjectModel {
  const c = checkFolder(row);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    source: row.source,
    path: c.dir,
    checksum: row.checksum,
    status: c.status,
    statusDetail: c.detail,
    parentId: row.parentId,
    runId: row.runId,
    labels: row.labels,
    params: row.params,
    createdAt: row.createdAt,
    shape: row.config.shape,
  };
}

function requireModel(db: Db, id: number, project: string): ModelRow {
  const row = getModelRow(db, id);
  if (!row) throw notFound('model', id, project);
  return row;
}

/** A classifier's class names from config.json's id2label (as Loci's fine-tuning writes it); none when absent or only LABEL_i placeholders. */
function classNamesOf(hf: Record<string, unknown>): string[] {
  const map = hf.id2label;
  if (!map || typeof map !== 'object') return [];
  const entries = Object.entries(map as Record<string, unknown>);
  const names = entries.map((_, i) => (map as Record<string, unknown>)[String(i)]);
  if (!names.every((n): n is string => typeof n === 'string' && n.length > 0)) return [];
  return names.every((n, i) => n === `LABEL_${i}`) ? [] : names;
}

/** A readable default name: the folder's, or the Hub id for a Hugging Face cache snapshot (snapshots/<commit>). */
function defaultName(dir: string, hf: Record<string, unknown>): string {
  const base = basename(dir);
  if (!/^[0-9a-f]{40}$/.test(base)) return base;
  const repo = /^models--(.+)$/.exec(basename(dirname(dirname(dir))));
  if (repo) return repo[1]!.replace(/--/g, '/');
  return typeof hf._name_or_path === 'string' && hf._name_or_path ? hf._name_or_path : base;
}

/** A model folder's facts as a row to insert (reads config.json and hashes model.safetensors). */
async function rowFromFolder(dir: string, info: FolderInfo, fields: Pick<NewModelRow, 'name' | 'kind' | 'source' | 'path'> & Partial<NewModelRow>): Promise<NewModelRow> {
  return {
    architecture: info.config.architecture,
    checksum: await sha256File(join(dir, WEIGHTS_FILE)),
    sizeBytes: info.weightsBytes,
    config: { shape: info.shape, hf: info.hf },
    files: info.files,
    ...fields,
  };
}

async function insertRow(ctx: AppContext, db: Db, project: string, row: NewModelRow): Promise<ProjectModel> {
  const id = db.transaction(() => {
    const id = addModel(db, row);
    touchModified(db, ctx.appVersion);
    return id;
  })();
  ctx.bus.emit('project.changed', { path: project, what: 'models' });
  return describe(requireModel(db, id, project));
}

export interface RecordModelOptions {
  name: string;
  kind: 'finetuned' | 'baseline' | 'imported';
  /** What it was made from, for people ("fine-tuned from loci-bpe-mini on Promoters"). */
  source: string;
  parentId?: number | null;
  runId?: number | null;
  labels?: string[];
  params?: Record<string, unknown>;
}

/**
 * Adds a model folder Loci wrote (e.g. the training service's fine-tuned model, saved with
 * saveModelFolder) to a project: reads its shape, hashes its weights, inserts the row, announces it.
 */
export async function recordModelFolder(ctx: AppContext, project: string, dir: string, opts: RecordModelOptions): Promise<ProjectModel> {
  const real = existingPath(project);
  const db = projectDb(ctx, real);
  return insertRow(ctx, db, real, await modelRowOfFolder(dir, opts));
}

/**
 * The row recordModelFolder inserts (the folder's shape read, its weights hashed), for a job's
 * result store that inserts it with addModel inside the transaction that marks the job done.
 */
export async function modelRowOfFolder(dir: string, opts: RecordModelOptions): Promise<NewModelRow> {
  const folder = resolve(dir);
  const info = await inspectModelFolder(folder).catch((e: unknown) => {
    throw folderError(e, folder, 'Not recorded');
  });
  return rowFromFolder(folder, info, { ...opts, path: folder, parentId: opts.parentId ?? null, runId: opts.runId ?? null, labels: opts.labels ?? [], params: opts.params ?? {} });
}

/** Loads the folder with the engine (every tensor's name, shape and dtype checked), then frees it. */
async function loadToCheck(dir: string, onProgress: (f: number) => void): Promise<void> {
  await tfReady();
  const { loadModelFolder } = await import('../engine/checkpoint/folder');
  const loaded = await loadModelFolder(dir, { onProgress });
  loaded.model.dispose();
}

/** The tokenizer must parse and fit the model's embedding table. */
async function checkTokenizer(dir: string, info: FolderInfo): Promise<void> {
  const t = info.shape.tokenizer;
  if (t.kind !== 'none') {
    // The loader fine-tuning and pre-training use: what imports here also trains.
    const { loadTokenizer } = await import('../engine/tokenizers/index');
    try {
      await loadTokenizer(dir);
    } catch (e) {
      throw new ApiError({ code: 'bad_file', message: `Not imported: ${(e as Error).message}`, file: join(dir, t.kind === 'bpe' ? 'tokenizer.json' : 'vocab.txt') });
    }
  }
  if (t.vocabSize !== null && t.vocabSize > info.shape.vocabSize) {
    const file = join(dir, t.kind === 'bpe' ? 'tokenizer.json' : 'vocab.txt');
    throw new ApiError({ code: 'bad_file', message: `Not imported: ${file} has ${t.vocabSize} tokens but the model's vocab_size is ${info.shape.vocabSize}: the tokenizer does not belong to this model`, file });
  }
}

async function bundledInfo(name: string): Promise<{ dir: string; info: FolderInfo }> {
  const root = bundledModelsDir();
  const names = await bundledModelNames(root);
  if (!names.includes(name)) {
    throw new ApiError({ code: 'not_found', message: `No bundled model "${name}" (this Loci ships: ${names.join(', ') || 'none'}; looked in ${root})` });
  }
  const dir = join(root, name);
  const info = await inspectModelFolder(dir).catch((e: unknown) => {
    throw folderError(e, dir, `Bundled model "${name}" is damaged`);
  });
  return { dir, info };
}

/** A folder with DNABERT-2's tokenizer.json: a bundled BPE model's, else one of the project's models'. */
async function bpeTokenizerFolder(db: Db): Promise<string> {
  const root = bundledModelsDir();
  for (const name of await bundledModelNames(root)) {
    if (existsSync(join(root, name, 'tokenizer.json'))) return join(root, name);
  }
  for (const row of listModelRows(db)) {
    const dir = folderOf(row);
    if (dir && existsSync(join(dir, 'tokenizer.json'))) return dir;
  }
  throw new ApiError({
    code: 'not_found',
    message: 'No DNABERT-2 tokenizer (tokenizer.json) here: no bundled model has one and neither has any model of the project. Import a DNABERT-2 folder first, or use the kmer-6 tokenizer.',
  });
}

async function folderIsEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true; // absent: made below
  }
}

export function createModelServices(ctx: AppContext): ModelServices {
  return {
    async 'models.catalog'() {
      const root = bundledModelsDir();
      const out: BundledModel[] = [];
      for (const name of await bundledModelNames(root)) {
        const dir = join(root, name);
        try {
          const info = await inspectModelFolder(dir);
          const card = await readCard(dir);
          out.push({ ...info.shape, name, path: dir, summary: card ? cardSummary(card) : '', intendedUse: card ? cardIntendedUse(card) : '', hasCard: card !== null, gue: bundledGue(ctx, dir, name) });
        } catch (e) {
          // One broken folder must not hide the others; it is reported in the log.
          ctx.log.warn(`bundled model ${dir} left out of the catalog: ${(e as Error).message}`);
        }
      }
      return out;
    },

    async 'models.list'({ project }) {
      return listModelRows(projectDb(ctx, project)).map(describe);
    },

    async 'models.get'({ project, id }) {
      return describe(requireModel(projectDb(ctx, project), id, project));
    },

    async 'models.card'(input): Promise<ModelCard> {
      if ('bundled' in input) {
        const { dir, info } = await bundledInfo(input.bundled);
        const card = await readCard(dir);
        if (card === null) return { title: input.bundled, markdown: generatedCard(input.bundled, info.shape, [['Bundled with Loci', dir]]), images: {}, generated: true };
        const markdown = stripFrontMatter(card);
        return { title: input.bundled, markdown, images: await cardImages(dir, markdown), generated: false };
      }
      const db = projectDb(ctx, input.project);
      const row = requireModel(db, input.id, input.project);
      const dir = folderOf(row);
      const card = dir ? await readCard(dir) : null;
      if (card !== null && dir) {
        const markdown = stripFrontMatter(card);
        return { title: row.name, markdown, images: await cardImages(dir, markdown), generated: false };
      }
      return { title: row.name, markdown: generatedCard(row.name, row.config.shape, provenance(db, row)), images: {}, generated: true };
    },

    async 'models.addBundled'({ project, name }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const dup = listModelRows(db).find((m) => m.kind === 'bundled' && m.source === name);
      if (dup) throw new ApiError({ code: 'conflict', message: `The bundled model "${name}" is already in the project as "${dup.name}" (id ${dup.id})` });
      const { dir, info } = await bundledInfo(name);
      return insertRow(ctx, db, real, await rowFromFolder(dir, info, { name, kind: 'bundled', source: name, path: null }));
    },

    async 'models.importFolder'({ project, path, name }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      let dir = resolve(path);
      // A file inside the folder (config.json, model.safetensors) stands for its folder.
      if (existsSync(dir) && statSync(dir).isFile()) dir = dirname(dir);
      return withProgress(
        ctx,
        'model.import',
        real,
        async (p) => {
          try {
            if (!existsSync(dir)) throw new ApiError({ code: 'bad_file', message: `Not imported: ${dir}: no such folder`, file: dir });
            // The engine first: its messages say best what is wrong (pickle-only, truncated, mis-shaped).
            await loadToCheck(dir, (f) => p.update(0.8 * f, `checking ${basename(dir)}`));
            const info = await inspectModelFolder(dir);
            await checkTokenizer(dir, info);
            p.update(0.9, 'computing the checksum');
            const canonical = realpathSync(dir);
            const row = await rowFromFolder(canonical, info, { name: name ?? defaultName(dir, info.hf), kind: 'imported', source: canonical, path: canonical, labels: classNamesOf(info.hf) });
            const dup = listModelRows(db).find((m) => m.checksum === row.checksum);
            if (dup) throw new ApiError({ code: 'conflict', message: `This model is already in the project as "${dup.name}" (id ${dup.id}, same model.safetensors)`, file: join(dir, WEIGHTS_FILE) });
            return await insertRow(ctx, db, real, row);
          } catch (e) {
            throw folderError(e, dir, 'Not imported');
          }
        },
        (m) => `imported model ${m.name}: ${m.shape.architectureLabel}, ${m.shape.parameters.toLocaleString('en-US')} parameters`,
      );
    },

    async 'models.createBaseline'({ project, name, arch, size, tokenizer, seed }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const theSeed = seed ?? 42;
      const tok = tokenizer === 'kmer-6' ? { kmer: 6 } : { bpeFrom: await bpeTokenizerFolder(db) };
      const dir = join(ownModelsDir(ctx), `${slugify(name)}-${randomUUID().slice(0, 8)}`);
      return withProgress(
        ctx,
        'model.baseline',
        real,
        async (p) => {
          try {
            p.update(0.1, `initialising ${BASELINE_PRESETS[size].layers}-layer ${arch} model`);
            await writeBaselineFolder(dir, { arch: arch === 'bert-kmer' ? 'bert' : 'dnabert2', size, tokenizer: tok, seed: theSeed });
            p.update(0.8, 'recording it');
            const info = await inspectModelFolder(dir);
            const source = `from scratch: ${arch}, ${size}, ${tokenizer}, seed ${theSeed}`;
            await writeFile(join(dir, 'README.md'), generatedCard(name, info.shape, [['Kind', 'from-scratch baseline (random weights, never pre-trained)'], ['Made by', source]]).replace(/^This folder has no model card.*$/m, 'A randomly initialised model: train it from scratch to measure what pre-training adds.'));
            const row = await rowFromFolder(dir, { ...info, files: [...info.files, 'README.md'].sort() }, { name, kind: 'baseline', source, path: dir, params: { arch, size, tokenizer, seed: theSeed, ...BASELINE_PRESETS[size] } });
            return await insertRow(ctx, db, real, row);
          } catch (e) {
            await rm(dir, { recursive: true, force: true });
            throw e;
          }
        },
        (m) => `made baseline ${m.name}: ${m.shape.parameters.toLocaleString('en-US')} parameters`,
      );
    },

    async 'models.relocate'({ project, id, path }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const row = requireModel(db, id, project);
      if (row.kind === 'bundled') throw new ApiError({ code: 'conflict', message: `"${row.name}" is a bundled model: it comes with Loci and cannot be relocated` });
      let dir = resolve(path);
      if (existsSync(dir) && statSync(dir).isFile()) dir = dirname(dir);
      const weights = join(dir, WEIGHTS_FILE);
      if (!existsSync(weights)) throw new ApiError({ code: 'not_found', message: `Not relocated: no ${WEIGHTS_FILE} in ${dir}`, file: weights });
      const sum = await sha256File(weights);
      if (sum !== row.checksum) throw new ApiError({ code: 'conflict', message: `Not relocated: ${weights} is not the model "${row.name}" (different checksum)`, file: weights });
      db.transaction(() => {
        updateModelPath(db, id, realpathSync(dir));
        touchModified(db, ctx.appVersion);
      })();
      ctx.bus.emit('project.changed', { path: real, what: 'models' });
      return describe(requireModel(db, id, project));
    },

    async 'models.remove'({ project, id, force }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const row = requireModel(db, id, project);
      const uses = activeUsesOfModel(db, id);
      if (uses.length && !force) {
        throw new ApiError({ code: 'conflict', message: `"${row.name}" is in use by ${uses.join(', ')}: cancel or finish ${uses.length === 1 ? 'it' : 'them'} first (or remove with force)` });
      }
      const warnings: string[] = [];
      if (uses.length) warnings.push(`Removed while in use by ${uses.join(', ')}`);
      const children = childModelIds(db, id);
      if (children.length) warnings.push(`${children.length} fine-tuned model${children.length === 1 ? ' was' : 's were'} made from it; ${children.length === 1 ? 'it keeps its' : 'they keep their'} own folder${children.length === 1 ? '' : 's'}`);
      db.transaction(() => {
        deleteModelRow(db, id);
        changed(ctx, db, real);
      })();
      // Only folders Loci made itself, and only when no other model of the project points there.
      const own = ownModelsDir(ctx) + sep;
      const ours = row.path !== null && (row.kind === 'baseline' || row.kind === 'finetuned') && resolve(row.path).startsWith(own) && !listModelRows(db).some((m) => m.path === row.path);
      if (ours) await rm(row.path!, { recursive: true, force: true });
      return { ok: true as const, deletedFolder: ours ? row.path : null, warnings };
    },

    async 'models.export'({ project, modelId, dir }) {
      const db = projectDb(ctx, project);
      const row = requireModel(db, modelId, project);
      const c = checkFolder(row);
      if (c.status !== 'ok' || !c.dir) throw new ApiError({ code: 'conflict', message: `Cannot export "${row.name}": ${c.detail}` });
      const target = resolve(dir);
      if (resolve(c.dir) === target) throw new ApiError({ code: 'conflict', message: `${target} is the model's own folder; choose another one`, file: target });
      if (!(await folderIsEmpty(target))) throw new ApiError({ code: 'conflict', message: `${target} is not empty: choose a new or empty folder`, file: target });
      await mkdir(target, { recursive: true });
      const files: string[] = [];
      for (const f of await readdir(c.dir)) {
        // An imported folder's own model code (*.py, which its config's auto_map names) goes along.
        if (!MODEL_FILES.includes(f) && !f.endsWith('.py')) continue;
        await copyFile(join(c.dir, f), join(target, f));
        files.push(join(target, f));
      }
      if (row.config.shape.architecture === 'dnabert2') {
        const written = await shipDnabert2Module(target);
        for (const f of written) if (!files.includes(f)) files.push(f);
      }
      // The copy must be the model the project recorded (a size check already passed; now the bytes).
      if ((await sha256File(join(target, WEIGHTS_FILE))) !== row.checksum) {
        await rm(target, { recursive: true, force: true });
        throw new ApiError({ code: 'conflict', message: `Not exported: ${join(c.dir, WEIGHTS_FILE)} changed since it was added to the project (checksum differs)`, file: join(c.dir, WEIGHTS_FILE) });
      }
      // What the card links to (its loss curve picture) goes along, in the same relative place.
      const card = await readCard(c.dir);
      for (const file of card ? cardLinkedFiles(c.dir, card) : []) {
        const to = join(target, relative(c.dir, file));
        if (files.includes(to)) continue;
        await mkdir(dirname(to), { recursive: true });
        await copyFile(file, to);
        files.push(to);
      }
      if (!files.some((f) => basename(f) === 'README.md')) {
        const readme = join(target, 'README.md');
        await writeFile(readme, generatedCard(row.name, row.config.shape, provenance(db, row)));
        files.push(readme);
      }
      return { dir: target, files: files.sort() };
    },
  };
}

/**
 * `transformers` has no DNABERT-2 class: without model code and an `auto_map`, AutoModelForMaskedLM
 * silently builds a classic BERT with the DNABERT-2 weights missing or unused. A folder whose
 * auto_map already names modules it holds (an imported one, kept as it came) is left alone; any
 * other gets Loci's module (resources/python/loci_dnabert2.py) and an auto_map pointing at it.
 */
async function shipDnabert2Module(target: string): Promise<string[]> {
  const configPath = join(target, CONFIG_FILE);
  const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  const autoMap = config.auto_map as Record<string, unknown> | undefined;
  const modules = autoMap && typeof autoMap === 'object' ? Object.values(autoMap).map((v) => String(Array.isArray(v) ? v[0] : v).split('.')[0]!) : [];
  if (modules.length > 0 && modules.every((m) => existsSync(join(target, `${m}.py`)))) return [];
  const module = join(target, DNABERT2_MODULE);
  await copyFile(join(pythonResourcesDir(), DNABERT2_MODULE), module);
  writeFileAtomic(configPath, `${JSON.stringify({ ...config, auto_map: DNABERT2_AUTO_MAP }, null, 2)}\n`);
  return [module, configPath];
}

/** Facts for a generated card: kind, where it came from, its parent and classes. */
function provenance(db: Db, row: ModelRow): Array<[string, string]> {
  const facts: Array<[string, string]> = [
    ['Kind', row.kind],
    ['Source', row.source],
    ['Added', row.createdAt],
    ['SHA-256 of model.safetensors', row.checksum],
  ];
  if (row.parentId !== null) {
    const parent = getModelRow(db, row.parentId);
    facts.push(['Trained from', parent ? `${parent.name} (${parent.kind})` : `model ${row.parentId} (removed)`]);
  }
  if (row.runId !== null) facts.push(['Training run', String(row.runId)]);
  if (row.labels.length) facts.push(['Classes', row.labels.join(', ')]);
  return facts;
}

