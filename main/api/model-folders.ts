// Model folders on disk, for the models service: where the bundled ones are, what a folder holds
// (read from config.json, the safetensors header and the tokenizer files, without loading weights),
// its model card, and new randomly initialised folders for "from scratch" baselines.
import { existsSync, statSync } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type { ModelShape, ModelTokenizer } from '../../shared/contract/models';
import { CONFIG_FILE, TOKENIZER_FILES, WEIGHTS_FILE } from '../engine/checkpoint/folder';
import { CheckpointError } from '../engine/checkpoint/weights';
import { countParameters, parseHfConfig, type ModelConfig } from '../engine/model/index';
import type * as TfCore from '@tensorflow/tfjs-core';
import { packageRoot } from '../node/paths';

export const CARD_FILE = 'README.md';
/** What a model folder is made of: copied on export, listed in the project. */
export const MODEL_FILES = [CONFIG_FILE, WEIGHTS_FILE, ...TOKENIZER_FILES, 'loci-tokenizer.json', CARD_FILE];

/**
 * The folder of bundled models: $LOCI_MODELS_DIR (tests, or a custom install), else
 * process.resourcesPath/models in a packaged Electron app (electron-builder's extraResources),
 * else resources/models under the package root (running from sources or `loci serve`).
 */
export function bundledModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOCI_MODELS_DIR) return resolve(env.LOCI_MODELS_DIR);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(join(resourcesPath, 'models'))) return join(resourcesPath, 'models');
  return join(packageRoot(), 'resources', 'models');
}

/**
 * Where the PyTorch module shipped with exported DNABERT-2 folders lives (resources/python):
 * process.resourcesPath/python in a packaged app, else under the package root.
 */
export function pythonResourcesDir(): string {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(join(resourcesPath, 'python'))) return join(resourcesPath, 'python');
  return join(packageRoot(), 'resources', 'python');
}

/** The module file and the auto_map that makes `transformers` load a DNABERT-2 folder with it. */
export const DNABERT2_MODULE = 'loci_dnabert2.py';
export const DNABERT2_AUTO_MAP = {
  AutoModel: 'loci_dnabert2.LociDnabert2Model',
  AutoModelForMaskedLM: 'loci_dnabert2.LociDnabert2ForMaskedLM',
  AutoModelForSequenceClassification: 'loci_dnabert2.LociDnabert2ForSequenceClassification',
} as const;

/** Bundled model names (sub-folders holding a config.json), sorted. */
export async function bundledModelNames(dir = bundledModelsDir()): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  return entries.filter((name) => !name.startsWith('.') && existsSync(join(dir, name, CONFIG_FILE))).sort();
}

