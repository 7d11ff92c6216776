// loci import genome|regions|table: bring a FASTA, a BED/GFF3 or a labelled table into a project.
import { resolve } from 'node:path';
import { countOf, type Genome, type RegionPreview } from '../../../shared/contract/data';
import { defineCommand, UsageError, type CliRun } from '../command';
import { formatLocus } from '../../../shared/locus';
import { keyValues, printJson, table } from '../format';
import { formatBytes } from '../../../shared/bytes';
import { formatBp, formatBpRange } from '../../../shared/bp';

const projectOption = { project: { type: 'string', value: 'FILE', description: 'the project file (.loci)' } } as const;

export function requireProject(run: CliRun, command: string): string {
  const p = run.values.project;
  if (typeof p !== 'string' || p === '') throw new UsageError('--project FILE is required', command);
  return resolve(p);
}

const DATA_JOBS: Record<string, string> = { 'genome-index': 'importing the genome', 'regions-read': 'importing the regions', 'dataset-build': 'building the dataset', 'dataset-version': 'building the dataset version' };

/**
 * Progress of the services' long work as one stderr line per second or so (none with --json). An
 * import or build runs as a job in a worker process: Ctrl-C cancels it, and the project stays as
 * it was. Returns the clean-up.
 */
export function showProgress(run: CliRun): () => void {
  let last = 0;
  let job: { id: string; project: string } | null = null;
  let interrupts = 0;
  const off = run.context().bus.on('job.progress', (e) => {
    if (DATA_JOBS[e.kind] && e.project) job = e.state === 'queued' || e.state === 'running' ? { id: e.jobId, project: e.project } : null;
    const now = Date.now();
    if (run.json || e.state !== 'running' || now - last < 1000) return;
    last = now;
    const pct = e.fraction === null ? '' : ` ${Math.round(e.fraction * 100)}%`;
    run.io.err(`loci: ${DATA_JOBS[e.kind] ?? e.kind}${pct}: ${e.message}`);
  });
  const onSigint = () => {
    // A second Ctrl-C leaves at once (the job's process stops with this one).
    if (++interrupts > 1 || job === null) process.exit(130);
    run.io.err('loci: cancelling (Ctrl-C again to quit at once); nothing will be changed');
    run.call('jobs.cancel', { project: job.project, jobId: job.id }).catch(() => {
      // It ended meanwhile; the command reports how.
    });
  };
  process.on('SIGINT', onSigint);
  return () => {
    off();
    process.off('SIGINT', onSigint);
  };
}

/** A genome by id or by name. */
export async function resolveGenome(run: CliRun, project: string, ref: string, command: string): Promise<Genome> {
  const all = await run.call('genomes.list', { project });
  const found = /^\d+$/.test(ref) ? all.find((g) => g.id === Number(ref)) : all.find((g) => g.name === ref);
  if (!found) throw new UsageError(`No genome "${ref}" in ${project} (it has: ${all.map((g) => `${g.id} ${g.name}`).join(', ') || 'none; import one with "loci import genome"'})`, command);
  return found;
}

/** The genome named by --genome, or the project's only genome when there is just one (undefined otherwise). */
export async function genomeOrOnly(run: CliRun, project: string, ref: unknown, command: string): Promise<Genome | undefined> {
  if (typeof ref === 'string') return resolveGenome(run, project, ref, command);
  const all = await run.call('genomes.list', { project });
  return all.length === 1 ? all[0] : undefined;
}

/** "chr1=1,chrM=MT" -> { chr1: '1', chrM: 'MT' } (file name = genome name). */
export function parseRename(text: string, command: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [from, to, ...rest] = pair.split('=');
    if (!from || !to || rest.length) throw new UsageError(`--rename expects NAME_IN_FILE=NAME_IN_GENOME pairs separated by commas, got "${pair}"`, command);
    out[from] = to;
  }
  return out;
}

