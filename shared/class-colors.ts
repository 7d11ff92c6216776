// Colours of classes and tracks, the same in the Genome view, the annotation table and exported
// files (BED itemRgb): the Okabe-Ito palette, distinguishable with the common colour-vision
// deficiencies, in a fixed order so a class keeps its colour while the class list only grows.

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

/** The colour of the class at `index` of a genome's class list. */
export function classColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** '#D55E00' -> '213,94,0' (BED's itemRgb). */
export function itemRgb(color: string): string {
  const n = Number.parseInt(color.slice(1), 16);
  return `${(n >> 16) & 255},${(n >> 8) & 255},${n & 255}`;
}
