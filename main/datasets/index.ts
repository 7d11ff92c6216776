// Dataset builder: labelled windows from a genome and regions (or from split tables), with
// negatives, splits, augmentation, a summary, provenance and exports. Plain data; no DB rows.
export { BUILDER_VERSION, buildDataset } from './build';
export { bedLines, csvLines, exportDataset, exportFileNames, fastaLines, writeLinesAtomic } from './export';
export type { ExportFormat, ExportOptions, ExportResult } from './export';
export { buildFromSpecFile, loadSpecFile, readRegionSets } from './from-files';
export { IntervalIndex, WindowBuckets } from './intervals';
export { allocate, gcHistogram, ksDistance } from './negatives';
export { Rng } from './prng';
export { gcFraction, reverseComplement, sequenceStats } from './sequence';
export { dinucleotideCounts, dinucleotideShuffle } from './shuffle';
export { SPLITS, buildParams, parseBuildParams, specFile } from './spec';
export type { BuildParams, BuildParamsInput, SpecFile, SplitName } from './spec';
export { guardOverlaps, planSplits } from './splits';
export { memorySource, openFastaSource } from './sources';
export { formatSummary } from './summary';
export { readSplitFolder } from './table-import';
export type * from './types';