function genomeDetails(g: Genome): string {
  const head = keyValues([
    ['Genome', `${g.name} (id ${g.id})`],
    ['File', `${g.path} (${g.compression === 'none' ? 'plain' : g.compression}, ${formatBytes(g.size)})`],
    ['Status', `${g.status}: ${g.statusDetail}`],
    ['SHA-256', g.checksum],
    ['Length', `${formatBp(g.totalLength)} in ${countOf(g.sequences.length, 'sequence')}`],
  ]);
  // The FASTA header's description last, cut short: it can be long and the numbers matter more.
  const rows = g.sequences.slice(0, 25).map((s) => [s.name, formatBp(s.length), `${(s.gc * 100).toFixed(1)}%`, `${(s.nFraction * 100).toFixed(2)}%`, `${(s.softMaskedFraction * 100).toFixed(1)}%`, s.description.length > 60 ? `${s.description.slice(0, 59)}…` : s.description]);
  const more = g.sequences.length > 25 ? `\n… and ${g.sequences.length - 25} more` : '';
  return `${head}\n\n${table(['SEQUENCE', 'LENGTH', 'GC', 'N', 'SOFT-MASKED', 'DESCRIPTION'], rows)}${more}`;
}

export const importGenome = defineCommand({
  name: 'import genome',
  summary: 'Check and index a FASTA (plain, gzip or bgzip) and add it to a project (the file stays where it is)',
  args: 'PATH',
  positionals: { min: 1, max: 1 },
  options: { ...projectOption, name: { type: 'string', value: 'NAME', description: 'display name (default: the file name)' } },
  async run(run) {
    const project = requireProject(run, 'import genome');
    const stop = showProgress(run);
    try {
      const name = typeof run.values.name === 'string' ? run.values.name : undefined;
      const g = await run.call('genomes.import', { project, path: resolve(run.positionals[0]!), ...(name && { name }) });
      run.io.out(run.json ? printJson(g) : `Imported genome "${g.name}" (id ${g.id})\n${genomeDetails(g)}`);
    } finally {
      stop();
    }
  },
});

function previewText(p: RegionPreview): string {
  const other = p.otherLines ? ` (and ${p.otherLines} header, comment or blank line${p.otherLines === 1 ? '' : 's'})` : '';
  const lines = [`${p.file}: ${p.format.toUpperCase()}, ${p.validCount} valid records of ${p.dataLines} data line${p.dataLines === 1 ? '' : 's'}${other}`];
  if (p.gffTypes.length) lines.push(`Feature types: ${p.gffTypes.map((t) => `${t.type} (${t.count})`).join(', ')}`);
  if (p.records.length) {
    lines.push('', table(['LINE', 'LOCUS (1-based, inclusive)', 'NAME'], p.records.slice(0, 10).map((r) => [String(r.line), formatLocus(r), r.name ?? (r.type ? `(${r.type})` : '')])));
  }
  if (p.errorCount) {
    const groups = p.errorGroups && p.errorGroups.reduce((a, g) => a + g.count, 0) === p.errorCount ? p.errorGroups : undefined;
    const shown = groups
      ? groups.slice(0, 10).map((g) => `  ${countOf(g.count, 'line')}: ${g.problem} (line${g.count === 1 ? '' : 's'} ${g.lines.join(', ')}${g.count > g.lines.length ? ', …' : ''})`)
      : p.errors.slice(0, 10).map((e) => `  ${e.message}`);
    lines.push('', `${countOf(p.errorCount, 'line')} with problems in ${p.file}:`, ...shown);
  }
  if (p.assemblyWarning) lines.push('', `Warning: ${p.assemblyWarning}`);
  if (p.chromMapping) lines.push('', `Chromosome names: ${p.chromMapping.description}`, `  import with --rename ${Object.entries(p.chromMapping.mapping).map(([a, b]) => `${a}=${b}`).join(',')}`);
  return lines.join('\n');
}

