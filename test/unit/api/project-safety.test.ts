// Projects a crash, a read-only place or damage left in trouble (issue 9, defects 2, 4, 5): each is
// opened when it safely can be, refused with the file and what to do when not, never 'internal'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/contract/errors';
import { leaveHotJournal } from '../../helpers/project-damage';
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

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** A closed project with a few rows in it, at `path`. */
async function makeProject(h: ReturnType<typeof harness>, path: string, name = 'Roots'): Promise<string> {
  const info = await h.call('projects.create', { name, path });
  h.ctx.projects.close(info.path);
  return info.path;
}

test('a project left with a hot journal by a crash is rolled back and opens (info, open, list)', async (t) => {
  const h = harness(t);
  const path = await makeProject(h, join(h.dir, 'p.loci'));
  leaveHotJournal(path);
  assert.ok(statSync(path + '-journal').size > 0, 'the crash left a hot journal');

  const info = await h.call('projects.info', { path });
  assert.equal(info.name, 'Roots', 'the half-written change is rolled back');
  assert.equal(info.readOnly, false);
  assert.ok(!existsSync(path + '-journal'), 'the journal is gone');
  assert.equal(integrity(path), 'ok');
  assert.ok(h.logs.some((l) => /rolled back a change left unfinished by a crash/.test(l)), h.logs.join('\n'));

  leaveHotJournal(path);
  const opened = await h.call('projects.open', { path });
  assert.equal(opened.name, 'Roots');
  assert.equal(integrity(path), 'ok');
});

test('a hot journal on a file Loci may not write is refused with read_only and what to do', async (t) => {
  const h = harness(t);
  const path = await makeProject(h, join(h.dir, 'p.loci'));
  leaveHotJournal(path);
  if (!canChattr(h.dir)) return t.skip('chattr +i is not permitted here (needs root on a filesystem with attributes)');
  execFileSync('chattr', ['+i', path]);
  try {
    const err = await rejection(h.call('projects.info', { path }));
    assert.equal(err.code, 'read_only');
    assert.match(err.message, /half-written by a crash.*marked immutable.*copy it together with p\.loci-journal/);
    assert.equal(err.file, path);
  } finally {
    execFileSync('chattr', ['-i', path]);
  }
});

function canChattr(dir: string): boolean {
  const probe = join(dir, 'probe');
  writeFileSync(probe, '');
  const r = spawnSync('chattr', ['+i', probe]);
  if (r.status === 0) spawnSync('chattr', ['-i', probe]);
  return r.status === 0;
}

test('an immutable project (chattr +i) opens read-only, says so, and refuses writes with read_only', async (t) => {
  const h = harness(t);
  if (!canChattr(h.dir)) return t.skip('chattr +i is not permitted here (needs root on a filesystem with attributes)');
  const path = await makeProject(h, join(h.dir, 'p.loci'));
  execFileSync('chattr', ['+i', path]);
  try {
    await immutableChecks(h, path);
  } finally {
    h.ctx.projects.closeAll();
    execFileSync('chattr', ['-i', path]);
  }
});

async function immutableChecks(h: ReturnType<typeof harness>, path: string): Promise<void> {
  const info = await h.call('projects.info', { path });
  assert.equal(info.readOnly, true);
  assert.match(info.readOnlyReason ?? '', /immutable/);
  const opened = await h.call('projects.open', { path });
  assert.equal(opened.readOnly, true);
  assert.deepEqual(await h.call('datasets.list', { project: path }), []);

  const err = await rejection(h.call('projects.rename', { path, name: 'Shoots' }));
  assert.equal(err.code, 'read_only');
  assert.match(err.message, /p\.loci is read-only \(the file is marked immutable\): this change was not made/);
  assert.equal(err.file, path);
  assert.ok(!existsSync(path + '-wal') && !existsSync(path + '-journal'), 'no side files next to a read-only project');
}

test('a project in a read-only folder opens for reading (as a normal user, where root bypasses permissions)', async (t) => {
  const h = harness(t);
  const dir = join(h.dir, 'usb');
  mkdirSync(dir);
  const path = await makeProject(h, join(dir, 'p.loci'));
  chmodSync(path, 0o444);
  chmodSync(dir, 0o555);
  let mounted = false;
  try {
    if (process.getuid?.() === 0) {
      // root may write anyway; a read-only bind mount refuses it the way a USB stick would
      mounted = spawnSync('mount', ['--bind', '-o', 'ro', dir, dir]).status === 0;
      if (!mounted) return t.skip('running as root and cannot bind-mount read-only here');
    }
    const info = await h.call('projects.info', { path });
    assert.equal(info.readOnly, true);
    assert.match(info.readOnlyReason ?? '', /read-only/);
    const err = await rejection(h.call('projects.rename', { path, name: 'Shoots' }));
    assert.equal(err.code, 'read_only');
    assert.match(err.message, /this change was not made/);
  } finally {
    h.ctx.projects.closeAll();
    if (mounted) spawnSync('umount', [dir]);
    chmodSync(dir, 0o755);
  }
});

test('a truncated project is refused as damaged, naming the file and what to do (never internal)', async (t) => {
  const h = harness(t);
  const path = await makeProject(h, join(h.dir, 'p.loci'));
  truncateSync(path, 100_000);
  for (const method of ['projects.info', 'projects.open'] as const) {
    const err = await rejection(h.call(method, { path }));
    assert.equal(err.code, 'damaged', `${method}: ${err.message}`);
    assert.match(err.message, /p\.loci is damaged .*nothing was changed.*\.recover/);
    assert.equal(err.file, path);
  }
  const err = await rejection(h.call('datasets.list', { project: path }));
  assert.equal(err.code, 'damaged');
});

test('a project with a damaged page is caught by the check on open, and the backup is named', async (t) => {
  const h = harness(t);
  const path = await makeProject(h, join(h.dir, 'p.loci'));
  // Fill a table over several pages, then overwrite one of its interior pages with garbage.
  const db = new Database(path);
  db.exec("CREATE TABLE filler (x); INSERT INTO filler SELECT randomblob(1000) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400) SELECT i FROM c)");
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  const backups = join(h.ctx.dataDir, 'backups');
  mkdirSync(backups, { recursive: true });
  copyFileSync(path, join(backups, 'p.schema3.2026-01-01T00-00-00-000Z.loci'));
  const bytes = Buffer.alloc(pageSize, 0x5a);
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, pageSize, pageSize * (pages - 5));
  closeSync(fd);

  const err = await rejection(h.call('projects.open', { path }));
  assert.equal(err.code, 'damaged', err.message);
  assert.match(err.message, /p\.loci is damaged \(/);
  assert.match(err.message, /p\.schema3\.2026-01-01T00-00-00-000Z\.loci/, 'names the automatic backup');
});

test('the recent list shows a project that cannot be opened as unavailable, with the reason', async (t) => {
  const h = harness(t);
  const good = await makeProject(h, join(h.dir, 'good.loci'), 'Good');
  const bad = await makeProject(h, join(h.dir, 'bad.loci'), 'Bad');
  await h.call('projects.open', { path: good });
  await h.call('projects.open', { path: bad });
  h.ctx.projects.closeAll();
  truncateSync(bad, 50_000);
  const recent = await h.call('projects.listRecent', {});
  const byName = new Map(recent.map((r) => [r.name, r]));
  assert.equal(byName.get('Good')?.unavailable, undefined);
  assert.match(byName.get('Bad')?.unavailable ?? '', /bad\.loci is damaged/);
});
