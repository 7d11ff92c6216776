// Writes a built dataset as files other tools read: GUE-style CSV (`sequence,label`, one file per
// split), FASTA (`>id label=... split=... chrom:start-end(strand)`, readable back by
// readLabelledSequences), BED6 (window coordinates, label as name) and a manifest (summary +
// provenance). Every file is streamed to a temp file in the same folder and renamed over the
// target, so a reader never sees half a file and a crash leaves the old one.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { SPLITS } from './spec';
import type { BuiltDataset, DatasetWindow } from './types';

export type ExportFormat = 'csv' | 'fasta' | 'bed' | 'manifest';

export interface ExportOptions {
  formats?: readonly ExportFormat[];
  /** CSV label column: the class index (GUE: 0, 1, ...) or its name. Default 'index'. */
  csvLabels?: 'index' | 'name';
  signal?: AbortSignal;
}

export interface ExportResult {
  files: string[];
  /** Windows left out of the BED: shuffled or imported ones have no genome position; RC copies repeat one. */
  bedSkipped: number;
}

/** Streams lines to `path` atomically (temp file + rename). */
export async function writeLinesAtomic(path: string, lines: Iterable<string>, signal?: AbortSignal): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const out = createWriteStream(tmp);
  // Opened before anything can fail, so the cleanup below never races the file's creation.
  await once(out, 'open');
  try {
    let buffer = '';
    for (const line of lines) {
      buffer += line + '\n';
      if (buffer.length >= 1 << 20) {
        signal?.throwIfAborted();
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    }
    out.end(buffer);
    await once(out, 'finish');
    await rename(tmp, target);
  } catch (e) {
    if (!out.closed) {
      const closed = once(out, 'close');
      out.destroy();
      await closed;
    }
    await rm(tmp, { force: true });
    throw e;
  }
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function* csvLines(windows: Iterable<DatasetWindow>, labels: 'index' | 'name' = 'index'): Generator<string> {
  yield 'sequence,label';
  for (const w of windows) yield `${w.sequence},${labels === 'index' ? w.labelIndex : csvField(w.label)}`;
}

/** `chrom:start-end(strand)` with 0-based half-open coordinates, as in the BED. */
export function locus(w: DatasetWindow): string {
  return `${w.chrom}:${w.start}-${w.end}(${w.strand})`;
}

export function* fastaLines(windows: Iterable<DatasetWindow>, width = 80): Generator<string> {
  for (const w of windows) {
    const where = w.origin === 'imported' ? '' : ` ${locus(w)}`;
    const extra = `${w.origin === 'positive' ? '' : ` origin=${w.origin}`}${w.augmented ? ' rc=1' : ''}`;
    yield `>${w.id} label=${w.label.replace(/\s/g, '_')} split=${w.split}${where}${extra}`;
    for (let i = 0; i < w.sequence.length; i += width) yield w.sequence.slice(i, i + width);
  }
}

/** Windows the BED can show: one per genome position (no RC copies, no shuffled or imported). */
export function bedWindows(windows: readonly DatasetWindow[]): DatasetWindow[] {
  return windows
    .filter((w) => (w.origin === 'positive' || w.origin === 'background') && !w.augmented)
    .sort((a, b) => (a.chrom < b.chrom ? -1 : a.chrom > b.chrom ? 1 : a.start - b.start || a.end - b.end || a.strand.localeCompare(b.strand)));
}

export function* bedLines(windows: Iterable<DatasetWindow>): Generator<string> {
  for (const w of windows) yield [w.chrom, w.start, w.end, w.label.replace(/\s/g, '_'), 0, w.strand].join('\t');
}

const ALL_FORMATS: readonly ExportFormat[] = ['csv', 'fasta', 'bed', 'manifest'];

/** The file names exportDataset writes for these formats (so a caller can check for existing ones first). */
export function exportFileNames(formats: readonly ExportFormat[] = ALL_FORMATS): string[] {
  const f = new Set(formats);
  return [
    ...(f.has('csv') ? SPLITS.map((s) => `${s}.csv`) : []),
    ...(f.has('fasta') ? ['dataset.fa'] : []),
    ...(f.has('bed') ? ['dataset.bed'] : []),
    ...(f.has('manifest') ? ['manifest.json'] : []),
  ];
}

/** Writes the chosen formats into `dir`: train.csv dev.csv test.csv, dataset.fa, dataset.bed, manifest.json. */
export async function exportDataset(ds: BuiltDataset, dir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const formats = new Set(opts.formats ?? ALL_FORMATS);
  const files: string[] = [];
  let bedSkipped = 0;
  const write = async (name: string, lines: Iterable<string>) => {
    const path = join(resolve(dir), name);
    await writeLinesAtomic(path, lines, opts.signal);
    files.push(path);
  };
  if (formats.has('csv')) {
    for (const split of SPLITS) await write(`${split}.csv`, csvLines(ds.windows.filter((w) => w.split === split), opts.csvLabels ?? 'index'));
  }
  if (formats.has('fasta')) await write('dataset.fa', fastaLines(ds.windows));
  if (formats.has('bed')) {
    const shown = bedWindows(ds.windows);
    bedSkipped = ds.windows.length - shown.length;
    await write('dataset.bed', bedLines(shown));
  }
  if (formats.has('manifest')) {
    await write('manifest.json', [JSON.stringify({ classes: ds.classes, summary: ds.summary, provenance: ds.provenance }, null, 2)]);
  }
  return { files, bedSkipped };
}