export const importRegions = defineCommand({
  name: 'import regions',
  summary: 'Import labelled regions (BED, or GFF3 features or their start sites) checked against a genome',
  args: 'PATH',
  positionals: { min: 1, max: 1 },
  options: {
    ...projectOption,
    genome: { type: 'string', value: 'ID|NAME', description: "the genome the coordinates refer to (default: the project's only genome)" },
    name: { type: 'string', value: 'NAME', description: "the set's name (its class label in datasets)" },
    format: { type: 'string', value: 'bed|gff3', description: 'file format (default: from the extension or content)' },
    types: { type: 'string', value: 'gene,CDS', description: 'GFF3 feature types to keep (default: gene)' },
    'start-sites': { type: 'boolean', description: 'keep the start site (strand-aware first base) of each feature' },
    rename: { type: 'string', value: 'A=B,...', description: 'rename chromosomes of the file to the genome\'s names (e.g. 1=chr1,MT=chrM)' },
    'max-bad-lines': { type: 'string', value: 'N', description: 'leave out up to N bad lines instead of refusing the file (default 0)' },
    preview: { type: 'boolean', description: 'only show what would be imported (records, types, problems)' },
  },
  async run(run) {
    const cmd = 'import regions';
    const project = requireProject(run, cmd);
    const path = resolve(run.positionals[0]!);
    const v = run.values;
    const format = typeof v.format === 'string' ? v.format : undefined;
    if (format !== undefined && format !== 'bed' && format !== 'gff3') throw new UsageError(`--format must be bed or gff3, got "${format}"`, cmd);
    const rename = typeof v.rename === 'string' ? parseRename(v.rename, cmd) : undefined;
    const genome = await genomeOrOnly(run, project, v.genome, cmd);
    if (v.preview === true) {
      const p = await run.call('regions.preview', { project, path, ...(format && { format }), ...(genome && { genomeId: genome.id }), ...(rename && { rename }) });
      run.io.out(run.json ? printJson(p) : previewText(p));
      return p.errorCount ? 1 : 0;
    }
    if (!genome) throw new UsageError('--genome ID|NAME is required when the project has more than one genome, or none (or use --preview)', cmd);
    if (typeof v.name !== 'string') throw new UsageError('--name NAME is required', cmd);
    let maxBadLines: number | undefined;
    if (typeof v['max-bad-lines'] === 'string') {
      if (!/^\d+$/.test(v['max-bad-lines'])) throw new UsageError(`--max-bad-lines must be a whole number, got "${v['max-bad-lines']}"`, cmd);
      maxBadLines = Number(v['max-bad-lines']);
    }
    const types = typeof v.types === 'string' ? v.types.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const stop = showProgress(run);
    try {
      const set = await run.call('regions.import', {
        project,
        path,
        genomeId: genome.id,
        name: v.name,
        ...(format && { format }),
        ...(types && { gffTypes: types }),
        ...(v['start-sites'] === true && { derive: 'start-sites' as const }),
        ...(rename && { rename }),
        ...(maxBadLines !== undefined && { maxBadLines }),
      });
      const what = countOf(set.count, set.derive === 'start-sites' ? 'start site' : 'region');
      const typesText = set.format === 'gff3' ? ` of ${set.gffTypes.join(', ')} features` : '';
      run.io.out(run.json ? printJson(set) : `Imported ${what}${typesText} as region set "${set.name}" (id ${set.id}) on genome "${genome.name}"`);
    } finally {
      stop();
    }
  },
});

export const importTable = defineCommand({
  name: 'import table',
  summary: 'Check a labelled CSV/TSV/FASTA (sequence,label): classes, counts and problems (build a dataset from it with "loci dataset build --from-table")',
  args: 'PATH',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = requireProject(run, 'import table');
    const p = await run.call('tables.preview', { project, path: resolve(run.positionals[0]!) });
    if (run.json) {
      run.io.out(printJson(p));
    } else {
      const lines = [
        `${p.file}: ${p.format.toUpperCase()}, ${countOf(p.count, 'sequence')} of ${formatBpRange(p.lengthMin, p.lengthMax)}`,
        `Classes: ${p.classes.map((c) => `${c} (${p.classCounts[c] ?? 0})`).join(', ')}`,
      ];
      if (p.errorCount) lines.push(`${p.errorCount} problem${p.errorCount === 1 ? '' : 's'}:`, ...p.errors.slice(0, 10).map((e) => `  ${e.message}`));
      run.io.out(lines.join('\n'));
    }
    return p.errorCount ? 1 : 0;
  },
});
