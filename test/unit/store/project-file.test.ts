// Project files: creating, the checks that refuse foreign and newer files without touching them,
// upgrades of older schemas, foreign keys, and the one-portable-file guarantee on close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/contract/errors';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../../main/store/migrations';
import {
  LOCI_APPLICATION_ID,
  checkProjectFile,
  closeProjectFile,
  createProjectFile,
  openProjectFile,
} from '../../../main/store/project-file';
import { readMeta } from '../../../main/store/meta';
import { fingerprint, tempDir } from './helpers';

const opts = { appVersion: '0.0.1-test' };

function expectApiError(fn: () => unknown, code: string, message: RegExp): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

/** A later Loci's migration, to make the current schema an "old" one. */
const v2: Migration = { version: SCHEMA_VERSION + 1, name: 'test: colour of genomes', sql: "ALTER TABLE genomes ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue';" };

test('a new project carries the Loci mark, the full schema and its name', (t) => {
  const path = join(tempDir(t), 'a.loci');
  const db = createProjectFile(path, 'Roots', opts);
  assert.equal(db.pragma('application_id', { simple: true }), LOCI_APPLICATION_ID);
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const name of ['meta', 'migrations', 'genomes', 'genome_sequences', 'region_sets', 'datasets', 'dataset_items', 'models', 'runs', 'run_metrics', 'tracks', 'predictions', 'annotations', 'jobs']) {
    assert.ok(tables.includes(name), `table ${name} missing`);
  }
  assert.deepEqual(
    db.prepare('SELECT version, name FROM migrations ORDER BY version').all(),
    MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
  );
  assert.equal(readMeta(db, path).name, 'Roots');
  assert.equal(readMeta(db, path).appVersion, '0.0.1-test');
  closeProjectFile(db);
});

test('creating over an existing file is a conflict and leaves that file alone', (t) => {
  const path = join(tempDir(t), 'taken.loci');
  writeFileSync(path, 'my notes');
  const before = fingerprint(path);
  expectApiError(() => createProjectFile(path, 'X', opts), 'conflict', /already exists/);
  assert.deepEqual(fingerprint(path), before);
});

test('on close the WAL is folded in: the project is one self-contained file', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'p.loci');
  const db = createProjectFile(path, 'P', opts);
  db.prepare("INSERT INTO genomes (name, path, added_at) VALUES ('TAIR10', '/g/tair10.fa', 'now')").run();
  assert.ok(existsSync(path + '-wal'), 'an open project writes through its WAL');
  closeProjectFile(db);
  assert.deepEqual(readdirSync(dir), ['p.loci']);
  // A copy of the file alone has everything.
  const copy = join(dir, 'copy.loci');
  copyFileSync(path, copy);
  const ro = new Database(copy, { readonly: true });
  assert.equal((ro.prepare('SELECT count(*) AS n FROM genomes').get() as { n: number }).n, 1);
  assert.equal(ro.pragma('journal_mode', { simple: true }), 'delete');
  ro.close();
});

test('foreign keys are enforced', (t) => {
  const path = join(tempDir(t), 'fk.loci');
  const db = createProjectFile(path, 'FK', opts);
  t.after(() => closeProjectFile(db));
  assert.throws(
    () => db.prepare("INSERT INTO genome_sequences (genome_id, ord, name, length) VALUES (99, 0, 'chr1', 10)").run(),
    /FOREIGN KEY constraint failed/,
  );
  const g = db.prepare("INSERT INTO genomes (name, path, added_at) VALUES ('g', '/g.fa', 'now')").run().lastInsertRowid;
  db.prepare("INSERT INTO genome_sequences (genome_id, ord, name, length) VALUES (?, 0, 'chr1', 10)").run(g);
  db.prepare('DELETE FROM genomes WHERE id = ?').run(g);
  assert.equal((db.prepare('SELECT count(*) AS n FROM genome_sequences').get() as { n: number }).n, 0, 'sequences go with their genome');
  assert.throws(() => db.prepare("INSERT INTO annotations (chrom, start, \"end\", label, created_at, updated_at) VALUES ('chr1', 10, 5, 'x', 'n', 'n')").run(), /CHECK constraint failed/);
});