/** Tensor names of a safetensors file from its header alone (the weights stay on disk). */
export async function safetensorsTensorNames(path: string): Promise<string[]> {
  const fh = await open(path, 'r').catch(() => {
    throw new CheckpointError(`${path}: cannot be read`);
  });
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(8);
    if (size < 8 || (await fh.read(head, 0, 8, 0)).bytesRead < 8) throw new CheckpointError(`${path}: truncated file (${size} bytes): not a safetensors file`);
    const len = Number(head.readBigUInt64LE(0));
    if (len > size - 8 || len > 100 * 1024 * 1024) throw new CheckpointError(`${path}: header length ${len} does not fit the file (${size} bytes): truncated or not a safetensors file`);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, 8);
    let header: unknown;
    try {
      header = JSON.parse(buf.toString('utf8'));
    } catch (e) {
      throw new CheckpointError(`${path}: header is not valid JSON (${(e as Error).message})`);
    }
    if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new CheckpointError(`${path}: header is not a JSON object`);
    return Object.keys(header).filter((k) => k !== '__metadata__');
  } finally {
    await fh.close();
  }
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CheckpointError(`${path}: missing or unreadable`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** The tokenizer files of a folder, described for people; the vocabulary counted from the files. */
export async function tokenizerOf(dir: string): Promise<ModelTokenizer> {
  const has = (f: string) => existsSync(join(dir, f));
  if (has('tokenizer.json')) {
    const json = (await readJson(join(dir, 'tokenizer.json'))) as { model?: { type?: string; vocab?: Record<string, number> }; added_tokens?: Array<{ id: number }> };
    const ids = new Set<number>([...Object.values(json.model?.vocab ?? {}), ...(json.added_tokens ?? []).map((t) => t.id)]);
    const n = ids.size;
    return { kind: 'bpe', k: null, vocabSize: n, label: `${json.model?.type ?? 'BPE'} (${n.toLocaleString('en-US')} tokens)` };
  }
  if (has('vocab.txt')) {
    const n = (await readFile(join(dir, 'vocab.txt'), 'utf8')).split('\n').filter((l) => l.length > 0).length;
    const k = Math.round(Math.log(Math.max(1, n - 5)) / Math.log(4));
    const isKmer = 4 ** k + 5 === n;
    return { kind: 'kmer', k: isKmer ? k : null, vocabSize: n, label: isKmer ? `overlapping ${k}-mers (${n.toLocaleString('en-US')} tokens)` : `WordPiece vocab.txt (${n.toLocaleString('en-US')} tokens)` };
  }
  return { kind: 'none', k: null, vocabSize: null, label: 'none' };
}

export function architectureLabel(config: Pick<ModelConfig, 'architecture'>, tokenizer: ModelTokenizer): string {
  if (config.architecture === 'dnabert2') return 'DNABERT-2';
  return tokenizer.k ? `BERT ${tokenizer.k}-mer` : 'BERT k-mer';
}

export interface FolderInfo {
  shape: ModelShape;
  /** config.json as read. */
  hf: Record<string, unknown>;
  config: ModelConfig;
  /** Model files present in the folder. */
  files: string[];
  weightsBytes: number;
}

/**
 * What a model folder holds, from config.json, the safetensors header and the tokenizer files.
 * Cheap (no weights read); throws CheckpointError / ModelConfigError naming the file.
 */
export async function inspectModelFolder(dir: string): Promise<FolderInfo> {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new CheckpointError(`${dir}: no such folder`);
  }
  if (!st.isDirectory()) throw new CheckpointError(`${dir}: not a folder (choose the folder that holds config.json and model.safetensors)`);
  const weights = join(dir, WEIGHTS_FILE);
  if (!existsSync(weights)) throw new CheckpointError(`${dir}: no ${WEIGHTS_FILE} in the folder`);
  const names = await safetensorsTensorNames(weights);
  const hf = (await readJson(join(dir, CONFIG_FILE))) as Record<string, unknown>;
  const config = parseHfConfig(hf, join(dir, CONFIG_FILE), names);
  const tokenizer = await tokenizerOf(dir);
  const has = (n: string) => names.includes(n) || names.includes(n.replace(/^bert\./, ''));
  const hasMlmHead = has('cls.predictions.transform.dense.weight');
  const hasClassifier = has('classifier.weight');
  const weightsBytes = (await stat(weights)).size;
  const configBytes = (await stat(join(dir, CONFIG_FILE))).size;
  const shape: ModelShape = {
    architecture: config.architecture,
    architectureLabel: architectureLabel(config, tokenizer),
    tokenizer,
    parameters: countParameters(config, { mlm: hasMlmHead, classifier: hasClassifier, pooler: hasClassifier || has('bert.pooler.dense.weight') }),
    layers: config.numHiddenLayers,
    hidden: config.hiddenSize,
    heads: config.numAttentionHeads,
    intermediate: config.intermediateSize,
    vocabSize: config.vocabSize,
    maxLength: config.maxPositionEmbeddings,
    numLabels: hasClassifier ? config.numLabels : null,
    hasMlmHead,
    hasClassifier,
    sizeBytes: weightsBytes + configBytes,
  };
  const files = (await readdir(dir)).filter((f) => MODEL_FILES.includes(f)).sort();
  return { shape, hf, config, files, weightsBytes };
}

// ---------- model cards ----------

