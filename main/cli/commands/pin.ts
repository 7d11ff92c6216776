// loci pin add|list|remove: the loci pinned for reports, the same ones the Genome view's "Pin for
// report" makes (genomeView.pins.* in shared/contract/genome-view.ts). A run report's genome section
// draws each pinned locus as the Genome view shows it, with its note. Loci are typed 1-based
// inclusive (chr1:1,001-2,000), as everywhere in Loci.
import type { Pin } from '../../../shared/contract/genome-view';
import { formatLocus } from '../../../shared/locus';
import { defineCommand, UsageError } from '../command';
import { printJson, table } from '../format';
import { genomeOf, parseAnnotationRegion, projectGenomeOptions } from './annotations';
import { projectOf, projectOption } from './finetune';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

const rows = (pins: readonly Pin[]) =>
  table(
    ['ID', 'GENOME', 'LOCUS', 'PINNED', 'NOTE'],
    pins.map((p) => [String(p.id), String(p.genomeId), formatLocus(p), p.createdAt.replace('T', ' ').slice(0, 19), p.note]),
  );

export const pinAdd = defineCommand({
  name: 'pin add',
  summary: 'Pin a locus (with a note) for the genome section of run reports',
  options: {
    ...projectGenomeOptions,
    locus: { type: 'string', short: 'l', value: 'CHR:START-END', description: 'the locus (1-based, inclusive, e.g. chr1:1,001-2,000; required)' },
    note: { type: 'string', value: 'TEXT', description: 'a short note shown under its image' },
  },
  async run(run) {
    const project = projectOf(run, 'pin add');
    const locus = str(run.values.locus);
    if (!locus) throw new UsageError('loci pin add needs --locus CHR:START-END', 'pin add');
    const r = parseAnnotationRegion(locus, 'pin add');
    const note = str(run.values.note);
    const pin = await run.call('genomeView.pins.add', { project, ...genomeOf(run, 'pin add'), ...r, ...(note !== undefined && { note }) });
    if (run.json) return run.io.out(printJson(pin));
    run.io.out(`Pin ${pin.id}: ${formatLocus(pin)}${pin.note ? ` (${pin.note})` : ''}; run reports show it (loci report)`);
  },
});

export const pinList = defineCommand({
  name: 'pin list',
  summary: 'The loci pinned for reports',
  options: projectGenomeOptions,
  async run(run) {
    const project = projectOf(run, 'pin list');
    const pins = await run.call('genomeView.pins.list', { project, ...genomeOf(run, 'pin list') });
    if (run.json) return run.io.out(printJson(pins));
    if (pins.length === 0) return run.io.out('No pinned loci (pin one in the Genome view, or: loci pin add --locus CHR:START-END)');
    run.io.out(rows(pins));
  },
});

export const pinRemove = defineCommand({
  name: 'pin remove',
  summary: 'Unpin a locus',
  args: 'ID',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'pin remove');
    const id = run.positionals[0]!;
    if (!/^\d+$/.test(id) || Number(id) < 1) throw new UsageError(`A pin id is a whole number, got ${JSON.stringify(id)} (see loci pin list)`, 'pin remove');
    await run.call('genomeView.pins.remove', { project, id: Number(id) });
    run.io.out(run.json ? printJson({ ok: true }) : `Removed pin ${id}`);
  },
});

export const pinCommands = [pinAdd, pinList, pinRemove];
