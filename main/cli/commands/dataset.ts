// loci dataset build|list|show|export|remove: labelled train/dev/test datasets in a project.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_NEGATIVE_MARGIN, type DatasetSpec, type DatasetSummary } from '../../../shared/contract/data';
import { defineCommand, UsageError, type CliRun } from '../command';
import { formatLocus } from '../../../shared/locus';
import { keyValues, printJson, table } from '../format';
import { genomeOrOnly, requireProject, showProgress } from './import';
import { formatBp, formatBpRange } from '../../../shared/bp';

const projectOption = { project: { type: 'string', value: 'FILE', description: 'the project file (.loci)' } } as const;

type Fractions = { train: number; dev: number; test: number };

function fractions(text: string, flag: string, cmd: string): Fractions {
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) throw new UsageError(`${flag} needs three fractions train,dev,test (e.g. 0.8,0.1,0.1), got "${text}"`, cmd);
  return { train: parts[0]!, dev: parts[1]!, test: parts[2]! };
}

/** blocks:0.8,0.1,0.1 | random:0.8,0.1,0.1 | chroms:dev=chr2;test=chr3,chr4 */
export function parseSplit(text: string, cmd: string): Extract<DatasetSpec, { source: 'regions' }>['split'] {
  const [kind = '', rest = ''] = text.split(/:(.*)/s);
  if (kind === 'blocks') return { kind: 'blocks', fractions: fractions(rest, '--split blocks:', cmd) };
  if (kind === 'random') return { kind: 'random', fractions: fractions(rest, '--split random:', cmd) };
  if (kind === 'chroms' || kind === 'chromosomes') {
    const out: { kind: 'chromosomes'; dev: string[]; test: string[] } = { kind: 'chromosomes', dev: [], test: [] };
    for (const part of rest.split(';').filter(Boolean)) {
      const [which, names = ''] = part.split('=');
      if (which !== 'dev' && which !== 'test') throw new UsageError(`--split chroms: expects dev=NAMES;test=NAMES, got "${part}"`, cmd);
      out[which] = names.split(',').map((s) => s.trim()).filter(Boolean);
    }
    return out;
  }
  throw new UsageError(`--split must be blocks:TRAIN,DEV,TEST, random:TRAIN,DEV,TEST or chroms:dev=NAMES;test=NAMES, got "${text}"`, cmd);
}

function numberFlag(run: CliRun, flag: string, cmd: string, integer: boolean): number | undefined {
  const v = run.values[flag];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new UsageError(`--${flag} must be ${integer ? 'a whole number' : 'a number'}, got "${v}"`, cmd);
  return n;
}

/** The spec from --spec (a JSON file holding a datasets.build spec) with the flags on top. */
async function specFromFlags(run: CliRun, project: string, cmd: string): Promise<DatasetSpec> {
  const v = run.values;
  let base: Record<string, unknown> = {};
  if (typeof v.spec === 'string') {
    const file = resolve(v.spec);
    try {
      base = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`--spec ${file}: ${(e as Error).message}`, cmd);
    }
    if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError(`--spec ${file}: expected a JSON object`, cmd);
  }
  const split = typeof v.split === 'string' ? parseSplit(v.split, cmd) : undefined;
  const seed = numberFlag(run, 'seed', cmd, true);
  if (typeof v['from-table'] === 'string') {
    const path = resolve(v['from-table']);
    const isDir = (() => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    })();
    if (isDir) return { source: 'tables', dir: path };
    if (split && split.kind !== 'random') throw new UsageError('--from-table FILE is split at random: use --split random:TRAIN,DEV,TEST', cmd);
    return { source: 'table', path, ...(split && { fractions: split.fractions }), ...(seed !== undefined && { seed }) };
  }
  const spec: Record<string, unknown> = { source: 'regions', window: { mode: 'centred', length: 200 }, negatives: { strategy: 'gc-matched' }, split: { kind: 'blocks', fractions: { train: 0.8, dev: 0.1, test: 0.1 } }, ...base };
  if (spec.source !== 'regions') return spec as DatasetSpec;
  if (typeof v.genome === 'string' || spec.genomeId === undefined) {
    const g = await genomeOrOnly(run, project, v.genome, cmd);
    if (g) spec.genomeId = g.id;
  }
  if (typeof v.regions === 'string') {
    const sets = await run.call('regions.list', { project });
    spec.regionSets = v.regions.split(',').map((ref) => {
      const s = /^\d+$/.test(ref) ? sets.find((x) => x.id === Number(ref)) : sets.find((x) => x.name === ref);
      if (!s) throw new UsageError(`No region set "${ref}" in ${project} (it has: ${sets.map((x) => `${x.id} ${x.name}`).join(', ') || 'none'})`, cmd);
      return { id: s.id };
    });
  }
  if (spec.genomeId === undefined) throw new UsageError('--genome ID|NAME is required when the project has more than one genome, or none (or genomeId in --spec)', cmd);
  if (spec.regionSets === undefined) throw new UsageError('--regions ID|NAME,... is required (or regionSets in --spec)', cmd);
  const window = numberFlag(run, 'window', cmd, true);
  if (window !== undefined) spec.window = { ...(spec.window as object), length: window };
  const negatives = { ...(spec.negatives as object) } as Record<string, unknown>;
  if (typeof v.negatives === 'string') negatives.strategy = v.negatives;
  const ratio = numberFlag(run, 'ratio', cmd, false);
  if (ratio !== undefined) negatives.ratio = ratio;
  // The same default as the wizard's, unless the spec file sets one.
  const margin = numberFlag(run, 'margin', cmd, true);
  if (margin !== undefined) negatives.margin = margin;
  else if (negatives.margin === undefined) negatives.margin = DEFAULT_NEGATIVE_MARGIN;
  spec.negatives = negatives;
  if (split) spec.split = split;
  if (v.rc === true) spec.rcAugment = true;
  if (seed !== undefined) spec.seed = seed;
  return spec as DatasetSpec;
}