test('a text file, an empty file and a folder are refused, unchanged', (t) => {
  const dir = tempDir(t);
  const text = join(dir, 'notes.loci');
  writeFileSync(text, 'chr1\t100\t200\tpromoter\n'.repeat(20));
  const empty = join(dir, 'empty.loci');
  writeFileSync(empty, '');
  const before = [fingerprint(text), fingerprint(empty)];
  expectApiError(() => openProjectFile(text, opts), 'not_a_project', /notes\.loci is not a Loci project \(it is not a SQLite database\)/);
  expectApiError(() => openProjectFile(empty, opts), 'not_a_project', /empty\.loci is not a Loci project \(the file is empty/);
  expectApiError(() => openProjectFile(dir, opts), 'not_a_project', /it is a folder/);
  assert.deepEqual([fingerprint(text), fingerprint(empty)], before);
  assert.deepEqual(readdirSync(dir).sort(), ['empty.loci', 'notes.loci'], 'no -wal/-shm/-journal files appeared');
});

test('a SQLite database of another program is refused, unchanged, even in WAL mode', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'other.db');
  const other = new Database(path);
  other.pragma('journal_mode = WAL');
  other.exec('CREATE TABLE meta (name TEXT); INSERT INTO meta VALUES (\'not ours\'); PRAGMA user_version = 1;');
  other.close();
  const before = fingerprint(path);
  const listing = readdirSync(dir).sort();
  expectApiError(() => openProjectFile(path, opts), 'not_a_project', /other\.db is not a Loci project \(it is a SQLite database of another program\)/);
  expectApiError(() => checkProjectFile(path), 'not_a_project', /another program/);
  assert.deepEqual(fingerprint(path), before);
  assert.deepEqual(readdirSync(dir).sort(), listing);
});

test('a missing file is not_found', (t) => {
  expectApiError(() => openProjectFile(join(tempDir(t), 'nope.loci'), opts), 'not_found', /No project file at .*nope\.loci/);
});

test('a file from a newer Loci is refused, unchanged, with both schema numbers', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'future.loci');
  // Written by a "newer Loci" that knows one more migration.
  closeProjectFile(createProjectFile(path, 'Future', { ...opts, migrations: [...MIGRATIONS, v2] }));
  const before = fingerprint(path);
  const err = expectApiError(
    () => openProjectFile(path, opts),
    'newer_schema',
    new RegExp(`future\\.loci was written by a newer Loci \\(schema ${SCHEMA_VERSION + 1}, this Loci knows up to ${SCHEMA_VERSION}\\): update Loci to open it`),
  );
  assert.equal(err.file, path);
  assert.deepEqual(fingerprint(path), before);
  assert.deepEqual(readdirSync(dir), ['future.loci']);
});

test('an older project is upgraded on open, keeping its data, with a backup of the old file', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'old.loci');
  const backups = join(dir, 'backups');
  // Written by this Loci, then opened by a "newer Loci" that adds migration v2.
  const old = createProjectFile(path, 'Old', opts);
  old.prepare("INSERT INTO genomes (name, path, added_at) VALUES ('TAIR10', '/g/tair10.fa', 'then')").run();
  closeProjectFile(old);

  const { db, schemaBefore, backupPath } = openProjectFile(path, { ...opts, appVersion: '9.9.9', migrations: [...MIGRATIONS, v2], backupDir: backups });
  t.after(() => closeProjectFile(db));
  assert.equal(schemaBefore, SCHEMA_VERSION);
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
  assert.deepEqual(db.prepare('SELECT name, colour FROM genomes').all(), [{ name: 'TAIR10', colour: 'blue' }]);
  const applied = db.prepare('SELECT version, name, applied_at FROM migrations ORDER BY version').all() as { version: number; name: string; applied_at: string }[];
  assert.deepEqual(applied.map((m) => m.version), [...MIGRATIONS.map((m) => m.version), SCHEMA_VERSION + 1]);
  assert.ok(!Number.isNaN(Date.parse(applied.at(-1)?.applied_at ?? '')), 'applied_at is a time');
  assert.equal(readMeta(db, path).appVersion, '9.9.9');
  assert.ok(backupPath && existsSync(backupPath), 'the old file was copied first');
  const copy = new Database(backupPath, { readonly: true });
  assert.equal(copy.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal((copy.prepare('SELECT count(*) AS n FROM genomes').get() as { n: number }).n, 1);
  copy.close();
});

test('a failing migration rolls back alone: the file stays at the last good version', (t) => {
  const path = join(tempDir(t), 'half.loci');
  closeProjectFile(createProjectFile(path, 'Half', opts));
  const broken: Migration = { version: SCHEMA_VERSION + 2, name: 'broken', sql: 'ALTER TABLE nowhere ADD COLUMN x;' };
  assert.throws(() => openProjectFile(path, { ...opts, migrations: [...MIGRATIONS, v2, broken] }), /no such table: nowhere/);
  const db = new Database(path, { readonly: true });
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1, 'v2 committed, the broken one did not');
  assert.equal((db.prepare('SELECT max(version) AS v FROM migrations').get() as { v: number }).v, SCHEMA_VERSION + 1);
  db.close();
});

test('checkProjectFile reads the version without opening for writing', (t) => {
  const path = join(tempDir(t), 'c.loci');
  closeProjectFile(createProjectFile(path, 'C', opts));
  const before = fingerprint(path);
  assert.deepEqual(checkProjectFile(path), { schemaVersion: SCHEMA_VERSION, readOnly: null, recovered: false });
  assert.deepEqual(fingerprint(path), before);
});
