// The annotations as one igv.js track, coloured by class (the colour annotations.list gives each
// one, the same as the table and the exported BED's itemRgb), read per visible window.
import type { TrackLoad, TrackType } from 'igv';
import type { Annotation } from '../../../../../shared/contract/annotations';
import type { TrackDescriptor } from '../tracks';

export const ANNOTATIONS_KEY = 'annotations';

export function annotationsDescriptor(count: number, classes: { name: string; color: string }[], revision: number, read: (chr: string, start: number, end: number) => Promise<Annotation[]>): TrackDescriptor {
  return {
    key: ANNOTATIONS_KEY,
    name: 'Your annotations',
    group: 'Annotations',
    detail: `${count.toLocaleString('en-US')} annotation${count === 1 ? '' : 's'}`,
    defaultColor: classes[0]?.color ?? '#0072B2',
    defaultHeight: 50,
    legend: classes.map((c) => ({ label: c.name, color: c.color })),
    revision,
    build: ({ height }) =>
      ({
        type: 'annotation',
        name: 'Your annotations',
        displayMode: 'EXPANDED',
        height,
        color: (f: { lociColor?: string }) => f.lociColor ?? '#0072B2',
        reader: {
          readFeatures: async (chr: string, start: number, end: number) =>
            (await read(chr, start, end)).map((a) => ({ chr: a.chrom, start: a.start, end: a.end, name: a.label, lociColor: a.color, annotationId: a.id, ...(a.note && { note: a.note }) })),
        },
      }) as unknown as TrackLoad<TrackType>,
  };
}
