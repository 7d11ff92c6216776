// loci ism and loci variants: in-silico mutagenesis of a region and variant effects from a VCF, with
// a progress bar (Ctrl-C pauses, twice cancels), optionally exporting the result (ISM: .csv table or
// .bedgraph importance; variants: .tsv or .vcf with the scores in INFO).
import { resolve } from 'node:path';
import type { InterpretInfo } from '../../../shared/contract/interpret';
import { waitForInterpretation } from '../../api/interpret';
import { defineCommand, UsageError, type CliRun } from '../command';
import { keyValues, printJson, table } from '../format';
import { followJob } from '../progress';
import { projectOf, projectOption } from './finetune';
import { EXIT, modelId, parseRegion } from './scan';
import { resolveRun } from './runs';
import { formatBp } from '../../../shared/bp';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function int(run: CliRun, name: string, command: string): number | undefined {
  const v = str(run.values[name]);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(v)}`, command);
  return Number(v);
}

const common = {
  ...projectOption,
  model: { type: 'string', short: 'm', value: 'ID|NAME', description: 'the classifier (a fine-tuned model; its run gives the window)' },
  run: { type: 'string', value: 'ID', description: 'or the fine-tuning run whose model to use' },
  genome: { type: 'string', short: 'g', value: 'ID', description: "the genome (default: the run's, or the project's only one)" },
  window: { type: 'string', value: 'N', description: "window length in bp (default: the run's training windows)" },
  class: { type: 'string', value: 'N', description: 'the class to explain (default: class 1 of a binary model, else 0)' },
  batch: { type: 'string', value: 'N', description: 'windows per inference batch (default 64)' },
  name: { type: 'string', value: 'TEXT', description: 'a name for the run' },
  backend: { type: 'string', value: 'NAME', description: 'auto|tfjs-node-gpu|tfjs-node|wasm|cpu (default auto)' },
  quiet: { type: 'boolean', short: 'q', description: "don't show the job's log lines" },
} as const;

async function startArgs(run: CliRun, project: string, command: string) {
  const model = str(run.values.model);
  const runId = str(run.values.run);
  if (!model === !runId) throw new UsageError(`loci ${command} needs --model ID|NAME or --run ID|NAME (one of them)`, command);
  return {
    project,
    ...(model ? { modelId: await modelId(run, project, model) } : { runId: await resolveRun(run, project, runId!, command) }),
    ...(int(run, 'genome', command) !== undefined && { genomeId: int(run, 'genome', command) }),
    ...(int(run, 'window', command) !== undefined && { window: int(run, 'window', command) }),
    ...(int(run, 'class', command) !== undefined && { classIndex: int(run, 'class', command) }),
    ...(int(run, 'batch', command) !== undefined && { batchSize: int(run, 'batch', command) }),
    ...(str(run.values.name) && { name: str(run.values.name) }),
    ...(str(run.values.backend) && { backend: str(run.values.backend) as 'auto' }),
  };
}

function describe(s: InterpretInfo): string {
  return keyValues([
    [s.kind === 'ism' ? 'ISM' : 'Variants', `${s.id} "${s.name}": ${s.state}${s.error ? ` (${s.error})` : ''}`],
    ['Model', `${s.modelName}${s.modelId !== null ? ` (id ${s.modelId})` : ''}${s.runId ? `, run ${s.runId}` : ''}; class ${s.classIndex} "${s.className}"`],
    ['Genome', `${s.genomeName}${s.region ? `: ${s.region.chrom}:${(s.region.start + 1).toLocaleString('en-US')}-${s.region.end.toLocaleString('en-US')} (1-based)` : s.vcfPath ? `: ${s.vcfPath}` : ''}`],
    ['Window', `${formatBp(s.window)} centred on each ${s.kind === 'ism' ? 'base' : 'variant'}, both strands`],
    ['Progress', `${s.done.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} ${s.kind === 'ism' ? 'bases' : 'variant alleles'}${s.skipped.length ? `; ${s.skipped.length} allele(s) skipped` : ''}`],
    ['Runtime', s.runtimeSeconds !== null ? `${s.runtimeSeconds.toFixed(1)} s, ${s.sequences.toLocaleString('en-US')} forward passes (${Math.round(s.sequences / Math.max(1e-9, s.runtimeSeconds))}/s) on ${s.backend ?? '?'}` : '-'],
    ['Method', s.method],
  ]);
}

async function follow(run: CliRun, project: string, id: number, jobId: string, out: string | undefined, format: 'csv' | 'bedgraph' | 'tsv' | 'vcf' | undefined, label: string): Promise<number> {
  const ctx = run.context();
  const output = run.json ? { write: () => {} } : process.stdout.isTTY ? process.stdout : { write: (text: string) => run.io.out(text.replace(/\n$/, '')) };
  await followJob(ctx, project, jobId, { output, showLog: run.values.quiet !== true && !run.json, label });
  const s = await waitForInterpretation(ctx, project, id);
  let exported: { path: string; bytes: number } | null = null;
  if (s.state === 'done' && out && format) exported = await run.call('interpret.export', { project, id, format, out: resolve(out) });
  if (run.json) {
    run.io.out(printJson({ ...s, exported }));
    return EXIT[s.state] ?? 1;
  }
  run.io.out(describe(s));
  for (const k of s.skipped.slice(0, 10)) run.io.out(`  skipped line ${k.line} ${k.chrom}:${k.pos} ${k.ref}>${k.alt}: ${k.reason}`);
  if (s.state === 'done' && s.kind === 'variants') {
    const top = await run.call('interpret.variantEffects', { project, id, sort: 'absDiff', descending: true, limit: 10 });
    run.io.out(`\nLargest effects (of ${top.total}):`);
    run.io.out(table(['CHROM', 'POS', 'REF', 'ALT', 'REF P', 'ALT P', 'DIFF', 'LOG2FC', 'LINE'], top.rows.map((r) => [r.chrom, String(r.pos), r.ref, r.alt, r.refProb.toFixed(4), r.altProb.toFixed(4), r.diff.toFixed(4), r.log2fc.toFixed(3), String(r.line)])));
  }
  if (exported) run.io.out(`Wrote ${exported.path}`);
  return EXIT[s.state] ?? 1;
}

function outFormat(out: string | undefined, allowed: readonly ('csv' | 'bedgraph' | 'tsv' | 'vcf')[], command: string) {
  if (!out) return undefined;
  const lower = out.toLowerCase();
  const f = lower.endsWith('.csv') ? 'csv' : lower.endsWith('.bedgraph') || lower.endsWith('.bg') ? 'bedgraph' : lower.endsWith('.tsv') ? 'tsv' : lower.endsWith('.vcf') ? 'vcf' : null;
  if (!f || !allowed.includes(f)) throw new UsageError(`--out ${out}: end the name with ${allowed.map((a) => `.${a}`).join(' or ')}`, command);
  return f;
}

export const ism = defineCommand({
  name: 'ism',
  summary: 'In-silico mutagenesis of a region: every base to each other base, the change in the class probability (4 x L table)',
  options: {
    ...common,
    region: { type: 'string', value: 'CHR:START-END', description: 'the region, 1-based inclusive like samtools (at most 10,000 bp)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'when done, write the table (.csv) or the per-base importance (.bedgraph)' },
  },
  async run(run) {
    const project = projectOf(run, 'ism');
    const region = str(run.values.region);
    if (!region) throw new UsageError('loci ism needs --region CHR:START-END (1-based, inclusive)', 'ism');
    const target = parseRegion(region);
    if (target.kind !== 'region') throw new UsageError(`--region ${JSON.stringify(region)}: give START-END too (ISM covers at most 10,000 bp)`, 'ism');
    const out = str(run.values.out);
    const format = outFormat(out, ['csv', 'bedgraph'], 'ism');
    const started = await run.call('interpret.ism', { ...(await startArgs(run, project, 'ism')), chrom: target.chrom, start: target.start, end: target.end });
    if (!run.json) run.io.out(`ISM ${started.id} (job ${started.jobId}) started; Ctrl-C pauses it, twice cancels`);
    return follow(run, project, started.id, started.jobId, out, format, 'ism');
  },
});

export const variants = defineCommand({
  name: 'variants',
  summary: 'Score the variants of a VCF (or typed ones) with a classifier: difference and log2 fold change of the class probability',
  options: {
    ...common,
    vcf: { type: 'string', value: 'FILE', description: 'the VCF (plain or gzipped); every line is checked against the genome' },
    variant: { type: 'string', value: "'CHR:POS REF>ALT[; ...]'", description: 'or typed variants (1-based, separated by ;)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'when done, write the effects (.tsv) or a VCF with them in INFO (.vcf)' },
  },
  async run(run) {
    const project = projectOf(run, 'variants');
    const vcf = str(run.values.vcf);
    const typed = (str(run.values.variant) ?? '').split(';').map((v) => v.trim()).filter(Boolean);
    if (!vcf === !typed.length) throw new UsageError("loci variants needs --vcf FILE or --variant 'CHR:POS REF>ALT' (one of them)", 'variants');
    const out = str(run.values.out);
    const format = outFormat(out, ['tsv', 'vcf'], 'variants');
    const started = await run.call('interpret.variants', { ...(await startArgs(run, project, 'variants')), ...(vcf ? { vcfPath: resolve(vcf) } : { variants: typed }) });
    if (!run.json) run.io.out(`Variants ${started.id} (job ${started.jobId}) started; Ctrl-C pauses it, twice cancels`);
    return follow(run, project, started.id, started.jobId, out, format, 'variants');
  },
});

export const interpretCommands = [ism, variants];
