// loci project create|open|list|info|rename|delete|forget
import { resolve } from 'node:path';
import { defineCommand, UsageError } from '../command';
import { printJson, projectDetails, table } from '../format';

/** Paths typed on the command line are relative to where the user is, not to the data directory. */
const abs = (p: string) => resolve(p);

export const projectCreate = defineCommand({
  name: 'project create',
  summary: 'Create a project file (in the data folder unless --path is given)',
  args: 'NAME',
  positionals: { min: 1, max: 1 },
  options: { path: { type: 'string', value: 'PATH', description: 'where to write the .loci file (or a folder to put it in)' } },
  async run({ positionals: [name = ''], values, call, io, json }) {
    const path = typeof values.path === 'string' ? abs(values.path) : undefined;
    const info = await call('projects.create', path === undefined ? { name } : { name, path });
    io.out(json ? printJson(info) : `Created project "${info.name}" at ${info.path}`);
  },
});

export const projectOpen = defineCommand({
  name: 'project open',
  summary: 'Open a project (upgrading an older file) and put it first in the recent list',
  args: 'PATH',
  positionals: { min: 1, max: 1 },
  async run({ positionals: [path = ''], call, io, json }) {
    const info = await call('projects.open', { path: abs(path) });
    io.out(json ? printJson(info) : projectDetails(info));
  },
});

export const projectList = defineCommand({
  name: 'project list',
  summary: 'Recently opened projects, newest first',
  async run({ call, io, json }) {
    const recent = await call('projects.listRecent', {});
    if (json) return io.out(printJson(recent));
    if (recent.length === 0) return io.out('No recent projects. Create one with: loci project create NAME');
    io.out(table(['NAME', 'OPENED', 'PATH'], recent.map((r) => [r.name, r.openedAt.slice(0, 16).replace('T', ' '), r.exists ? r.path : `${r.path} (missing)`])));
    const unavailable = recent.filter((r) => r.unavailable);
    if (unavailable.length) io.out(['', 'Unavailable:', ...unavailable.map((r) => `  ${r.name}: ${r.unavailable}`)].join('\n'));
  },
});

export const projectInfo = defineCommand({
  name: 'project info',
  summary: 'Details of a project file (read-only: never upgrades it)',
  args: 'PATH',
  positionals: { min: 1, max: 1 },
  async run({ positionals: [path = ''], call, io, json }) {
    const info = await call('projects.info', { path: abs(path) });
    io.out(json ? printJson(info) : projectDetails(info));
  },
});

export const projectRename = defineCommand({
  name: 'project rename',
  summary: "Change a project's name (the file keeps its path)",
  args: 'PATH NAME',
  positionals: { min: 2, max: 2 },
  async run({ positionals: [path = '', name = ''], call, io, json }) {
    const info = await call('projects.rename', { path: abs(path), name });
    io.out(json ? printJson(info) : `Renamed ${info.path} to "${info.name}"`);
  },
});

export const projectDelete = defineCommand({
  name: 'project delete',
  summary: 'Delete a project file for good (asks for --yes)',
  args: 'PATH',
  positionals: { min: 1, max: 1 },
  options: { yes: { type: 'boolean', short: 'y', description: 'really delete it' } },
  async run({ positionals: [path = ''], values, call, io, json }) {
    const info = await call('projects.info', { path: abs(path) });
    if (values.yes !== true) throw new UsageError(`Not deleted: add --yes to delete "${info.name}" (${info.path}) for good`, 'project delete');
    await call('projects.delete', { path: info.path, confirmName: info.name });
    io.out(json ? printJson({ ok: true, path: info.path, name: info.name }) : `Deleted project "${info.name}" (${info.path})`);
  },
});

export const projectForget = defineCommand({
  name: 'project forget',
  summary: 'Remove a project from the recent list, keeping its file',
  args: 'PATH',
  positionals: { min: 1, max: 1 },
  async run({ positionals: [path = ''], call, io, json }) {
    const result = await call('projects.forget', { path: abs(path) });
    io.out(json ? printJson(result) : `Forgot ${abs(path)}`);
  },
});
