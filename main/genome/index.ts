// Genome and label file readers: transport-free, DB-free. Every long call takes an AbortSignal and
// a progress callback (LongCallOptions); every bad input raises or collects an InputError.
export * from './errors';
export type { LongCallOptions, ProgressFn } from './progress';
export { IUPAC_NUCLEOTIDES, firstNonIupac } from './iupac';
export { probeFile, readTextLines } from './io';
export type { Compression, FileKind, TextLine } from './io';
export * from './fasta/index';
export { readBed } from './bed';
export type { BedReadResult, BedRecord, ReadBedOptions } from './bed';
export { listGffTypes, readGff, startSites } from './gff';
export type { GffFeature, GffReadResult, PointRegion, ReadGffOptions } from './gff';
export { readLabelledSequences, splitDelimited } from './table';
export type { LabelledFormat, LabelledReadResult, LabelledSequence, ReadLabelledOptions } from './table';
export { ChromChecker, alternativeNames, suggestChromMapping, toSizeMap } from './chroms';
export type { ChromDescriptions, ChromMapping, ChromSizes } from './chroms';
