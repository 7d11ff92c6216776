// Projects: one portable SQLite file (*.loci) per project.
import { z } from 'zod';
import { method } from './define';

export const ProjectName = z.string().trim().min(1, 'A project needs a name').max(120, 'Keep the name under 120 characters');
/** An absolute path on the machine running the Node side. */
export const FilePath = z.string().min(1, 'A path is required').max(4096);

export const ProjectInfo = z.object({
  path: z.string(),
  name: z.string(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  schemaVersion: z.number().int(),
  /** True when Loci may not write the file here (read-only media or folder, immutable file): reading works, changes are refused. */
  readOnly: z.boolean(),
  /** Why it is read-only, e.g. "its folder /media/usb is read-only". */
  readOnlyReason: z.string().optional(),
  sizeBytes: z.number().int().nonnegative(),
  counts: z.object({
    genomes: z.number().int(),
    datasets: z.number().int(),
    models: z.number().int(),
    runs: z.number().int(),
  }),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

export const RecentProject = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: z.string(),
  /** false when the file has been moved or deleted since it was last opened. */
  exists: z.boolean(),
  /** Why the file cannot be opened now (damaged, not a project, needs repair but read-only, ...); absent when it can. */
  unavailable: z.string().optional(),
});
export type RecentProject = z.infer<typeof RecentProject>;

export const projectMethods = {
  'projects.create': method(
    z.object({
      name: ProjectName,
      /** Where to write the .loci file; defaults to the projects folder in the data directory. */
      path: FilePath.optional(),
    }).strict(),
    ProjectInfo,
    'Create a new project file and open it.',
  ),
  'projects.open': method(z.object({ path: FilePath }).strict(), ProjectInfo, 'Open a project file (upgrading an older schema).'),
  'projects.info': method(z.object({ path: FilePath }).strict(), ProjectInfo, 'Details of an open or closed project.'),
  'projects.rename': method(z.object({ path: FilePath, name: ProjectName }).strict(), ProjectInfo, 'Rename a project (its display name).'),
  'projects.listRecent': method(z.object({}).strict(), z.array(RecentProject), 'Recently opened projects, newest first.'),
  'projects.forget': method(z.object({ path: FilePath }).strict(), z.object({ ok: z.literal(true) }), 'Remove a project from the recent list, keeping the file.'),
  'projects.delete': method(
    z.object({ path: FilePath, confirmName: z.string() }).strict(),
    z.object({ ok: z.literal(true) }),
    'Delete a project file for good (the name must be typed to confirm).',
  ),
};
