// What a report is built from: plain data gathered by main/api/reports.ts from the project (the
// same records the services return), so the builders here are pure functions of it and a test can
// build a report from a hand-made record.
import type { DatasetSummary, Genome, RegionSet } from '../../shared/contract/data';
import type { Pin } from '../../shared/contract/genome-view';
import type { ModelCard, ProjectModel } from '../../shared/contract/models';
import type { ScanInfo, ScanRegion } from '../../shared/contract/scans';
import type { RunDetail } from '../../shared/contract/training';
import type { LocusView } from './tracks';

/** Windows per GC bin, per split and class: `counts[split][class][bin]`. */
export interface GcHistogram {
  bins: number;
  counts: Record<'train' | 'dev' | 'test', Record<string, number[]>>;
}

export interface RunReportData {
  project: { path: string; name: string };
  run: RunDetail;
  /** null when the dataset was removed from the project after the run. */
  dataset: { summary: DatasetSummary; gc: GcHistogram; testDigest: string } | null;
  genome: Genome | null;
  /** The region sets the dataset was built from (those still in the project). */
  regionSets: RegionSet[];
  baseModel: ProjectModel | null;
  baseCard: ModelCard | null;
  outputModel: ProjectModel | null;
  /** The genome scans made with this run's model, newest first. */
  scans: ScanReport[];
  /** The loci the user pinned on the run's genomes, drawn as the Genome view shows them (absent in hand-made records). */
  pins?: PinReport[];
  /** [name, version] of everything that produced the figures. */
  software: [string, string][];
  generatedAt: string;
}

/** A scan and, once it is done, each tracked class's score distribution and called regions. */
export interface ScanReport {
  scan: ScanInfo;
  perClass: {
    classIndex: number;
    /** Scanned bases per score bin of width 1 / bases.length (the last includes 1). */
    bases: number[];
    /** Scanned bases scoring at or above the threshold. */
    basesAbove: number;
    /** Every region called at the scan's stored threshold, in genome order. */
    regions: ScanRegion[];
    /** The strongest regions drawn as the Genome view shows them (absent in hand-made records). */
    loci?: LocusView[];
  }[];
}

/** A pinned locus and its image: the score of the newest of the run's scans of that genome, where there is one. */
export interface PinReport {
  pin: Pin;
  view: LocusView;
  /** The scan and class whose per-base score and called regions are drawn, or null (no finished scan of the run on that genome). */
  scan: { id: number; name: string; className: string } | null;
}

/**
 * One section of a report: a later feature (genome scans, annotations, interpretation) adds a
 * builder to the list in sections.ts. `build` returns null when the section does not apply to this
 * run, so a report never shows an empty heading; a section that applies but has nothing to show
 * (a cancelled run's test metrics) says what is missing instead.
 */
export interface SectionBuilder<D> {
  id: string;
  title: string;
  build(data: D): string | null;
}
