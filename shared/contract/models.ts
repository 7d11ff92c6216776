// Models: the DNA language models a project works with. Four kinds: bundled (shipped with Loci in
// resources/models, referenced by name), imported (a Hugging Face folder on disk, referenced by
// path + checksum), baseline (randomly initialised, made by Loci for "from scratch" comparisons)
// and finetuned (written by training runs). Every model is a Hugging Face style folder:
// config.json + model.safetensors + tokenizer (tokenizer.json or vocab.txt) + optional README.md.
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';
import { GueSummary } from './benchmarks';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const Name = z.string().trim().min(1, 'A name is required').max(200, 'Keep the name under 200 characters');
const project = FilePath;

export const ModelArchitecture = z.enum(['dnabert2', 'bert']);
export type ModelArchitecture = z.infer<typeof ModelArchitecture>;
export const ModelKind = z.enum(['bundled', 'imported', 'baseline', 'finetuned']);
export type ModelKind = z.infer<typeof ModelKind>;

export const ModelTokenizer = z.object({
  /** bpe: tokenizer.json (DNABERT-2); kmer: vocab.txt of overlapping k-mers (DNABERT); none: no tokenizer file. */
  kind: z.enum(['bpe', 'kmer', 'none']),
  /** k of a k-mer vocabulary. */
  k: z.number().int().nullable(),
  vocabSize: z.number().int().nullable(),
  /** For people: "BPE (4,096 tokens)", "overlapping 6-mers". */
  label: z.string(),
});
export type ModelTokenizer = z.infer<typeof ModelTokenizer>;

/** What config.json (and the tokenizer files) say about a model; read without loading its weights. */
export const ModelShape = z.object({
  architecture: ModelArchitecture,
  /** "DNABERT-2" or "BERT k-mer". */
  architectureLabel: z.string(),
  tokenizer: ModelTokenizer,
  parameters: z.number().int().nonnegative(),
  layers: z.number().int(),
  hidden: z.number().int(),
  heads: z.number().int(),
  intermediate: z.number().int(),
  vocabSize: z.number().int(),
  /** Longest input in tokens: learned positions for BERT; DNABERT-2 (ALiBi) has no hard limit, this is its trained length. */
  maxLength: z.number().int(),
  /** Classes of the classifier head, when the model has one. */
  numLabels: z.number().int().nullable(),
  hasMlmHead: z.boolean(),
  hasClassifier: z.boolean(),
  /** config.json and model.safetensors together. */
  sizeBytes: z.number().int().nonnegative(),
});
export type ModelShape = z.infer<typeof ModelShape>;

export const BundledModel = ModelShape.extend({
  name: z.string(),
  /** Where the folder is in this installation. */
  path: z.string(),
  /** First paragraph of the model card (README.md); empty when there is none. */
  summary: z.string(),
  /** The card's "Intended use" section, first paragraph; empty when there is none. */
  intendedUse: z.string(),
  hasCard: z.boolean(),
  /** Its GUE mean beside its from-scratch twin's and the published means, from the gue-results.json shipped in its folder; null when none is. */
  gue: GueSummary.nullable(),
});
export type BundledModel = z.infer<typeof BundledModel>;

export const ModelStatus = z.enum(['ok', 'missing', 'changed']);
export const ProjectModel = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: ModelKind,
  /** bundled: the bundled name; imported: the folder it was imported from; baseline/finetuned: what it was made from. */
  source: z.string(),
  /** The model folder on this machine (null when a bundled model is not installed here). */
  path: z.string().nullable(),
  /** SHA-256 of model.safetensors when it was added: how a moved folder is recognised. */
  checksum: z.string(),
  /** ok, missing (folder gone: relocate it) or changed (model.safetensors differs from the recorded one). */
  status: ModelStatus,
  statusDetail: z.string(),
  parentId: z.number().int().nullable(),
  runId: z.number().int().nullable(),
  /** Class names of a fine-tuned classifier, in output order. */
  labels: z.array(z.string()),
  /** Baselines: preset, seed; fine-tuned: whatever the training run recorded. */
  params: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  shape: ModelShape,
});
export type ProjectModel = z.infer<typeof ProjectModel>;

export const ModelCard = z.object({
  title: z.string(),
  /** README.md as written (YAML front matter removed); a generated card when the folder has none. */
  markdown: z.string(),
  /** Pictures the card links to inside its folder, as data: URLs keyed by the link text (e.g. "loss_curve.svg"). */
  images: z.record(z.string(), z.string()),
  generated: z.boolean(),
});
export type ModelCard = z.infer<typeof ModelCard>;

export const BaselineSize = z.enum(['tiny', 'small']);
export const BaselineTokenizer = z.enum(['dnabert2-bpe', 'kmer-6']);
export const BaselineArch = z.enum(['dnabert2', 'bert-kmer']);

export const RemoveModelResult = z.object({
  ok: z.literal(true),
  /** The folder deleted with it (only Loci's own copies under the data folder), else null. */
  deletedFolder: z.string().nullable(),
  warnings: z.array(z.string()),
});

export const modelMethods = {
  'models.catalog': method(z.object({}).strict(), z.array(BundledModel), 'The pre-trained models bundled with Loci, with their size, tokenizer and model card summary.'),
  'models.list': method(z.object({ project }).strict(), z.array(ProjectModel), "The project's models (bundled, imported, baselines and fine-tuned), with a quick check of each folder."),
  'models.get': method(z.object({ project, id: Id }).strict(), ProjectModel, 'One model of the project.'),
  'models.card': method(
    z.union([z.object({ bundled: Name }).strict(), z.object({ project, id: Id }).strict()], { error: 'Give either { bundled: NAME } or { project, id }' }),
    ModelCard,
    'The model card (README.md) of a bundled model or of a project model, with its pictures.',
  ),
  'models.addBundled': method(z.object({ project, name: Name }).strict(), ProjectModel, 'Add a bundled model to the project (by name: it follows the installed Loci).'),
  'models.importFolder': method(
    z.object({ project, path: FilePath, name: Name.optional() }).strict(),
    ProjectModel,
    'Check a Hugging Face model folder by loading it, then add it to the project by reference (path + checksum).',
  ),
  'models.createBaseline': method(
    z
      .object({
        project,
        name: Name,
        arch: BaselineArch,
        size: BaselineSize,
        tokenizer: BaselineTokenizer,
        seed: z.number().int().nonnegative().optional(),
      })
      .strict(),
    ProjectModel,
    'Make a randomly initialised (seeded) model folder for a "from scratch" baseline and add it to the project.',
  ),
  'models.relocate': method(
    z.object({ project, id: Id, path: FilePath }).strict(),
    ProjectModel,
    'Point a model whose folder moved at its new location (accepted only if model.safetensors is the same).',
  ),
  'models.remove': method(
    z.object({ project, id: Id, force: z.boolean().optional() }).strict(),
    RemoveModelResult,
    'Remove a model from the project (refused while a run uses it unless forced); Loci-made folders are deleted, imported ones kept.',
  ),
  'models.export': method(
    z.object({ project, modelId: Id, dir: FilePath }).strict(),
    z.object({ dir: z.string(), files: z.array(z.string()) }),
    'Write a model as a plain Hugging Face folder (config.json, model.safetensors, tokenizer, README.md) that loads in PyTorch.',
  ),
};