/** README.md without its YAML front matter (Hugging Face cards start with one). */
export function stripFrontMatter(markdown: string): string {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/.exec(markdown);
  return (m ? markdown.slice(m[0].length) : markdown).trim();
}

/** Paragraphs of prose: blank-line separated blocks that are not headings, lists, tables, code, images or HTML. */
function paragraphs(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return withoutCode
    .split(/\r?\n\s*\r?\n/)
    .map((b) => b.trim())
    .filter((b) => b && !/^(#|[-*+] |\d+\. |\||!\[|<|>)/.test(b))
    .map((b) => b.replace(/\s*\r?\n\s*/g, ' '));
}

/** Inline markdown (bold, italics, code, links) as plain text, for one-line summaries. */
export function plainInline(text: string): string {
  // Code spans are kept verbatim (`DNA_bert_6` is a name, not emphasis); as in CommonMark, an
  // underscore inside a word never opens or closes emphasis.
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.slice(1, -1)
        : part
            .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/\*\*(.+?)\*\*/g, '$1')
            .replace(/(?<!\w)__(.+?)__(?!\w)/g, '$1')
            .replace(/\*(\S(?:.*?\S)?)\*/g, '$1')
            .replace(/(?<!\w)_(\S(?:.*?\S)?)_(?!\w)/g, '$1'),
    )
    .join('');
}

/** The card's first paragraph of prose, as plain text. */
export function cardSummary(markdown: string): string {
  return plainInline(paragraphs(stripFrontMatter(markdown))[0] ?? '');
}

/**
 * What the card says the model is for: the first paragraph (or the list item starting with
 * "Intended", else the first item) under a heading that says "intended use", "uses" or "how to use".
 */
export function cardIntendedUse(markdown: string): string {
  const body = stripFrontMatter(markdown);
  const m = /^#{1,6}\s*(intended uses?|uses|how to use)\b.*$/im.exec(body);
  if (!m) return '';
  const after = body.slice(m.index + m[0].length);
  const next = /^#{1,6}\s/m.exec(after);
  const section = (next ? after.slice(0, next.index) : after).trim();
  const first = section.split(/\r?\n\s*\r?\n/)[0]?.trim() ?? '';
  if (/^([-*+]|\d+\.) /.test(first)) {
    const items = first.split(/\r?\n(?=\s*(?:[-*+]|\d+\.) )/).map((i) => i.replace(/^\s*(?:[-*+]|\d+\.)\s+/, '').replace(/\s*\r?\n\s*/g, ' ').trim());
    const item = items.find((i) => /^intended\b/i.test(i)) ?? items[0] ?? '';
    const text = plainInline(item.replace(/^intended( uses?)?\s*:\s*/i, ''));
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return plainInline(paragraphs(section)[0] ?? '');
}

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp' };
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * Pictures a card links to inside its own folder, as data: URLs (the page's CSP allows data:
 * images; nothing outside the folder or over the network is read).
 */
export async function cardImages(dir: string, markdown: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const root = resolve(dir);
  for (const link of new Set(links)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link) || isAbsolute(link)) continue;
    const type = IMAGE_TYPES[extname(link).toLowerCase()];
    const file = resolve(root, normalize(decodeURIComponent(link)));
    if (!type || !file.startsWith(root + sep)) continue;
    try {
      if ((await stat(file)).size > MAX_IMAGE_BYTES) continue;
      out[link] = `data:${type};base64,${(await readFile(file)).toString('base64')}`;
    } catch {
      // a card pointing at a picture that is not there: the page shows the alt text
    }
  }
  return out;
}

/** Relative links of a card to files inside its folder (pictures, loss_curve.csv), for export. */
export function cardLinkedFiles(dir: string, markdown: string): string[] {
  const root = resolve(dir);
  const out = new Set<string>();
  for (const m of markdown.matchAll(/\]\(\s*<?([^)\s>#?]+)>?[^)]*\)/g)) {
    const link = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(link) || isAbsolute(link)) continue;
    const file = resolve(root, normalize(decodeURIComponent(link)));
    if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) out.add(file);
  }
  return [...out];
}

