// loci report: a run's report (or a comparison with --compare) as HTML or PDF, stored in the
// project like the Reports page's; `report list` and `report remove` manage the stored ones.
import { resolveRun } from './runs';
import { extname, resolve } from 'node:path';
import { defineCommand, UsageError } from '../command';
import { printJson, table } from '../format';
import { formatBytes } from '../../../shared/bytes';
import { projectOf, projectOption } from './finetune';

const NAME = 'report';

export const report = defineCommand({
  name: NAME,
  summary: "Write a run's report (or a comparison of runs) as one self-contained HTML file or a PDF",
  options: {
    ...projectOption,
    run: { type: 'string', short: 'r', value: 'RUN', description: 'the run to report on (its id)' },
    compare: { type: 'string', value: 'RUN,...', description: 'other runs to compare it with (one comparison report)' },
    format: { type: 'string', value: 'html|pdf', description: 'file format (default: from the --out extension, else html)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'where to write the report' },
  },
  async run(run) {
    const project = projectOf(run, NAME);
    const runId = run.values.run;
    if (typeof runId !== 'string' || !runId.trim()) throw new UsageError('loci report needs --run RUN (a run id; see loci runs list)', NAME);
    const out = run.values.out;
    if (typeof out !== 'string' || !out) throw new UsageError('loci report needs --out FILE', NAME);
    const given = run.values.format;
    const format = typeof given === 'string' ? given : extname(out).toLowerCase() === '.pdf' ? 'pdf' : 'html';
    if (format !== 'html' && format !== 'pdf') throw new UsageError(`--format must be html or pdf, got "${format}"`, NAME);
    const others = typeof run.values.compare === 'string' ? run.values.compare.split(',').map((s) => s.trim()).filter(Boolean) : [];
    const runIds: number[] = [];
    for (const ref of [runId.trim(), ...others]) runIds.push(await resolveRun(run, project, ref, NAME));
    const info = await run.call('reports.create', { project, runIds });
    const saved = await run.call('reports.save', { project, id: info.id, format, path: resolve(out) });
    if (run.json) return run.io.out(printJson({ ...info, saved }));
    for (const n of info.notes) run.io.err(`Note: ${n}`);
    run.io.out(`Wrote ${info.title} to ${saved.path} (${format.toUpperCase()}, ${formatBytes(saved.bytes)}${saved.printer ? `, printed by ${saved.printer}` : ''}); stored in the project as report ${info.id}`);
  },
});

export const reportList = defineCommand({
  name: 'report list',
  summary: "A project's stored reports, newest first",
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'report list');
    const reports = await run.call('reports.list', { project });
    if (run.json) return run.io.out(printJson(reports));
    if (reports.length === 0) return run.io.out(`No reports in ${project} yet (make one with loci report --run RUN --out FILE)`);
    run.io.out(table(['ID', 'KIND', 'RUNS', 'SIZE', 'CREATED', 'TITLE'], reports.map((r) => [String(r.id), r.kind, r.runIds.join(','), formatBytes(r.sizeBytes), r.createdAt.slice(0, 19).replace('T', ' '), r.title])));
  },
});

export const reportRemove = defineCommand({
  name: 'report remove',
  summary: 'Delete a stored report from the project',
  args: 'ID',
  positionals: { min: 1, max: 1 },
  options: projectOption,
  async run(run) {
    const project = projectOf(run, 'report remove');
    const id = Number(run.positionals[0]);
    if (!Number.isInteger(id) || id < 1) throw new UsageError(`A report id is a whole number, got "${run.positionals[0]}"`, 'report remove');
    await run.call('reports.remove', { project, id });
    run.io.out(run.json ? printJson({ ok: true }) : `Removed report ${id}`);
  },
});
