// The toy genomes the end-to-end tests write (and the project with a fine-tuned run that the scan
// and interpretation tests start from), and what they read back from the Genome view: igv's locus
// box and track labels, its loaded tracks and painted pixels.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { writeKmerClassifier } from '../integration/scan-fixture';
import { until, type E2eSession } from './browser-mode';

/** `n` random bases (A, C, G, T only) from a seeded LCG: the same genome every run. */
export function randomBases(n: number, seed: number): string {
  let s = seed >>> 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push('ACGT'[s >>> 30]!);
  }
  return out.join('');
}

export const MOTIF = 'TGACGTCATTTAAATG';
/** writeMotifGenome's chromosomes, their length and the distance between planted sites. */
export const MOTIF_GENOME = { chroms: ['chr1', 'chr2'], length: 24_000, siteStep: 300 } as const;

/**
 * Two 24 kb chromosomes with MOTIF every 300 bp from 200 on chr1's first half and on chr2 (so chr1's
 * second half has none): `<prefix>-genome.fa`, the BED of the sites `<prefix>-sites.bed`, and the sequences.
 */
export function writeMotifGenome(dir: string, prefix: string): { genome: string; sites: string; seqs: Record<string, string> } {
  const { chroms, length, siteStep } = MOTIF_GENOME;
  let fasta = '';
  const bed: string[] = [];
  const seqs: Record<string, string> = {};
  let k = 0;
  for (const [i, chrom] of chroms.entries()) {
    const seq = randomBases(length, 31 + i).split('');
    const last = chrom === 'chr1' ? length / 2 : length - 300;
    for (let pos = 200; pos + MOTIF.length < last; pos += siteStep) {
      seq.splice(pos, MOTIF.length, ...MOTIF);
      bed.push([chrom, pos, pos + MOTIF.length, `site${++k}`, 0, '+'].join('\t'));
    }
    seqs[chrom] = seq.join('');
    fasta += `>${chrom}\n${seqs[chrom].replace(/(.{60})/g, '$1\n')}\n`;
  }
  const genome = join(dir, `${prefix}-genome.fa`);
  writeFileSync(genome, fasta);
  const sites = join(dir, `${prefix}-sites.bed`);
  writeFileSync(sites, bed.join('\n') + '\n');
  return { genome, sites, seqs };
}

/**
 * The e2e tests' dataset: `window` bp windows centred on a region set's sites (class 'motif')
 * against `negatives` background 1:1 (margin 40), a random 70/15/15 split, seed 3.
 */
export function buildMotifDataset(api: E2eSession['api'], o: { project: string; genomeId: number; regionSetId: number; window: number; negatives: 'random' | 'gc-matched'; name?: string }) {
  return api('datasets.build', {
    project: o.project,
    name: o.name ?? 'Motif vs background',
    spec: {
      source: 'regions',
      genomeId: o.genomeId,
      regionSets: [{ id: o.regionSetId, label: 'motif' }],
      window: { mode: 'centred', length: o.window },
      negatives: { strategy: o.negatives, ratio: 1, margin: 40 },
      split: { kind: 'random', fractions: { train: 0.7, dev: 0.15, test: 0.15 } },
      seed: 3,
    },
  });
}

/**
 * The scan and interpretation tests' start: a project `<prefix>-view.loci` with writeMotifGenome's
 * genome and sites, buildMotifDataset's dataset (60 bp windows, random background) and a finished fine-tuning
 * run of a 1-layer, 16-wide BERT on overlapping 3-mers (it learns the motif in seconds on wasm).
 */
export async function motifProjectWithRun(env: E2eSession, prefix: string, projectName: string): Promise<{ project: string; runId: number; seqs: Record<string, string> }> {
  const { api } = env;
  const fx = writeMotifGenome(env.server.tmp, prefix);
  const project = join(env.server.tmp, `${prefix}-view.loci`);
  await api('projects.create', { path: project, name: projectName });
  const genome = await api('genomes.import', { project, path: fx.genome, name: 'Motif genome' });
  const set = await api('regions.import', { project, path: fx.sites, genomeId: genome.id, name: 'motif sites' });
  const dataset = await buildMotifDataset(api, { project, genomeId: genome.id, regionSetId: set.id, window: 60, negatives: 'random' });
  const model = await api('models.importFolder', { project, path: await writeKmerClassifier(join(env.server.tmp, 'kmer-clf')), name: 'Tiny 3-mer BERT' });
  const run = await api('training.start', {
    project,
    datasetId: dataset.id,
    modelId: model.id,
    name: 'Motif run',
    settings: { mode: 'full', lr: 0.01, batchSize: 16, maxSteps: 120, warmupSteps: 5, evalEvery: 40, backend: 'wasm' },
  });
  const done = await until(() => api('training.get', { project, runId: run.id }), (r) => ['done', 'failed', 'cancelled'].includes(r.state), 'the fine-tuning run to finish', 240_000, 500);
  assert.equal(done.state, 'done', done.error ?? '');
  return { project, runId: run.id, seqs: fx.seqs };
}

/**
 * A locus as the page writes it (igv's locus box, or shared/locus's formatLocus with its strand):
 * "chr1:1,234-5,678" or "chr1:1,234-5,678 (+)" as 1-based numbers; null for anything else.
 */
export function parseLocus(text: string): { chrom: string; start: number; end: number } | null {
  const m = /^([^:]+):([\d,]+)-([\d,]+)(?: \([+-]\))?$/.exec(text.trim());
  return m ? { chrom: m[1]!, start: Number(m[2]!.replace(/,/g, '')), end: Number(m[3]!.replace(/,/g, '')) } : null;
}

/** The track keys igv has loaded (the page writes them on the igv holder). */
export const loadedTracks = async (page: Page): Promise<string[]> => ((await page.getByTestId('igv-browser').getAttribute('data-tracks')) ?? '').split(' ').filter(Boolean);

/**
 * How many pixels of igv's canvases in the track whose label contains `name` are painted (not
 * transparent or white): "drawn" in the sense a user would see. igv draws in an open shadow root.
 */
export async function paintedPixels(page: Page, name: string): Promise<number> {
  return page.getByTestId('igv-browser').evaluate((holder, trackName) => {
    const root = holder.shadowRoot;
    if (!root) return -1;
    let total = 0;
    for (const label of Array.from(root.querySelectorAll('.igv-track-label'))) {
      if (!(label.textContent ?? '').includes(trackName)) continue;
      const viewport = label.closest('.igv-viewport');
      for (const canvas of Array.from(viewport?.querySelectorAll('canvas') ?? [])) {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && !(data[i]! > 245 && data[i + 1]! > 245 && data[i + 2]! > 245)) total++;
      }
    }
    return total;
  }, name);
}
