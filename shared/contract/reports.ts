// Reports: a run (or a comparison of runs) as one self-contained HTML file, stored in the project
// and written out as HTML or PDF. Building one takes about a second, so it is a plain call, not a job.
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';

const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');
const project = FilePath;

export const ReportInfo = z.object({
  id: z.number().int(),
  kind: z.enum(['run', 'comparison']),
  title: z.string(),
  /** The runs it covers (one for a run report). */
  runIds: z.array(z.number().int()),
  /** What the report says is missing or not comparable (a failed run, different test sets). */
  notes: z.array(z.string()),
  sizeBytes: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type ReportInfo = z.infer<typeof ReportInfo>;

export const ReportFormat = z.enum(['html', 'pdf']);

export const reportMethods = {
  'reports.create': method(
    z
      .object({
        project,
        runIds: z.array(Id).min(1, 'Choose at least one run').max(8, 'Compare at most 8 runs in one report'),
      })
      .strict()
      .refine((v) => new Set(v.runIds).size === v.runIds.length, { message: 'A run is named twice', path: ['runIds'] }),
    ReportInfo,
    'Build the report of a run (one id) or a comparison of runs (several) and store it in the project.',
  ),
  'reports.list': method(z.object({ project }).strict(), z.array(ReportInfo), "The project's reports, newest first."),
  'reports.get': method(z.object({ project, id: Id }).strict(), ReportInfo.extend({ html: z.string() }), 'One report with its HTML (for the preview).'),
  'reports.save': method(
    z.object({ project, id: Id, format: ReportFormat, path: FilePath }).strict(),
    z.object({ path: z.string(), format: ReportFormat, bytes: z.number().int(), printer: z.string().nullable() }),
    'Write a report as HTML, or as PDF (Electron in the app, else the installed Chromium; without one the HTML is written and the error says what to install).',
  ),
  'reports.remove': method(z.object({ project, id: Id }).strict(), z.object({ ok: z.literal(true) }), 'Delete a report from the project.'),
};
