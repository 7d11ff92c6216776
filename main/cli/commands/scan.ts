// loci scan: scan a genome (or a region, or BED regions) with a project's classifier, with a
// progress bar (Ctrl-C pauses, twice cancels), optionally exporting the score track; and
// loci scans list|show|export|remove|resume: the project's scans (the same ones the UI lists).
import { resolve } from 'node:path';
import type { ScanInfo, ScanTarget } from '../../../shared/contract/scans';
import { waitForScan } from '../../api/scans';
import { formatEta } from '../../jobs/index';
import { defineCommand, UsageError, type CliRun } from '../command';
import { keyValues, printJson, table } from '../format';
import { formatBytes } from '../../../shared/bytes';
import { followJob } from '../progress';
import { projectOf, projectOption } from './finetune';
import { resolveRun } from './runs';
import { formatBp } from '../../../shared/bp';
import { formatPosition } from '../../../shared/locus';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function int(run: CliRun, name: string, command: string): number | undefined {
  const v = str(run.values[name]);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(v)}`, command);
  return Number(v);
}

/** "chr1:1,001-2,000" (1-based, inclusive, as samtools) or "chr1" -> the API's 0-based half-open target. */
export function parseRegion(text: string): ScanTarget {
  const m = /^(.+):([\d,]+)-([\d,]+)$/.exec(text.trim());
  if (!m) {
    if (/:\d/.test(text)) throw new UsageError(`--region ${JSON.stringify(text)}: write it as CHROM:START-END (1-based, inclusive, e.g. chr1:1001-2000) or CHROM`, 'scan');
    return { kind: 'chrom', chrom: text.trim() };
  }
  const start = Number(m[2]!.replace(/,/g, ''));
  const end = Number(m[3]!.replace(/,/g, ''));
  if (start < 1 || end < start) throw new UsageError(`--region ${JSON.stringify(text)}: START must be at least 1 and END at least START (1-based, inclusive)`, 'scan');
  return { kind: 'region', chrom: m[1]!, start: start - 1, end };
}

/** A model by id or exact name. */
export async function modelId(run: CliRun, project: string, ref: string): Promise<number> {
  if (/^\d+$/.test(ref.trim())) return Number(ref.trim());
  const named = (await run.call('models.list', { project })).filter((m) => m.name === ref.trim());
  if (named.length !== 1) throw new UsageError(`--model ${JSON.stringify(ref)}: ${named.length ? 'several models have that name; give its id' : 'no model of that name in the project (loci models list)'}`, 'scan');
  return named[0]!.id;
}

function formatOf(out: string): 'bigwig' | 'bedgraph' | 'bed' {
  const lower = out.toLowerCase();
  if (lower.endsWith('.bw') || lower.endsWith('.bigwig')) return 'bigwig';
  if (lower.endsWith('.bedgraph') || lower.endsWith('.bg')) return 'bedgraph';
  if (lower.endsWith('.bed')) return 'bed';
  throw new UsageError(`--out ${out}: end the name with .bw (bigWig), .bedgraph (scores) or .bed (called regions)`, 'scan');
}

function describe(s: ScanInfo): string {
  const t = s.target;
  const target = t.kind === 'genome' ? 'whole genome' : t.kind === 'chrom' ? t.chrom : t.kind === 'region' ? `${t.chrom}:${t.start + 1}-${t.end} (1-based)` : `BED ${t.path}`;
  return keyValues([
    ['Scan', `${s.id} "${s.name}": ${s.state}${s.error ? ` (${s.error})` : ''}`],
    ['Model', `${s.modelName}${s.modelId !== null ? ` (id ${s.modelId})` : ''}${s.runId ? `, run ${s.runId}` : ''}`],
    ['Genome', `${s.genomeName}${s.genomeId !== null ? ` (id ${s.genomeId})` : ''}: ${target}`],
    ['Windows', `${formatBp(s.settings.window)} every ${formatBp(s.settings.stride)}, strand ${s.settings.strand}${s.settings.strand === 'both' ? ` (combined by ${s.settings.combine})` : ''}, batch ${s.settings.batchSize}, ${s.settings.workers} worker(s)`],
    ['Per-base score', s.settings.aggregation],
    ['Progress', `${formatPosition(s.bpDone)} of ${formatBp(s.bpTotal)}${s.etaSeconds !== null ? `, ${formatEta(s.etaSeconds)} left` : ''}`],
    ['Runtime', s.runtimeSeconds !== null ? `${s.runtimeSeconds.toFixed(1)} s (${formatBp(Math.round(s.bpPerSecond ?? 0))}/s) on ${s.backend ?? '?'}` : '-'],
    ['Thresholds', s.thresholds.map((t) => `${t.className} >= ${t.threshold.toFixed(4)} (${t.source}${t.devMcc !== null ? `, dev MCC ${t.devMcc.toFixed(3)}` : ''})`).join('; ')],
    ['Stored', formatBytes(s.storedBytes)],
    ['Job', s.jobId ?? '-'],
  ]);
}

export const EXIT: Record<string, number> = { done: 0, failed: 1, cancelled: 1, paused: 130, interrupted: 130 };

async function follow(run: CliRun, project: string, scanId: number, jobId: string, out: string | undefined, classIndex: number | undefined): Promise<number> {
  const ctx = run.context();
  const output = run.json ? { write: () => {} } : process.stdout.isTTY ? process.stdout : { write: (text: string) => run.io.out(text.replace(/\n$/, '')) };
  await followJob(ctx, project, jobId, { output, showLog: run.values.quiet !== true && !run.json, label: 'scan' });
  const s = await waitForScan(ctx, project, scanId);
  let exported: { path: string; bytes: number } | null = null;
  if (s.state === 'done' && out) {
    exported = await run.call('scans.export', { project, scanId, classIndex: classIndex ?? s.classesOfInterest[0]!, format: formatOf(out), out: resolve(out) });
  }
  if (run.json) run.io.out(printJson({ ...s, exported }));
  else {
    run.io.out(describe(s));
    if (exported) run.io.out(`Wrote ${exported.path} (${formatBytes(exported.bytes)})`);
    if (s.state === 'paused' || s.state === 'interrupted') run.io.out(`Continue it with: loci scans resume ${s.id} --project ${project}`);
  }
  return EXIT[s.state] ?? 1;
}

export const scan = defineCommand({
  name: 'scan',
  summary: "Scan a genome with a project's classifier: per-base score tracks and called regions",
  options: {
    ...projectOption,
    model: { type: 'string', short: 'm', value: 'ID|NAME', description: 'the classifier (a fine-tuned model; its run gives the window and the threshold)' },
    run: { type: 'string', value: 'ID', description: 'or the fine-tuning run whose model to use' },
    dataset: { type: 'string', value: 'ID', description: "for a model with no run here (an imported fine-tuned one): the dataset it was trained on, whose windows and dev set give the window and the threshold" },
    genome: { type: 'string', short: 'g', value: 'ID', description: "the genome (default: the run's, or the project's only one)" },
    region: { type: 'string', value: 'CHR[:START-END]', description: 'a chromosome or a region, 1-based inclusive like samtools (default: the whole genome)' },
    bed: { type: 'string', value: 'FILE', description: 'scan the regions of a BED file instead' },
    window: { type: 'string', value: 'N', description: "window length in bp (default: the run's training windows)" },
    stride: { type: 'string', value: 'N', description: 'step between windows in bp (default: half the window)' },
    strand: { type: 'string', value: 'both|forward|reverse', description: 'which strands to score (default both)' },
    combine: { type: 'string', value: 'mean|max', description: 'how both strands combine (default mean)' },
    class: { type: 'string', value: 'N', description: 'the class index to track (default: class 1 of a binary model, every class otherwise)' },
    batch: { type: 'string', value: 'N', description: 'windows per inference batch (default 64)' },
    workers: { type: 'string', value: 'N', description: 'engine instances side by side, one core each (default: one per core, at most 4, on wasm and cpu; 1 on tfjs-node)' },
    'min-length': { type: 'string', value: 'N', description: 'shortest called region in bp (default: the stride)' },
    name: { type: 'string', value: 'TEXT', description: 'a name for the scan' },
    backend: { type: 'string', value: 'NAME', description: 'auto|tfjs-node-gpu|tfjs-node|wasm|cpu (default auto)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'when done, write the score track (.bw, .bedgraph) or the called regions (.bed)' },
    quiet: { type: 'boolean', short: 'q', description: "don't show the scan's log lines" },
  },
  async run(run) {
    const project = projectOf(run, 'scan');
    const model = str(run.values.model);
    const runId = str(run.values.run);
    if (!model === !runId) throw new UsageError('loci scan needs --model ID|NAME or --run ID (one of them)', 'scan');
    const region = str(run.values.region);
    const bed = str(run.values.bed);
    if (region && bed) throw new UsageError('give --region or --bed, not both', 'scan');
    const strand = str(run.values.strand) ?? 'both';
    if (!['both', 'forward', 'reverse'].includes(strand)) throw new UsageError(`--strand must be both, forward or reverse, got "${strand}"`, 'scan');
    const combine = str(run.values.combine) ?? 'mean';
    if (!['mean', 'max'].includes(combine)) throw new UsageError(`--combine must be mean or max, got "${combine}"`, 'scan');
    const out = str(run.values.out);
    if (out) formatOf(out);
    const cls = int(run, 'class', 'scan');
    const target: ScanTarget = bed ? { kind: 'bed', path: resolve(bed) } : region ? parseRegion(region) : { kind: 'genome' };
    const started = await run.call('scans.start', {
      project,
      ...(model ? { modelId: await modelId(run, project, model) } : { runId: await resolveRun(run, project, runId!, 'scan') }),
      ...(int(run, 'dataset', 'scan') !== undefined && { datasetId: int(run, 'dataset', 'scan') }),
      ...(int(run, 'genome', 'scan') !== undefined && { genomeId: int(run, 'genome', 'scan') }),
      target,
      ...(int(run, 'window', 'scan') !== undefined && { window: int(run, 'window', 'scan') }),
      ...(int(run, 'stride', 'scan') !== undefined && { stride: int(run, 'stride', 'scan') }),
      strand: strand as 'both',
      combine: combine as 'mean',
      ...(cls !== undefined && { classes: [cls] }),
      ...(int(run, 'batch', 'scan') !== undefined && { batchSize: int(run, 'batch', 'scan') }),
      ...(int(run, 'workers', 'scan') !== undefined && { workers: int(run, 'workers', 'scan') }),
      ...(int(run, 'min-length', 'scan') !== undefined && { minRegionLength: int(run, 'min-length', 'scan') }),
      ...(str(run.values.name) && { name: str(run.values.name) }),
      ...(str(run.values.backend) && { backend: str(run.values.backend) as 'auto' }),
    });
    if (!run.json) run.io.out(`Scan ${started.scanId} (job ${started.jobId}) started; Ctrl-C pauses it, twice cancels`);
    return follow(run, project, started.scanId, started.jobId, out, cls);
  },
});

const scanArg = (run: CliRun, command: string): number => {
  const v = run.positionals[0] ?? '';
  if (!/^\d+$/.test(v)) throw new UsageError(`loci ${command} needs a scan id (a whole number), got ${JSON.stringify(v)}`, command);
  return Number(v);
};

export const scansList = defineCommand({
  name: 'scans list',
  summary: "A project's scans, newest first",
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'scans list');
    const scans = await run.call('scans.list', { project });
    if (run.json) return run.io.out(printJson(scans));
    if (scans.length === 0) return run.io.out(`No scans in ${project} yet (start one with loci scan)`);
    run.io.out(
      table(
        ['ID', 'STATE', 'MODEL', 'GENOME', 'WINDOW', 'STRAND', 'DONE', 'RUNTIME', 'BACKEND', 'NAME'],
        scans.map((s) => [
          String(s.id),
          s.state,
          s.modelName,
          s.genomeName,
          `${s.settings.window}/${s.settings.stride}`,
          s.settings.strand === 'both' ? `both (${s.settings.combine})` : s.settings.strand,
          s.bpTotal ? `${Math.floor((100 * s.bpDone) / s.bpTotal)}%` : '',
          s.runtimeSeconds !== null ? `${s.runtimeSeconds.toFixed(0)} s` : '',
          s.backend ?? '',
          s.name,
        ]),
      ),
    );
  },
});

export const scansShow = defineCommand({
  name: 'scans show',
  summary: 'One scan: model, genome, settings, progress, runtime, thresholds and called regions',
  args: 'SCAN',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'scans show');
    const scanId = scanArg(run, 'scans show');
    const s = await run.call('scans.get', { project, scanId });
    const regions = s.state === 'done' ? await Promise.all(s.classesOfInterest.map((classIndex) => run.call('scans.regions', { project, scanId, classIndex, limit: 10 }))) : [];
    if (run.json) return run.io.out(printJson({ ...s, regions }));
    run.io.out(describe(s));
    regions.forEach((r, i) => {
      run.io.out(`\n${s.classes[s.classesOfInterest[i]!]}: ${r.total} region(s) at >= ${r.threshold.toFixed(4)}${r.total > r.regions.length ? ` (first ${r.regions.length})` : ''}`);
      if (r.regions.length) run.io.out(table(['CHROM', 'START', 'END', 'MAX', 'MEAN'], r.regions.map((x) => [x.chrom, String(x.start), String(x.end), x.maxScore.toFixed(3), x.meanScore.toFixed(3)])));
    });
  },
});

export const scansExport = defineCommand({
  name: 'scans export',
  summary: 'Write a scan track as bigWig (.bw) or bedGraph (.bedgraph), or its called regions as BED (.bed)',
  args: 'SCAN',
  positionals: { min: 1, max: 1 },
  options: {
    ...projectOption,
    out: { type: 'string', short: 'o', value: 'FILE', description: 'the file to write; its extension picks the format' },
    class: { type: 'string', value: 'N', description: 'the class index (default: the first tracked class)' },
    strand: { type: 'string', value: 'combined|forward|reverse', description: 'which track (default combined)' },
    threshold: { type: 'string', value: 'T', description: 'for .bed: call regions at this threshold instead of the stored one' },
  },
  async run(run) {
    const project = projectOf(run, 'scans export');
    const scanId = scanArg(run, 'scans export');
    const out = str(run.values.out);
    if (!out) throw new UsageError('loci scans export needs --out FILE (.bw, .bedgraph or .bed)', 'scans export');
    const strand = str(run.values.strand) ?? 'combined';
    if (!['combined', 'forward', 'reverse'].includes(strand)) throw new UsageError(`--strand must be combined, forward or reverse, got "${strand}"`, 'scans export');
    const t = str(run.values.threshold);
    const threshold = t === undefined ? undefined : Number(t);
    if (threshold !== undefined && !Number.isFinite(threshold)) throw new UsageError(`--threshold must be a number, got ${JSON.stringify(t)}`, 'scans export');
    const s = await run.call('scans.get', { project, scanId });
    const r = await run.call('scans.export', {
      project,
      scanId,
      classIndex: int(run, 'class', 'scans export') ?? s.classesOfInterest[0]!,
      format: formatOf(out),
      out: resolve(out),
      strand: strand as 'combined',
      ...(threshold !== undefined && { threshold }),
    });
    run.io.out(run.json ? printJson(r) : `Wrote ${r.path} (${formatBytes(r.bytes)})`);
  },
});

export const scansRemove = defineCommand({
  name: 'scans remove',
  summary: 'Delete a scan and its tracks (a running scan is cancelled first)',
  args: 'SCAN',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const r = await run.call('scans.remove', { project: projectOf(run, 'scans remove'), scanId: scanArg(run, 'scans remove') });
    run.io.out(run.json ? printJson(r) : 'Removed');
  },
});

export const scansResume = defineCommand({
  name: 'scans resume',
  summary: 'Continue a paused or interrupted scan from its last finished chunk, showing its progress',
  args: 'SCAN',
  positionals: { min: 1, max: 1 },
  options: { ...projectOption, out: scan.options!.out!, quiet: scan.options!.quiet! },
  async run(run) {
    const project = projectOf(run, 'scans resume');
    const scanId = scanArg(run, 'scans resume');
    const s = await run.call('scans.get', { project, scanId });
    if (!s.jobId) throw new UsageError(`Scan ${scanId} has no job`, 'scans resume');
    await run.call('jobs.resume', { project, jobId: s.jobId });
    const out = str(run.values.out);
    if (out) formatOf(out);
    return follow(run, project, scanId, s.jobId, out, undefined);
  },
});

export const scanCommands = [scan, scansList, scansShow, scansExport, scansRemove, scansResume];
