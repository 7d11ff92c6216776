// projects.* end to end on a temp data dir, through dispatch as the UI and the CLI call them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ApiError } from '../../../shared/contract/errors';
import { SCHEMA_VERSION } from '../../../main/store/migrations';
import { slugify } from '../../../main/api/projects';
import { harness } from './helpers';

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

test('slugify makes readable, safe file names', () => {
  assert.equal(slugify('Arabidopsis roots (2024)'), 'arabidopsis-roots-2024');
  assert.equal(slugify('Café Crème'), 'cafe-creme');
  assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
  assert.equal(slugify('***'), 'project');
  assert.equal(slugify('水稻 genome'), '水稻-genome');
});

test('create without a path goes to <dataDir>/projects/<slug>.loci, with a suffix when taken', async (t) => {
  const h = harness(t);
  const a = await h.call('projects.create', { name: 'Rice leaves' });
  const b = await h.call('projects.create', { name: 'rice   LEAVES' });
  assert.equal(a.path, join(h.ctx.dataDir, 'projects', 'rice-leaves.loci'));
  assert.equal(b.path, join(h.ctx.dataDir, 'projects', 'rice-leaves-2.loci'));
  assert.equal(a.name, 'Rice leaves');
  assert.equal(a.schemaVersion, SCHEMA_VERSION);
  assert.deepEqual(a.counts, { genomes: 0, datasets: 0, models: 0, runs: 0 });
  assert.ok(a.sizeBytes > 0);
  assert.equal(a.createdAt, a.modifiedAt);
  const events: unknown[] = [];
  h.ctx.bus.on('project.changed', (e) => events.push(e));
  const c = await h.call('projects.create', { name: 'Third' });
  assert.deepEqual(events, [{ path: c.path, what: 'created' }]);
});

test('create at a path adds .loci, makes folders, accepts a folder, and refuses an existing file', async (t) => {
  const h = harness(t);
  const p = await h.call('projects.create', { name: 'X', path: join(h.dir, 'sub', 'deeper', 'mine') });
  assert.equal(p.path, join(h.dir, 'sub', 'deeper', 'mine.loci'));
  assert.ok(existsSync(p.path));
  const inFolder = await h.call('projects.create', { name: 'In a folder', path: join(h.dir, 'sub') });
  assert.equal(inFolder.path, join(h.dir, 'sub', 'in-a-folder.loci'));

  const err = await rejection(h.call('projects.create', { name: 'Y', path: join(h.dir, 'sub', 'deeper', 'mine.loci') }));
  assert.equal(err.code, 'conflict');
  assert.match(err.message, /already exists at .*mine\.loci/);
  // The first project is intact.
  assert.equal((await h.call('projects.info', { path: p.path })).name, 'X');
});

test('open adds to the recent list, newest first; info does not', async (t) => {
  const h = harness(t);
  const a = await h.call('projects.create', { name: 'A', path: join(h.dir, 'a') });
  const b = await h.call('projects.create', { name: 'B', path: join(h.dir, 'b') });
  const c = await h.call('projects.create', { name: 'C', path: join(h.dir, 'c') });
  await h.call('projects.forget', { path: c.path });
  await h.call('projects.info', { path: c.path });
  await new Promise((r) => setTimeout(r, 5)); // distinct openedAt
  await h.call('projects.open', { path: a.path });
  const recent = await h.call('projects.listRecent', {});
  assert.deepEqual(recent.map((r) => r.name), ['A', 'B']);
  assert.ok(recent.every((r) => r.exists));
  assert.equal(recent[0]?.path, a.path);
  void b;
});

test('listRecent marks moved and deleted files; forget removes them', async (t) => {
  const h = harness(t);
  const a = await h.call('projects.create', { name: 'Moved', path: join(h.dir, 'moved') });
  h.ctx.projects.closeAll();
  renameSync(a.path, join(h.dir, 'elsewhere.loci'));
  const [entry] = await h.call('projects.listRecent', {});
  assert.deepEqual({ name: entry?.name, exists: entry?.exists }, { name: 'Moved', exists: false });
  assert.deepEqual(await h.call('projects.forget', { path: a.path }), { ok: true });
  assert.deepEqual(await h.call('projects.listRecent', {}), []);
  // The file is still there under its new name, untouched by forget.
  assert.equal((await h.call('projects.info', { path: join(h.dir, 'elsewhere.loci') })).name, 'Moved');
});

test('rename changes the name in the file and in the recent list', async (t) => {
  const h = harness(t);
  const p = await h.call('projects.create', { name: 'Draft', path: join(h.dir, 'draft') });
  await new Promise((r) => setTimeout(r, 5));
  const renamed = await h.call('projects.rename', { path: p.path, name: '  Final  ' });
  assert.equal(renamed.name, 'Final');
  assert.equal(renamed.path, p.path, 'the file keeps its path');
  assert.ok(renamed.modifiedAt > p.modifiedAt);
  assert.equal((await h.call('projects.listRecent', {}))[0]?.name, 'Final');
  h.ctx.projects.closeAll();
  const db = new Database(p.path, { readonly: true });
  assert.equal((db.prepare('SELECT name FROM meta').get() as { name: string }).name, 'Final');
  db.close();
});