export async function readCard(dir: string): Promise<string | null> {
  try {
    return await readFile(join(dir, CARD_FILE), 'utf8');
  } catch {
    return null;
  }
}

/** A card for a folder without README.md: what Loci knows about the model. */
export function generatedCard(title: string, shape: ModelShape, facts: Array<[string, string]>): string {
  const rows: Array<[string, string]> = [
    ['Architecture', shape.architectureLabel],
    ['Parameters', shape.parameters.toLocaleString('en-US')],
    ['Layers / hidden / heads', `${shape.layers} / ${shape.hidden} / ${shape.heads}`],
    ['Tokenizer', shape.tokenizer.label],
    ['Max length (tokens)', String(shape.maxLength)],
    ...facts,
  ];
  return [`# ${title}`, '', 'This folder has no model card (README.md); these facts come from its config.json and files.', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`), ''].join('\n');
}

// ---------- from-scratch baselines ----------

export const BASELINE_PRESETS = {
  tiny: { layers: 2, hidden: 128, heads: 4, intermediate: 512 },
  small: { layers: 4, hidden: 256, heads: 4, intermediate: 1024 },
} as const;

/**
 * tfjs with a backend, for the few model operations the service runs in-process (checking an
 * import by loading it, writing a baseline). Whatever backend this process already chose is kept;
 * otherwise the plain-JS cpu backend, which needs no initialisation (training runs in its own
 * process with the fast backend).
 */
export async function tfReady(): Promise<typeof TfCore> {
  const tf = await import('@tensorflow/tfjs-core');
  // PROD: no "install tfjs-node" banner on stderr on first use (the CLI's output stays clean).
  tf.env().set('PROD', true);
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.ready();
  return tf;
}

export interface BaselineSpec {
  arch: 'dnabert2' | 'bert';
  size: keyof typeof BASELINE_PRESETS;
  /** A folder holding the DNABERT-2 tokenizer.json to copy, or k for overlapping k-mers. */
  tokenizer: { bpeFrom: string } | { kmer: number };
  seed: number;
  signal?: AbortSignal;
}

/** Writes a randomly initialised (seeded) model with an MLM head into `dir`, with its tokenizer. */
export async function writeBaselineFolder(dir: string, spec: BaselineSpec): Promise<void> {
  await tfReady();
  const [{ createModel, makeConfig }, { saveModelFolder }, { BpeTokenizer, KmerTokenizer }] = await Promise.all([
    import('../engine/model/index'),
    import('../engine/checkpoint/folder'),
    import('../engine/tokenizers/index'),
  ]);
  const tokenizer = 'kmer' in spec.tokenizer ? new KmerTokenizer({ k: spec.tokenizer.kmer, overlapping: true }) : await BpeTokenizer.load(spec.tokenizer.bpeFrom);
  const p = BASELINE_PRESETS[spec.size];
  const config = makeConfig(spec.arch, {
    vocab_size: tokenizer.vocabSize,
    hidden_size: p.hidden,
    num_hidden_layers: p.layers,
    num_attention_heads: p.heads,
    intermediate_size: p.intermediate,
    max_position_embeddings: 512,
    pad_token_id: tokenizer.specialIds.pad,
    architectures: ['BertForMaskedLM'],
  });
  const model = createModel(config, { heads: { mlm: true, classifier: false, pooler: false }, seed: spec.seed });
  try {
    const copyFiles = 'bpeFrom' in spec.tokenizer ? TOKENIZER_FILES.map((f) => join((spec.tokenizer as { bpeFrom: string }).bpeFrom, f)).filter((f) => existsSync(f) && !f.endsWith('vocab.txt')) : [];
    // k-mers: the tokenizer writes DNABERT's vocab.txt (and loci-tokenizer.json) itself.
    if ('kmer' in spec.tokenizer) await tokenizer.save(dir);
    await saveModelFolder(model, dir, { copyFiles, metadata: { loci_kind: 'baseline', loci_seed: String(spec.seed) }, ...(spec.signal && { signal: spec.signal }) });
  } finally {
    model.dispose();
  }
}
