// One way to show a length in base pairs to people, used by the renderer and the CLI alike
// (issue 10: a genome was "4.64 Mb" on one page and "4,641,652 bp" on the next).
//
// The rule: a length is shown exact, "4,641,652 bp", with 'en-US' separators whatever the locale
// (genome and sequence lists, import summaries, windows, regions, messages). The short form
// ("4.64 Mb") is only for numbers that change while you watch (a scan's progress and speed), and
// wherever it is shown the exact value (`formatBp`) is in its title.
import { formatPosition } from './locus';

/** 4641652 -> "4,641,652 bp". */
export function formatBp(bp: number): string {
  return `${formatPosition(bp)} bp`;
}

/** A span of lengths: "200 bp" when they agree, else "70–300 bp". */
export function formatBpRange(min: number, max: number): string {
  return min === max ? formatBp(min) : `${formatPosition(min)}–${formatBp(max)}`;
}

const UNITS = [
  { size: 1e9, unit: 'Gb', digits: 2 },
  { size: 1e6, unit: 'Mb', digits: 2 },
  { size: 1e3, unit: 'kb', digits: 1 },
] as const;

/**
 * 4641652 -> "4.64 Mb", 48000 -> "48 kb"; under 10,000 the exact "9,999 bp". Only for live
 * progress, with `formatBp` of the same number in a title next to it.
 */
export function formatBpShort(bp: number): string {
  if (Math.abs(bp) < 1e4) return formatBp(bp);
  // The largest unit the value reaches once rounded (999,999 bp is "1 Mb", not "1,000 kb").
  for (const { size, unit, digits } of UNITS) {
    const shown = Number((bp / size).toFixed(digits));
    if (Math.abs(shown) >= 1) return `${shown.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`;
  }
  return formatBp(bp);
}

