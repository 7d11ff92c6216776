// Ways a project file gets into trouble outside Loci, made deterministic for tests.
import { spawnSync } from 'node:child_process';
import { repoRoot } from './cli-process';

/**
 * Leaves a hot journal next to `path`, as a process that dies inside a write does: a child opens the
 * file in rollback-journal mode with a one-page cache (so changed pages spill into the file), starts a
 * write, changes every dataset item and the name, adds a table, and SIGKILLs itself before committing.
 * (The recipe does the same with Python's sqlite3 and os._exit(0).)
 */
export function leaveHotJournal(path: string): void {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('journal_mode = DELETE');
    db.pragma('cache_size = 1');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE meta SET name = name || ' (half-written)'").run();
    db.exec("UPDATE dataset_items SET label = label");
    db.exec("CREATE TABLE junk (x); INSERT INTO junk SELECT randomblob(4000) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300) SELECT i FROM c)");
    process.kill(process.pid, 'SIGKILL');
  `;
  const r = spawnSync(process.execPath, ['-e', script, path], { cwd: repoRoot, encoding: 'utf8' });
  if (r.signal !== 'SIGKILL') throw new Error(`the crashing writer did not crash: ${r.status} ${r.stderr}`);
}
