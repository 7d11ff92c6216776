// The dataset form's state and how it becomes a `datasets.build` spec. Kept apart from the form so
// the defaults and the mapping read in one place. Values go to the API as typed: the contract
// validates them and its field-level issues show under the inputs (see `settingFields`).
import { DEFAULT_NEGATIVE_MARGIN, type DatasetSpec, type Genome } from '../../../../../shared/contract/data';

export type Placement = 'centred' | 'tiled' | 'sampled';
export type Anchor = 'centre' | 'start' | 'end';
export type LabelSource = 'set' | 'name' | 'score';
export type NegativeStrategy = 'gc-matched' | 'shuffled' | 'random' | 'none';
export type SplitKind = 'chromosomes' | 'blocks' | 'random';

/** NumberInput gives '' while the field is empty; such a value is left out of the spec. */
export type Num = number | string;

export interface Percentages {
  train: Num;
  dev: Num;
  test: Num;
}

export interface RegionSettings {
  name: string;
  regionSetIds: number[];
  windowLength: Num;
  placement: Placement;
  anchor: Anchor;
  stride: Num;
  perRegion: Num;
  orientByStrand: boolean;
  labels: LabelSource;
  scoreThreshold: Num;
  scoreAbove: string;
  scoreBelow: string;
  negatives: NegativeStrategy;
  ratio: Num;
  margin: Num;
  negativeLabel: string;
  maxNPercent: Num;
  split: SplitKind;
  devChroms: string[];
  testChroms: string[];
  percentages: Percentages;
  blockSize: Num;
  rcAugment: boolean;
  seed: Num;
}

export interface TableSettings {
  name: string;
  /** random: one file split by the fractions; files: the file is train, dev and test are given. */
  split: 'random' | 'files';
  percentages: Percentages;
  devPath: string;
  testPath: string;
  seed: Num;
}

const num = (v: Num): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function fractions(p: Percentages): { train: number; dev: number; test: number } {
  // Percent in the form, fractions in the API; rounding keeps 70/15/15 adding up to exactly 1.
  const f = (v: Num) => Math.round((num(v) ?? 0) * 100) / 10_000;
  return { train: f(p.train), dev: f(p.dev), test: f(p.test) };
}

export function percentTotal(p: Percentages): number {
  return (num(p.train) ?? 0) + (num(p.dev) ?? 0) + (num(p.test) ?? 0);
}

/**
 * A split that keeps held-out data away from training: whole chromosomes when the genome has at
 * least three sizeable ones (the second and third largest go to test and dev), otherwise blocks of
 * each chromosome (bacteria: one chromosome).
 */
export function suggestedSplit(genome: Genome | undefined): Pick<RegionSettings, 'split' | 'devChroms' | 'testChroms'> {
  const bySize = [...(genome?.sequences ?? [])].sort((a, b) => b.length - a.length);
  const total = bySize.reduce((a, s) => a + s.length, 0);
  const [, second, third] = bySize;
  if (second && third && third.length >= 0.05 * total) return { split: 'chromosomes', testChroms: [second.name], devChroms: [third.name] };
  return { split: 'blocks', testChroms: [], devChroms: [] };
}

export function defaultRegionSettings(genome: Genome | undefined, set: { id: number; name: string } | undefined): RegionSettings {
  return {
    name: set ? `${set.name} vs background` : '',
    regionSetIds: set ? [set.id] : [],
    windowLength: 200,
    placement: 'centred',
    anchor: 'centre',
    stride: 100,
    perRegion: 2,
    orientByStrand: true,
    labels: 'set',
    scoreThreshold: 0,
    scoreAbove: 'high',
    scoreBelow: '',
    negatives: 'gc-matched',
    ratio: 1,
    margin: DEFAULT_NEGATIVE_MARGIN,
    negativeLabel: 'background',
    maxNPercent: 1,
    ...suggestedSplit(genome),
    percentages: { train: 80, dev: 10, test: 10 },
    blockSize: '',
    rcAugment: false,
    seed: 42,
  };
}

export function defaultTableSettings(fileName: string): TableSettings {
  return { name: fileName.replace(/\.(csv|tsv|txt|fa|fasta|fna)(\.gz)?$/i, ''), split: 'random', percentages: { train: 80, dev: 10, test: 10 }, devPath: '', testPath: '', seed: 42 };
}

function windowSpec(s: RegionSettings) {
  const length = num(s.windowLength) ?? 0;
  if (s.placement === 'tiled') return { mode: 'tiled' as const, length, stride: num(s.stride) ?? 0 };
  if (s.placement === 'sampled') return { mode: 'sampled' as const, length, perRegion: num(s.perRegion) ?? 0 };
  return { mode: 'centred' as const, length, anchor: s.anchor };
}

function labelSpec(s: RegionSettings) {
  if (s.labels === 'score') {
    return { from: 'score' as const, threshold: num(s.scoreThreshold) ?? 0, above: s.scoreAbove.trim(), below: s.scoreBelow.trim() || null };
  }
  return { from: s.labels };
}

export function regionsSpec(s: RegionSettings, genomeId: number): DatasetSpec {
  const ratio = num(s.ratio);
  const margin = num(s.margin);
  const maxN = num(s.maxNPercent);
  const seed = num(s.seed);
  const blockSize = num(s.blockSize);
  const split =
    s.split === 'chromosomes'
      ? { kind: 'chromosomes' as const, dev: s.devChroms, test: s.testChroms }
      : s.split === 'blocks'
        ? { kind: 'blocks' as const, fractions: fractions(s.percentages), ...(blockSize !== undefined && { blockSize }) }
        : { kind: 'random' as const, fractions: fractions(s.percentages) };
  return {
    source: 'regions',
    genomeId,
    regionSets: s.regionSetIds.map((id) => ({ id })),
    labels: labelSpec(s),
    window: windowSpec(s),
    orientByStrand: s.orientByStrand,
    negatives: {
      strategy: s.negatives,
      ...(ratio !== undefined && { ratio }),
      ...(margin !== undefined && { margin }),
      ...(s.negativeLabel.trim() && { label: s.negativeLabel.trim() }),
    },
    ...(maxN !== undefined && { maxNFraction: maxN / 100 }),
    split,
    rcAugment: s.rcAugment,
    ...(seed !== undefined && { seed }),
  };
}

export function tableSpec(s: TableSettings, path: string): DatasetSpec {
  if (s.split === 'files') {
    return { source: 'tables', train: path, ...(s.devPath.trim() && { dev: s.devPath.trim() }), ...(s.testPath.trim() && { test: s.testPath.trim() }) };
  }
  const seed = num(s.seed);
  return { source: 'table', path, fractions: fractions(s.percentages), ...(seed !== undefined && { seed }) };
}

/** The API's issue paths for each input of the form (`fieldErrors` matches them and their children). */
export const settingFields = [
  'name',
  'spec.regionSets',
  'spec.window.length',
  'spec.window.stride',
  'spec.window.perRegion',
  'spec.window',
  'spec.labels',
  'spec.negatives.ratio',
  'spec.negatives.margin',
  'spec.negatives.label',
  'spec.negatives',
  'spec.maxNFraction',
  'spec.split.dev',
  'spec.split.test',
  'spec.split.fractions',
  'spec.split.blockSize',
  'spec.split',
  'spec.seed',
  'spec.path',
  'spec.train',
  'spec.dev',
  'spec.test',
  'spec.fractions',
  'spec.dir',
] as const;
export type SettingField = (typeof settingFields)[number];
