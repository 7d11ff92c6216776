// The bundled demo project: E. coli K-12 MG1655 (bgzipped, indexed by reference from
// resources/demo/, never copied), prodigal's gene start sites as a region set, and a "gene starts
// vs background" dataset built from resources/demo/dataset-spec.json (or the same defaults when
// that file is absent); then, when resources/demo/model/ is there (scripts/make-demo-model.sh), the
// fine-tuned demo model (imported by reference), the example annotations and a scan of the first
// 200 kb with that model, started as a background job so the Genome view shows real predictions
// within a minute and the app never waits for it. Made on first call; later calls finish whatever is
// missing (and resume an interrupted demo scan) and return the path. The scan is started once per
// project (a flag in its meta): one the user removes stays removed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSpec } from '../../shared/contract/data';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { packageRoot } from '../node/paths';
import { readFlag, setFlag } from '../store/meta';
import type { AppContext } from './context';
import { dispatch } from './dispatch';
import { createServices } from './index';
import { projectDb } from './projects';
import { waitForScan } from './scans';
import type { ScanInfo } from '../../shared/contract/scans';

export const DEMO_PROJECT_NAME = 'Demo - E. coli K-12';
export const DEMO_FILES = {
  genome: 'ecoli-k12-mg1655.fa.gz',
  startSites: 'prodigal-start-sites.bed',
  spec: 'dataset-spec.json',
  model: 'model',
  annotations: 'example-annotations.gff3',
} as const;
export const DEMO_MODEL_NAME = 'Demo gene-start classifier';
export const DEMO_SCAN_NAME = 'Demo scan: first 200 kb';
/** Bases the first-start scan covers from the start of the first sequence (the same region scripts/make-demo-model.sh scans). */
export const DEMO_SCAN_BP = 200_000;
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
export interface DemoOptions {
  resourcesDir?: string;
  /** Only the genome, region set and dataset (what scripts/make-demo-model.sh trains on). */
  dataOnly?: boolean;
  /** Compute backend of the demo scan (default: the app's choice). */
  backend?: 'auto' | 'wasm' | 'cpu';
}

export function ensureDemoProject(ctx: AppContext, opts: DemoOptions = {}): Promise<string> {
  const path = demoProjectPath(ctx);
  // Two windows asking at once share one build.
  let p = pending.get(path);
  if (!p) {
    p = makeDemo(ctx, path, opts.resourcesDir ?? demoResourcesDir(), opts).finally(() => pending.delete(path));
    pending.set(path, p);
  }
  return p;
}

async function makeDemo(ctx: AppContext, path: string, dir: string, opts: DemoOptions): Promise<string> {
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
  let dataset = (await call('datasets.list', { project })).find((d) => d.name === ds.name);
  dataset ??= await call('datasets.build', { project, name: ds.name, spec: ds.spec(genome.id, set.id) });

  const modelDir = join(dir, DEMO_FILES.model);
  if (opts.dataOnly || !existsSync(join(modelDir, 'model.safetensors'))) return project;

  // The rest of the loop never keeps the demo from opening: a failure is logged, the next start retries.
  try {
    await completeLoop(ctx, call, project, dir, modelDir, genome.id, dataset.id, opts);
  } catch (e) {
    ctx.log.warn(`demo project: the demo model, annotations or scan could not be added: ${e instanceof Error ? e.message : String(e)}`);
  }
  return project;
}

type Call = <M extends MethodName>(m: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;

/** The demo model, the example annotations and the demo scan, each only when missing (the scan only once). */
async function completeLoop(ctx: AppContext, call: Call, project: string, dir: string, modelDir: string, genomeId: number, datasetId: number, opts: DemoOptions): Promise<void> {
  // The fine-tuned demo model, by reference to Loci's resources like any imported folder.
  const models = await call('models.list', { project });
  let model = models.find((m) => m.name === DEMO_MODEL_NAME);
  if (model && model.status === 'missing' && model.kind === 'imported') model = await call('models.relocate', { project, id: model.id, path: modelDir });
  model ??= await call('models.importFolder', { project, path: modelDir, name: DEMO_MODEL_NAME });

  // The example annotations: once (an empty genome's annotations are the only sign they were never added).
  const annotations = join(dir, DEMO_FILES.annotations);
  if (existsSync(annotations) && (await call('annotations.list', { project, genomeId: genomeId, limit: 1 })).total === 0) {
    await call('annotations.import', { project, genomeId: genomeId, path: annotations });
  }

  // The scan: started, never awaited (a job with progress like any other); an interrupted one resumes.
  // Started once per project: the flag (set too on a project whose demo scan predates it) keeps a
  // scan the user removed from coming back on the next start.
  const db = projectDb(ctx, project);
  const scans = (await call('scans.list', { project })).filter((s) => s.name === DEMO_SCAN_NAME);
  if (scans.length > 0 && !db.readonly && readFlag(db, 'demoScanStarted') === null) setFlag(db, 'demoScanStarted');
  const paused = scans.find((s) => s.state === 'paused' || s.state === 'interrupted');
  if (paused?.jobId && !scans.some((s) => s.state === 'done' || s.state === 'running' || s.state === 'queued')) {
    await call('jobs.resume', { project, jobId: paused.jobId });
  } else if (scans.length === 0 && readFlag(db, 'demoScanStarted') === null) {
    const seq = (await call('genomes.get', { project, id: genomeId })).sequences[0];
    if (seq) {
      await call('scans.start', {
        project,
        modelId: model.id,
        datasetId: datasetId,
        genomeId: genomeId,
        target: { kind: 'region', chrom: seq.name, start: 0, end: Math.min(DEMO_SCAN_BP, seq.length) },
        name: DEMO_SCAN_NAME,
        strand: 'both',
        combine: 'mean',
        backend: opts.backend ?? 'auto',
      });
      setFlag(db, 'demoScanStarted');
    }
  }
}

/** The demo scan once it has stopped (done, failed, cancelled, paused), or null when there is none. For the CLI and tests. */
export async function waitForDemoScan(ctx: AppContext, project: string): Promise<ScanInfo | null> {
  const services = createServices(ctx);
  const scan = (await dispatch(services, 'scans.list', { project }) as ScanInfo[]).find((s) => s.name === DEMO_SCAN_NAME);
  return scan ? waitForScan(ctx, project, scan.id) : null;
}