test('delete needs the exact name, removes the file and its side files, and forgets it', async (t) => {
  const h = harness(t);
  const p = await h.call('projects.create', { name: 'Doomed', path: join(h.dir, 'doomed') });
  const wrong = await rejection(h.call('projects.delete', { path: p.path, confirmName: 'doomed' }));
  assert.equal(wrong.code, 'invalid_input');
  assert.deepEqual(wrong.issues?.map((i) => i.path), ['confirmName']);
  assert.match(wrong.message, /"Doomed"/);
  assert.ok(existsSync(p.path));
  assert.ok(existsSync(p.path + '-wal'), 'the project is open (WAL) when deleted');

  const events: unknown[] = [];
  h.ctx.bus.on('project.changed', (e) => events.push(e));
  assert.deepEqual(await h.call('projects.delete', { path: p.path, confirmName: 'Doomed' }), { ok: true });
  assert.deepEqual(readdirSync(h.dir).filter((f) => f.startsWith('doomed')), []);
  assert.deepEqual(await h.call('projects.listRecent', {}), []);
  assert.deepEqual(events, [{ path: p.path, what: 'deleted' }]);
  assert.equal((await rejection(h.call('projects.info', { path: p.path }))).code, 'not_found');
});

test('delete refuses a project another process has open (a server, the app), and deletes it once closed', async (t) => {
  const h = harness(t);
  const p = await h.call('projects.create', { name: 'Busy', path: join(h.dir, 'busy') });
  // Another process that opened the project as the server does (WAL, one read), and keeps it open.
  const holder = spawn(process.execPath, ['-e', `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('journal_mode = WAL'); db.prepare('SELECT name FROM meta').get();
    process.stdout.write('ready'); setInterval(() => {}, 1000);`, p.path], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => holder.kill());
  await once(holder.stdout, 'data');
  const busy = await rejection(h.call('projects.delete', { path: p.path, confirmName: 'Busy' }));
  assert.equal(busy.code, 'conflict');
  assert.match(busy.message, /Not deleted: .*busy\.loci is open in another Loci/);
  assert.ok(existsSync(p.path), 'nothing was deleted');
  assert.equal((await h.call('projects.info', { path: p.path })).name, 'Busy');

  holder.kill();
  await once(holder, 'exit');
  assert.deepEqual(await h.call('projects.delete', { path: p.path, confirmName: 'Busy' }), { ok: true });
  assert.equal(existsSync(p.path), false);
});

test('delete refuses a file that is not a Loci project, whatever name is typed', async (t) => {
  const h = harness(t);
  const path = join(h.dir, 'thesis.docx');
  writeFileSync(path, 'years of work');
  const err = await rejection(h.call('projects.delete', { path, confirmName: 'thesis' }));
  assert.equal(err.code, 'not_a_project');
  assert.ok(existsSync(path));
});

test('a symlink and its target are one project (one handle, one recent entry)', async (t) => {
  const h = harness(t);
  const p = await h.call('projects.create', { name: 'Linked', path: join(h.dir, 'real') });
  const link = join(h.dir, 'link.loci');
  symlinkSync(p.path, link);
  const viaLink = await h.call('projects.open', { path: link });
  assert.equal(viaLink.path, p.path);
  assert.equal((await h.call('projects.listRecent', {})).length, 1);
});

test('open of a missing, foreign or newer file gives the matching error code', async (t) => {
  const h = harness(t);
  assert.equal((await rejection(h.call('projects.open', { path: join(h.dir, 'none.loci') }))).code, 'not_found');
  // The message names the path as typed; where a relative one leads follows in brackets (issue 10).
  assert.equal((await rejection(h.call('projects.open', { path: join(h.dir, 'none.loci') }))).message, `No project file at ${join(h.dir, 'none.loci')}`);
  assert.match((await rejection(h.call('projects.open', { path: 'typed/none.loci' }))).message, /^No project file at typed\/none\.loci \(\/.+\/typed\/none\.loci\)$/);
  const text = join(h.dir, 'regions.bed');
  writeFileSync(text, 'chr1\t1\t2\n');
  const foreign = await rejection(h.call('projects.open', { path: text }));
  assert.equal(foreign.code, 'not_a_project');
  assert.match(foreign.message, /regions\.bed is not a Loci project \(it is not a SQLite database\)/);

  const future = join(h.dir, 'future.loci');
  const p = await h.call('projects.create', { name: 'Future', path: future });
  h.ctx.projects.closeAll();
  const db = new Database(p.path);
  db.pragma(`user_version = ${SCHEMA_VERSION + 6}`);
  db.close();
  const newer = await rejection(h.call('projects.open', { path: future }));
  assert.equal(newer.code, 'newer_schema');
  assert.match(newer.message, new RegExp(`schema ${SCHEMA_VERSION + 6}, this Loci knows up to ${SCHEMA_VERSION}`));
  assert.equal((await rejection(h.call('projects.info', { path: future }))).code, 'newer_schema');
});

test('info of a closed project reads it without leaving side files', async (t) => {
  const h = harness(t);
  mkdirSync(join(h.dir, 'box'));
  const p = await h.call('projects.create', { name: 'Boxed', path: join(h.dir, 'box', 'boxed') });
  h.ctx.projects.closeAll();
  const info = await h.call('projects.info', { path: p.path });
  assert.equal(info.name, 'Boxed');
  assert.equal(h.ctx.projects.isOpen(p.path), false);
  assert.deepEqual(readdirSync(join(h.dir, 'box')), ['boxed.loci']);
});

test('system.info and system.backend answer within the contract', async (t) => {
  const h = harness(t);
  const info = await h.call('system.info', {});
  assert.equal(info.dataDir, h.ctx.dataDir);
  assert.equal(info.mode, 'cli');
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  const backend = await h.call('system.backend', {});
  assert.equal(backend.preference, 'auto');
  assert.ok(backend.candidates.some((c) => c.name === backend.chosen && c.available));
  // Cached until refresh: a changed preference shows only after refresh: true.
  h.ctx.settings.update((s) => ({ ...s, backendPreference: 'cpu' }));
  assert.equal((await h.call('system.backend', {})).preference, 'auto');
  const refreshed = await h.call('system.backend', { refresh: true });
  assert.deepEqual([refreshed.preference, refreshed.chosen], ['cpu', 'cpu']);
});
