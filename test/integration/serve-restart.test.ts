// `loci serve` (what `npm start` runs where there is no Electron) starts again after a SIGTERM, twice
// in a row, with its project left in use: another connection holds a read transaction while the
// server stops (so its close cannot fold the WAL in), and a CLI command used the project meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeGenome } from '../unit/api/data-helpers';
import { cliEntry, repoRoot, runLoci, tempHome } from '../helpers/cli-process';
import { integrity } from './finetune-job-fixture';

/** Starts `loci serve --open project`; resolves once it says it is running, with a stop() that sends SIGTERM. */
function serve(home: string, project: string): Promise<{ url: string; stderr: () => string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, 'serve', '--open', project, '--port', '0'], { cwd: repoRoot, env: { ...process.env, LOCI_HOME: home, LOCI_DEBUG: '' } });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /running in browser mode at (\S+)/.exec(out)?.[1];
      if (url) resolve({ url, stderr: () => err, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then((code) => reject(new Error(`loci serve exited (${code}) before it ran:\n${err}`)));
  });
}

test('loci serve starts twice in a row after a SIGTERM with its project left in use', { timeout: 180_000 }, async (t) => {
  const home = tempHome(t, 'loci-serve-');
  const project = join(home, 'p.loci');
  assert.equal((await runLoci(['project', 'create', 'P', '--path', project], home)).code, 0);
  assert.equal((await runLoci(['import', 'genome', writeGenome(home), '--project', project, '--name', 'g'], home)).code, 0);

  for (let round = 1; round <= 3; round++) {
    const server = await serve(home, project);
    assert.doesNotMatch(server.stderr(), /cannot be opened/, `round ${round}: ${server.stderr()}`);
    // The project in use: a CLI command on it, and a reader holding a transaction while the server stops.
    const list = await runLoci(['dataset', 'list', '--project', project], home);
    assert.equal(list.code, 0, list.stderr);
    const reader = new Database(project, { readonly: true, fileMustExist: true });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT COUNT(*) FROM genomes').get();
    const code = await server.stop();
    reader.prepare('COMMIT').run();
    reader.close();
    assert.equal(code, 0, `round ${round}: loci serve exits 0 on SIGTERM\n${server.stderr()}`);
  }
  const info = await runLoci(['project', 'info', project], home);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /1 genome/);
  assert.equal(integrity(project), 'ok');
});