export function summaryText(d: DatasetSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rows = (['train', 'dev', 'test'] as const).map((s) => {
    const p = d.splits[s];
    return [s, String(p.sequences), formatBpRange(p.lengthMin, p.lengthMax), pct(p.gcMean), ...d.classes.map((c) => String(p.classCounts[c] ?? 0)), String(p.augmented)];
  });
  const lines = [
    keyValues([
      ['Dataset', `${d.name} (id ${d.id})`],
      ['Source', d.source],
      ...(d.version ? ([['Version of', `"${d.version.parentName}" (id ${d.version.parentId}): ${d.version.changes}`]] as [string, string][]) : []),
      ['Classes', d.classes.join(', ')],
      ['Sequences', String(d.total)],
      ['Split', d.split],
      ...(d.negatives ? ([['Negatives', `${d.negatives.strategy}, ratio ${d.negatives.ratio}, margin ${formatBp(d.negatives.margin)}: ${d.negatives.made} of ${d.negatives.wanted}${d.negatives.ksDistance !== undefined ? `; GC KS distance ${d.negatives.ksDistance.toFixed(3)}` : ''}`]] as [string, string][]) : []),
    ]),
    '',
    table(['SPLIT', 'SEQUENCES', 'LENGTH', 'GC', ...d.classes.map((c) => c.toUpperCase()), 'RC COPIES'], rows),
  ];
  if (d.warnings.length) lines.push('', ...d.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}

/** A dataset by id or by name. */
export async function resolveDataset(run: CliRun, project: string, ref: string, cmd: string): Promise<DatasetSummary> {
  const all = await run.call('datasets.list', { project });
  const found = /^\d+$/.test(ref) ? all.find((d) => d.id === Number(ref)) : all.find((d) => d.name === ref);
  if (!found) throw new UsageError(`No dataset "${ref}" in ${project} (it has: ${all.map((d) => `${d.id} ${d.name}`).join(', ') || 'none'})`, cmd);
  return found;
}

export const datasetBuild = defineCommand({
  name: 'dataset build',
  summary: 'Build a labelled train/dev/test dataset from region sets (or a labelled table / GUE folder) and store it in the project',
  options: {
    ...projectOption,
    name: { type: 'string', value: 'NAME', description: "the dataset's name" },
    spec: { type: 'string', value: 'FILE', description: 'a JSON file with the build spec (the flags below override it)' },
    genome: { type: 'string', value: 'ID|NAME', description: 'the genome to read windows from' },
    regions: { type: 'string', value: 'ID|NAME,...', description: 'region sets, one class each (named after the set)' },
    window: { type: 'string', value: 'BP', description: 'window length, centred on each region (default 200)' },
    negatives: { type: 'string', value: 'STRATEGY', description: 'gc-matched (default), random, shuffled or none' },
    ratio: { type: 'string', value: 'R', description: 'negatives per positive (default 1)' },
    margin: { type: 'string', value: 'BP', description: `no negative within this distance of a region (default ${DEFAULT_NEGATIVE_MARGIN})` },
    split: { type: 'string', value: 'SPEC', description: 'blocks:0.8,0.1,0.1 (default), random:0.8,0.1,0.1 or chroms:dev=chr2;test=chr3' },
    rc: { type: 'boolean', description: 'add reverse-complement copies of the training windows' },
    seed: { type: 'string', value: 'N', description: 'random seed (default 42)' },
    'from-table': { type: 'string', value: 'PATH', description: 'a GUE folder (train/dev/test.csv) or one labelled table (split at random)' },
  },
  async run(run) {
    const cmd = 'dataset build';
    const project = requireProject(run, cmd);
    if (typeof run.values.name !== 'string') throw new UsageError('--name NAME is required', cmd);
    const spec = await specFromFlags(run, project, cmd);
    const stop = showProgress(run);
    try {
      const d = await run.call('datasets.build', { project, name: run.values.name, spec });
      run.io.out(run.json ? printJson(d) : `Built dataset "${d.name}" (id ${d.id})\n${summaryText(d)}`);
    } finally {
      stop();
    }
  },
});

export const datasetList = defineCommand({
  name: 'dataset list',
  summary: "A project's datasets",
  options: projectOption,
  async run(run) {
    const project = requireProject(run, 'dataset list');
    const all = await run.call('datasets.list', { project });
    if (run.json) return run.io.out(printJson(all));
    if (!all.length) return run.io.out('No datasets. Build one with: loci dataset build --project FILE --name NAME ...');
    run.io.out(
      table(
        ['ID', 'NAME', 'SOURCE', 'VERSION OF', 'TRAIN', 'DEV', 'TEST', 'CLASSES'],
        all.map((d) => [String(d.id), d.name, d.source, d.version ? `${d.version.parentId} (${d.version.parentName})` : '', String(d.splits.train.sequences), String(d.splits.dev.sequences), String(d.splits.test.sequences), d.classes.join(', ')]),
      ),
    );
  },
});

export const datasetShow = defineCommand({
  name: 'dataset show',
  summary: 'A dataset summary with the first examples of each split',
  args: 'ID|NAME',
  positionals: { min: 1, max: 1 },
  options: { ...projectOption, examples: { type: 'string', value: 'N', description: 'examples per split (default 3)' } },
  async run(run) {
    const cmd = 'dataset show';
    const project = requireProject(run, cmd);
    const d = await resolveDataset(run, project, run.positionals[0]!, cmd);
    const got = await run.call('datasets.get', { project, id: d.id, examples: numberFlag(run, 'examples', cmd, true) ?? 3 });
    if (run.json) return run.io.out(printJson(got));
    const ex = got.examples.map((e) => [e.split, e.label, e.chrom === null || e.start === null || e.end === null ? '' : formatLocus({ chrom: e.chrom, start: e.start, end: e.end, strand: e.strand }), e.sequence.length > 60 ? `${e.sequence.slice(0, 57)}...` : e.sequence]);
    run.io.out(`${summaryText(got.summary)}\n\n${table(['SPLIT', 'LABEL', 'LOCUS', 'SEQUENCE'], ex)}`);
  },
});

export const datasetExport = defineCommand({
  name: 'dataset export',
  summary: 'Write a dataset as GUE-style CSV (train/dev/test.csv), FASTA or BED, with a manifest',
  args: 'ID|NAME',
  positionals: { min: 1, max: 1 },
  options: {
    ...projectOption,
    format: { type: 'string', value: 'csv|fasta|bed', description: 'file format (default csv)' },
    out: { type: 'string', value: 'DIR', description: 'folder to write into' },
    force: { type: 'boolean', description: 'replace files of the same names already in DIR' },
  },
  async run(run) {
    const cmd = 'dataset export';
    const project = requireProject(run, cmd);
    const format = typeof run.values.format === 'string' ? run.values.format : 'csv';
    if (format !== 'csv' && format !== 'fasta' && format !== 'bed') throw new UsageError(`--format must be csv, fasta or bed, got "${format}"`, cmd);
    if (typeof run.values.out !== 'string') throw new UsageError('--out DIR is required', cmd);
    const d = await resolveDataset(run, project, run.positionals[0]!, cmd);
    const r = await run.call('datasets.export', { project, datasetId: d.id, format, dir: resolve(run.values.out), overwrite: run.values.force === true });
    run.io.out(run.json ? printJson(r) : [`Wrote ${r.files.length} files:`, ...r.files.map((f) => `  ${f}`), ...(r.skipped ? [`(${r.skipped} windows without their own genome position left out of the BED)`] : [])].join('\n'));
  },
});

export const datasetRemove = defineCommand({
  name: 'dataset remove',
  summary: 'Delete a dataset from a project',
  args: 'ID|NAME',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const cmd = 'dataset remove';
    const project = requireProject(run, cmd);
    const d = await resolveDataset(run, project, run.positionals[0]!, cmd);
    await run.call('datasets.remove', { project, id: d.id });
    run.io.out(run.json ? printJson({ ok: true, id: d.id }) : `Removed dataset "${d.name}" (id ${d.id})`);
  },
});
