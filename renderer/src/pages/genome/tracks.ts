// The tracks the Genome view can show, as igv.js configurations, and the user's arrangement of them
// (visible, order, colour, height) merged with what the project has now. Pure functions: the page
// feeds them the API's answers; the igv session loads what comes out.
import type { TrackLoad, TrackType } from 'igv';
import type { Annotation } from '../../../../shared/contract/annotations';
import type { TrackSetting, ViewFeature, ViewTracks } from '../../../../shared/contract/genome-view';

export type TrackGroup = 'Annotations' | 'Scans' | 'Called regions' | 'Region sets' | 'Datasets' | 'Your files';

/** A scan's track for one class of interest, as the page learnt it from scans.track / scans.get. */
export interface ScanTrackSource {
  scanId: number;
  classIndex: number;
  className: string;
  scanName: string;
  fileId: string;
  threshold: number;
}

export interface TrackDescriptor {
  key: string;
  name: string;
  group: TrackGroup;
  /** Shown in the panel under the name. */
  detail: string;
  defaultColor: string;
  defaultHeight: number;
  /** Colour fixed by the data (dataset splits): the panel shows a legend instead of a picker. */
  legend?: { label: string; color: string }[];
  build: (look: { color: string; height: number }) => TrackLoad<TrackType>;
  /** Changes when the track's data changed and igv must read it again (annotations after an edit). */
  revision?: number;
}

export interface ArrangedTrack {
  descriptor: TrackDescriptor;
  visible: boolean;
  color: string;
  height: number;
}

/** Distinct, colour-blind-friendly hues (Okabe–Ito), one per class or set. */
import { PALETTE } from '../../../../shared/class-colors';
export { PALETTE };
const SPLIT_COLORS: Record<'train' | 'dev' | 'test', string> = { train: '#0072B2', dev: '#E69F00', test: '#009E73' };

export const colorAt = (i: number): string => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length]!;

/** Mix a #rrggbb colour with white: t = 0 the colour, 1 white. */
export function lighten(hex: string, t: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = (shift: number) => Math.round(((n >> shift) & 255) + (255 - ((n >> shift) & 255)) * t);
  return `#${[16, 8, 0].map((s) => ch(s).toString(16).padStart(2, '0')).join('')}`;
}

/** Dataset examples: hue by split, lighter for the first (background) class of a dataset. */
export function exampleColor(split: 'train' | 'dev' | 'test' | undefined, classIndex: number): string {
  const base = SPLIT_COLORS[split ?? 'train'];
  return classIndex === 0 ? lighten(base, 0.55) : lighten(base, Math.min(0.4, (classIndex - 1) * 0.2));
}

/** What igv draws for a feature: igv's field names (chr), with our fields kept for the details panel. */
export function toIgvFeature(f: ViewFeature): Record<string, unknown> {
  return { ...f, chr: f.chrom };
}

export interface Readers {
  features: (source: { kind: 'regionSet' | 'dataset'; id: number }, chr: string, start: number, end: number) => Promise<Record<string, unknown>[]>;
  calledRegions: (scanId: number, classIndex: number, chr: string, start: number, end: number) => Promise<Record<string, unknown>[]>;
  annotations: (chr: string, start: number, end: number) => Promise<Annotation[]>;
  fileUrl: (fileId: string) => string;
}

const igvFormat = { bigwig: 'bigwig', bedgraph: 'bedgraph', bed: 'bed', gff3: 'gff3', bam: 'bam', cram: 'cram' } as const;

