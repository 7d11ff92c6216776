// Benchmark: 10,000 annotations on a 2 Mb genome (two chromosomes, 4 classes), through the same
// services the Genome view calls. Times the table's queries (first page filtered by class, by
// chromosome + class, by text), a jump (the track's read of the ~2 kb window around one
// annotation), conflicts, the BED import of all 10,000 (one change), its undo, and export.
// The target: filter and jump under 100 ms. No peer: IGV and JBrowse keep annotations in
// memory of the page, not in a queried store, so there is no like-for-like figure to print beside ours.
//   node --import tsx bench/annotations.ts [--n 10000] [--repeats 20]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '../main/api/context';
import { dispatch } from '../main/api/dispatch';
import { closeServices, createServices } from '../main/api/index';
import { Rng } from '../main/datasets/prng';
import type { MethodInput, MethodName, MethodOutput } from '../shared/contract';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('--n', 10_000);
const REPEATS = opt('--repeats', 20);
const CHROM = 1_000_000;

const dir = mkdtempSync(join(tmpdir(), 'loci-bench-ann-'));
const ctx = createAppContext({ dataDir: join(dir, 'data'), mode: 'cli', log: { info() {}, warn() {}, error() {} } });
const services = createServices(ctx);
const call = <M extends MethodName>(m: M, input: MethodInput<M>) => dispatch(services, m, input) as Promise<MethodOutput<M>>;

async function time(label: string, fn: () => Promise<unknown>, repeats = REPEATS): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)]!;
  const p95 = ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.95))]!;
  console.log(`${label.padEnd(52)} ${median.toFixed(1).padStart(8)} ms median  ${p95.toFixed(1).padStart(8)} ms p95  (${repeats}x)`);
}

try {
  const rng = new Rng(1);
  const fasta = join(dir, 'g.fa');
  let text = '';
  for (const c of ['chr1', 'chr2']) {
    text += `>${c}\n`;
    const line: string[] = [];
    for (let i = 0; i < CHROM; i++) {
      line.push('ACGT'[rng.int(4)]!);
      if (line.length === 60) {
        text += line.join('') + '\n';
        line.length = 0;
      }
    }
    if (line.length) text += line.join('') + '\n';
  }
  writeFileSync(fasta, text);
  const project = (await call('projects.create', { name: 'Bench', path: join(dir, 'bench.loci') })).path;
  await call('genomes.import', { project, path: fasta, name: 'bench' });
  const classes = ['enhancer', 'promoter', 'silencer', 'insulator'];
  const bed: string[] = [];
  for (let i = 0; i < N; i++) {
    const start = rng.int(CHROM - 2000);
    bed.push(`chr${1 + rng.int(2)}\t${start}\t${start + 50 + rng.int(1500)}\t${classes[rng.int(4)]}`);
  }
  const bedPath = join(dir, 'ann.bed');
  writeFileSync(bedPath, bed.join('\n') + '\n');

  console.log(`Annotations bench: ${N.toLocaleString('en-US')} annotations, 2 x ${CHROM.toLocaleString('en-US')} bp, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let t = performance.now();
  const imp = await call('annotations.import', { project, path: bedPath, newClasses: true });
  console.log(`${'import BED (one change, line checks included)'.padEnd(52)} ${(performance.now() - t).toFixed(1).padStart(8)} ms  (${imp.added} annotations)`);
  const sample = (await call('annotations.list', { project, limit: 1, offset: Math.floor(N / 2) })).annotations[0]!;
  await time('table: first page, filter by class', () => call('annotations.list', { project, labels: ['promoter'], limit: 200 }));
  await time('table: first page, chromosome + 2 classes', () => call('annotations.list', { project, chrom: 'chr2', labels: ['enhancer', 'silencer'], limit: 200 }));
  await time('table: first page, text search', () => call('annotations.list', { project, text: 'insul', limit: 200 }));
  await time('table: sorted by last change, page 10', () => call('annotations.list', { project, sort: 'changed', limit: 200, offset: 1800 }));
  await time('jump: track read of the window around one', () => call('annotations.list', { project, chrom: sample.chrom, start: Math.max(0, sample.start - 500), end: sample.end + 500, limit: 20_000 }));
  await time('track read of a 100 kb window', () => call('annotations.list', { project, chrom: 'chr1', start: 400_000, end: 500_000, limit: 20_000 }));
  await time('conflicts (all pairs)', () => call('annotations.conflicts', { project }), 5);
  await time('export BED', () => call('annotations.export', { project, format: 'bed', out: join(dir, 'out.bed') }), 5);
  t = performance.now();
  await call('annotations.undo', { project });
  console.log(`${'undo the import (10,000 rows)'.padEnd(52)} ${(performance.now() - t).toFixed(1).padStart(8)} ms`);
  t = performance.now();
  await call('annotations.redo', { project });
  console.log(`${'redo it'.padEnd(52)} ${(performance.now() - t).toFixed(1).padStart(8)} ms`);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  closeServices(ctx);
  rmSync(dir, { recursive: true, force: true });
}
