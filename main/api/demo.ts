// The bundled demo project: E. coli K-12 MG1655 (bgzipped, indexed by reference from
// resources/demo/, never copied), prodigal's gene start sites as a region set, and a "gene starts
// vs background" dataset built from resources/demo/dataset-spec.json (or the same defaults when
// that file is absent). Made on first call; later calls finish whatever is missing and return the path.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSpec } from '../../shared/contract/data';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { packageRoot } from '../node/paths';
import type { AppContext } from './context';
import { dispatch } from './dispatch';
import { createServices } from './index';

export const DEMO_PROJECT_NAME = 'Demo - E. coli K-12';
export const DEMO_FILES = {
  genome: 'ecoli-k12-mg1655.fa.gz',
  startSites: 'prodigal-start-sites.bed',
  spec: 'dataset-spec.json',
} as const;
const GENOME_NAME = 'E. coli K-12 MG1655';
const REGION_SET_NAME = 'gene start';
const DEFAULT_DATASET_NAME = 'Gene starts vs background';

export function demoResourcesDir(): string {
  return join(packageRoot(), 'resources', 'demo');
}

interface DemoDataset {
  name: string;
  spec: (genomeId: number, regionSetId: number) => DatasetSpec;
}

/** The dataset to build: from dataset-spec.json (main/datasets' spec-file format) when present. */
function demoDataset(dir: string): DemoDataset {
  const specPath = join(dir, DEMO_FILES.spec);
  const defaults = {
    window: { mode: 'centred' as const, length: 200 },
    negatives: { strategy: 'gc-matched' as const, ratio: 1, margin: 200 },
    split: { kind: 'blocks' as const, fractions: { train: 0.8, dev: 0.1, test: 0.1 } },
    seed: 42,
  };
  if (!existsSync(specPath)) {
    return { name: DEFAULT_DATASET_NAME, spec: (genomeId, id) => ({ source: 'regions', genomeId, regionSets: [{ id }], ...defaults }) };
  }
  const file = JSON.parse(readFileSync(specPath, 'utf8')) as {
    name?: string;
    params?: {
      seed?: number;
      window?: Record<string, unknown>;
      labels?: Record<string, unknown>;
      orientByStrand?: boolean;
      negatives?: { strategy?: string; ratio?: number; margin?: number; label?: string };
      filters?: { maxNFraction?: number };
      split?: Record<string, unknown>;
      overlapGuard?: { action: string; margin?: number };
      augment?: { reverseComplement?: boolean };
    };
    regions?: Array<{ label?: string }>;
  };
  const p = file.params ?? {};
  const n = p.negatives;
  return {
    name: file.name ?? DEFAULT_DATASET_NAME,
    spec: (genomeId, id) =>
      ({
        source: 'regions',
        genomeId,
        regionSets: [{ id, ...(file.regions?.[0]?.label && { label: file.regions[0].label }) }],
        window: p.window ?? defaults.window,
        ...(p.labels && { labels: p.labels }),
        ...(p.orientByStrand !== undefined && { orientByStrand: p.orientByStrand }),
        negatives: n ? { strategy: n.strategy ?? 'gc-matched', ...(n.ratio !== undefined && { ratio: n.ratio }), ...(n.margin !== undefined && { margin: n.margin }), ...(n.label && { label: n.label }) } : defaults.negatives,
        ...(p.filters?.maxNFraction !== undefined && { maxNFraction: p.filters.maxNFraction }),
        split: p.split ?? defaults.split,
        ...(p.overlapGuard && { overlapGuard: p.overlapGuard }),
        ...(p.augment?.reverseComplement !== undefined && { rcAugment: p.augment.reverseComplement }),
        seed: p.seed ?? defaults.seed,
      }) as DatasetSpec,
  };
}

const pending = new Map<string, Promise<string>>();

export function demoProjectPath(ctx: AppContext): string {
  return join(ctx.dataDir, 'projects', `${DEMO_PROJECT_NAME}.loci`);
}

/** Creates (or completes) the demo project in `<dataDir>/projects/` and returns its path. */
export function ensureDemoProject(ctx: AppContext, opts: { resourcesDir?: string } = {}): Promise<string> {
  const path = demoProjectPath(ctx);
  // Two windows asking at once share one build.
  let p = pending.get(path);
  if (!p) {
    p = makeDemo(ctx, path, opts.resourcesDir ?? demoResourcesDir()).finally(() => pending.delete(path));
    pending.set(path, p);
  }
  return p;
}

async function makeDemo(ctx: AppContext, path: string, dir: string): Promise<string> {
  const services = createServices(ctx);
  const call = <M extends MethodName>(m: M, input: MethodInput<M>) => dispatch(services, m, input) as Promise<MethodOutput<M>>;
  const genomeFile = join(dir, DEMO_FILES.genome);
  const sitesFile = join(dir, DEMO_FILES.startSites);

  const project = existsSync(path) ? (await call('projects.open', { path })).path : (await call('projects.create', { name: DEMO_PROJECT_NAME, path })).path;

  let genome = (await call('genomes.list', { project })).find((g) => g.name === GENOME_NAME);
  if (genome && genome.status === 'moved' && existsSync(genomeFile)) {
    // Loci itself moved (an update, another install folder): the same file is in the new resources.
    genome = await call('genomes.relocate', { project, id: genome.id, newPath: genomeFile });
  }
  genome ??= await call('genomes.import', { project, path: genomeFile, name: GENOME_NAME });

  let set = (await call('regions.list', { project, genomeId: genome.id })).find((s) => s.name === REGION_SET_NAME);
  set ??= await call('regions.import', { project, path: sitesFile, genomeId: genome.id, name: REGION_SET_NAME, format: 'bed' });

  const ds = demoDataset(dir);
  if (!(await call('datasets.list', { project })).some((d) => d.name === ds.name)) {
    await call('datasets.build', { project, name: ds.name, spec: ds.spec(genome.id, set.id) });
  }
  return project;
}