export function describeTracks(data: ViewTracks, scans: readonly ScanTrackSource[], readers: Readers): TrackDescriptor[] {
  const out: TrackDescriptor[] = [];
  scans.forEach((s, i) => {
    const color = colorAt(s.classIndex + i);
    out.push({
      key: `scan:${s.scanId}:${s.classIndex}`,
      name: `${s.scanName} · ${s.className} score`,
      group: 'Scans',
      detail: 'per-base score, 0–1',
      defaultColor: color,
      defaultHeight: 70,
      build: ({ color, height }) =>
        ({
          type: 'wig',
          format: 'bigwig',
          name: `${s.scanName} · ${s.className} score`,
          url: readers.fileUrl(s.fileId),
          color,
          height,
          autoscale: false,
          min: 0,
          max: 1,
          windowFunction: 'max',
          guidelines: [{ color: '#868e96', y: s.threshold, dotted: true }],
        }) as TrackLoad<TrackType>,
    });
    out.push({
      key: `regions:${s.scanId}:${s.classIndex}`,
      name: `${s.scanName} · ${s.className} regions`,
      group: 'Called regions',
      detail: `score ≥ ${s.threshold.toFixed(2)}`,
      defaultColor: color,
      // Tall enough for the "max 0.93" label under each region (at 30 px igv clips it).
      defaultHeight: 50,
      build: ({ color, height }) =>
        ({
          type: 'annotation',
          name: `${s.scanName} · ${s.className} regions ≥ ${s.threshold.toFixed(2)}`,
          displayMode: 'COLLAPSED',
          color,
          height,
          // Re-read when the threshold changes: the threshold is part of the signature.
          reader: { readFeatures: (chr: string, start: number, end: number) => readers.calledRegions(s.scanId, s.classIndex, chr, start, end) },
        }) as unknown as TrackLoad<TrackType>,
    });
  });
  data.regionSets.forEach((r, i) => {
    out.push({
      key: `regionSet:${r.id}`,
      name: r.name,
      group: 'Region sets',
      detail: `${r.format.toUpperCase()} · ${r.count.toLocaleString('en-US')} regions`,
      defaultColor: lighten(colorAt(i + 5), 0.1),
      defaultHeight: 50,
      build: ({ color, height }) =>
        ({
          type: 'annotation',
          name: r.name,
          displayMode: 'EXPANDED',
          color,
          height,
          reader: { readFeatures: (chr: string, start: number, end: number) => readers.features({ kind: 'regionSet', id: r.id }, chr, start, end) },
        }) as unknown as TrackLoad<TrackType>,
    });
  });
  for (const d of data.datasets) {
    const classIndex = new Map(d.classes.map((c, i) => [c, i]));
    out.push({
      key: `dataset:${d.id}`,
      name: `${d.name} (labels)`,
      group: 'Datasets',
      detail: `${d.count.toLocaleString('en-US')} examples · ${d.classes.join(', ')}`,
      defaultColor: SPLIT_COLORS.train,
      defaultHeight: 50,
      legend: (['train', 'dev', 'test'] as const).flatMap((split) => d.classes.map((c, i) => ({ label: `${split} · ${c}`, color: exampleColor(split, i) }))),
      build: ({ height }) =>
        ({
          type: 'annotation',
          name: `${d.name} (labels)`,
          displayMode: 'EXPANDED',
          height,
          color: (f: { split?: 'train' | 'dev' | 'test'; label?: string }) => exampleColor(f.split, classIndex.get(f.label ?? '') ?? 1),
          reader: { readFeatures: (chr: string, start: number, end: number) => readers.features({ kind: 'dataset', id: d.id }, chr, start, end) },
        }) as unknown as TrackLoad<TrackType>,
    });
  }
  data.files.forEach((f, i) => {
    if (f.fileId === null) return;
    const fileId = f.fileId;
    const wig = f.format === 'bigwig' || f.format === 'bedgraph';
    const reads = f.format === 'bam' || f.format === 'cram';
    out.push({
      key: `file:${f.id}`,
      name: f.name,
      group: 'Your files',
      detail: `${f.format}${f.indexPath ? ' + index' : ''}`,
      defaultColor: colorAt(i + 2),
      defaultHeight: reads ? 200 : wig ? 60 : 50,
      build: ({ color, height }) =>
        ({
          type: wig ? 'wig' : reads ? 'alignment' : 'annotation',
          format: igvFormat[f.format],
          name: f.name,
          url: readers.fileUrl(fileId),
          ...(f.indexFileId && { indexURL: readers.fileUrl(f.indexFileId) }),
          // igv guesses from the URL, which is /files/<id>: say it.
          indexed: f.indexFileId !== null,
          filename: f.path.split(/[\\/]/).pop(),
          color,
          height,
          ...(wig && { autoscale: true }),
        }) as unknown as TrackLoad<TrackType>,
    });
  });
  return out;
}

/**
 * The user's arrangement applied to the tracks there are now: stored tracks first in their stored
 * order, then new ones (shown, in the descriptors' order); stored keys of tracks gone are dropped.
 */
export function arrangeTracks(descriptors: readonly TrackDescriptor[], settings: readonly TrackSetting[]): ArrangedTrack[] {
  const byKey = new Map(descriptors.map((d) => [d.key, d]));
  const seen = new Set<string>();
  const out: ArrangedTrack[] = [];
  for (const s of settings) {
    const d = byKey.get(s.key);
    if (!d || seen.has(s.key)) continue;
    seen.add(s.key);
    out.push({ descriptor: d, visible: s.visible, color: d.legend ? d.defaultColor : (s.color ?? d.defaultColor), height: s.height ?? d.defaultHeight });
  }
  for (const d of descriptors) if (!seen.has(d.key)) out.push({ descriptor: d, visible: true, color: d.defaultColor, height: d.defaultHeight });
  return out;
}

/** What to store: only what differs from the defaults is worth keeping, but order needs every key. */
export function settingsOf(arranged: readonly ArrangedTrack[]): TrackSetting[] {
  return arranged.map((a) => ({
    key: a.descriptor.key,
    visible: a.visible,
    ...(a.color !== a.descriptor.defaultColor && !a.descriptor.legend && { color: a.color }),
    ...(a.height !== a.descriptor.defaultHeight && { height: a.height }),
  }));
}

/** Move the track at `from` to `to` (both indices in the arranged list). */
export function moveTrack<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}
