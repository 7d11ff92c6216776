// The `loci` CLI as a user runs it, in a child process (from sources through tsx, so no build is
// needed): the project commands, exit codes 2 and 1, and `loci serve` starting and stopping.
// Each spawn costs about a second here, so the finer usage cases run in-process in cli-usage.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readGueResultsFile } from '../../main/engine/gue/report';
import { gueSummary } from '../../shared/gue-summary';
import { join } from 'node:path';
import { cliEntry as cli, repoRoot as root, runLoci as loci, tempHome } from '../helpers/cli-process';

test('project create, list, info, rename and delete', async (t) => {
  const home = tempHome(t);
  const file = join(home, 'work', 'test.loci');

  const created = await loci(['project', 'create', 'Test', '--path', join(home, 'work', 'test')], home);
  assert.deepEqual(created, { code: 0, stdout: `Created project "Test" at ${file}\n`, stderr: '' });

  const listed = await loci(['project', 'list', '--json'], home);
  assert.equal(listed.code, 0);
  const recent = JSON.parse(listed.stdout) as { path: string; name: string; exists: boolean }[];
  assert.deepEqual(recent.map((r) => [r.path, r.name, r.exists]), [[file, 'Test', true]]);

  const renamed = await loci(['project', 'rename', file, 'Roots 2024'], home);
  assert.deepEqual([renamed.code, renamed.stdout], [0, `Renamed ${file} to "Roots 2024"\n`]);

  const info = await loci(['project', 'info', file], home);
  assert.equal(info.code, 0);
  assert.match(info.stdout, /^Name: +Roots 2024$/m);
  assert.match(info.stdout, new RegExp(`^Path: +${file.replace(/[.]/g, '\\.')}$`, 'm'));
  assert.match(info.stdout, /^Contents: +0 genomes, 0 datasets, 0 models, 0 runs$/m);

  const deleted = await loci(['project', 'delete', file, '--yes'], home);
  assert.deepEqual([deleted.code, deleted.stdout], [0, `Deleted project "Roots 2024" (${file})\n`]);
  assert.equal(existsSync(file), false);
});

test('a bad flag exits 2 with a message; a failed operation exits 1 with the message only', async (t) => {
  const home = tempHome(t);
  const [badFlag, missing] = await Promise.all([
    loci(['project', 'create', 'A', '--colour', 'red'], home),
    loci(['project', 'info', join(home, 'nope.loci')], home),
  ]);
  assert.deepEqual(badFlag, { code: 2, stdout: '', stderr: `loci: Unknown option '--colour'\nRun "loci project create --help" for usage.\n` });
  assert.deepEqual(missing, { code: 1, stdout: '', stderr: `loci: No project file at ${join(home, 'nope.loci')}\n` });
});

test('loci serve answers API calls with its token and stops cleanly on SIGINT', async (t) => {
  const home = tempHome(t);
  const project = join(home, 'served.loci');
  assert.equal((await loci(['project', 'create', 'Served', '--path', project], home)).code, 0);
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--open', project], { cwd: root, env: { ...process.env, LOCI_HOME: home } });
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL after 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /Loci is running in browser mode at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(stdout);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  assert.equal(parsed.searchParams.get('project'), project);
  const post = (method: string) =>
    fetch(`${parsed.origin}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${parsed.searchParams.get('token')}`, 'Content-Type': 'application/json' }, body: '{}' });
  const recent = (await (await post('projects.listRecent')).json()) as { name: string }[];
  assert.deepEqual(recent.map((r) => r.name), ['Served']);
  assert.equal(((await (await post('system.info')).json()) as { mode: string }).mode, 'browser');
  assert.ok(existsSync(project + '-wal'), '--open keeps the project open while serving');

  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.equal(existsSync(project + '-wal'), false, 'the open project was checkpointed and closed');
});

test("models catalog: each shipped model with its card's summary and the GUE line of the gue-results.json in its folder", async (t) => {
  const shipped = join(root, 'resources', 'models');
  const names = existsSync(shipped) ? readdirSync(shipped).filter((n) => existsSync(join(shipped, n, 'gue-results.json'))) : [];
  if (names.length === 0) return t.skip('no shipped model carries a gue-results.json');
  const home = tempHome(t);
  const r = await loci(['models', 'catalog'], home, { LOCI_MODELS_DIR: shipped });
  assert.equal(r.code, 0, r.stderr);
  for (const name of names) {
    const gue = gueSummary(readGueResultsFile(join(shipped, name, 'gue-results.json'))!, name)!;
    const block = r.stdout.slice(r.stdout.indexOf(`\n${name}: `));
    const line = block.split('\n').find((l) => l.startsWith('  GUE test MCC x 100'))!;
    assert.ok(line, `${name} has a GUE line:\n${r.stdout}`);
    assert.ok(line.includes(`(mean over ${gue.tasks} tasks; ${gue.budget}): this model ${gue.mean.toFixed(1)}; same model from scratch ${gue.scratchMean!.toFixed(1)}`), line);
    assert.match(line, /DNABERT-2 \(published\) 68\.4/);
  }
  assert.doesNotMatch(r.stdout, /DNAbert6/, 'names with underscores survive the card summary');
});
