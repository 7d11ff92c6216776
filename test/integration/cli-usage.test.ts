// The CLI's parsing, help and error reporting, run in-process through runCli (fast); the same code
// path as bin/loci.js minus process start-up, which cli.test.ts covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type RunCliOptions } from '../../main/cli/run';
import { defineCommand } from '../../main/cli/command';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, commands?: RunCliOptions['commands']) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { io: { out: (s) => void (stdout += s + '\n'), err: (s) => void (stderr += s + '\n') }, env, commands });
  return { code, stdout, stderr };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'loci-cli-usage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('mistyped commands, flags and arguments exit 2 with a pointer to --help', async (t) => {
  const data = join(tempDir(t), 'data');
  const cases: [string[], RegExp][] = [
    [['projcet', 'list'], /^loci: Unknown command "projcet"; did you mean "project"\?\nRun "loci --help" for usage\.\n$/],
    [['project', 'lst'], /Unknown command "loci project lst"; did you mean "loci project list"\? \(one of: create, list/],
    [['project'], /"loci project" needs a subcommand: create, list, info/],
    [['project', 'rename', '/x.loci'], /^loci: loci project rename needs PATH NAME\nRun "loci project rename --help" for usage\.\n$/],
    [['project', 'create', 'My', 'project'], /Unexpected argument: project \(quote names that contain spaces\)/],
    [['project', 'create', 'A', '--path'], /Option '--path <value>' argument missing/],
    [['serve', '--port', 'eighty'], /--port must be a number from 0 to 65535, got "eighty"/],
    [['serve', '--port', '70000'], /--port must be a number from 0 to 65535, got "70000"/],
    [['project', 'list', '-x'], /Unknown option '-x'/],
    // A mistyped option gets the nearest real one (issue 10).
    [['finetune', '--project', '/x.loci', '--dataset', 'd', '--model', 'm', '--max-step', '10'], /^loci: Unknown option '--max-step'; did you mean --max-steps\?\nRun "loci finetune --help" for usage\.\n$/],
    [['project', 'create', 'A', '--pth', '/x.loci'], /Unknown option '--pth'; did you mean --path\?/],
    [['project', 'list', '--zzzzzz'], /^loci: Unknown option '--zzzzzz'\nRun/],
    [['call', 'projects.explode'], /No such method: projects\.explode \(see "loci api"\)/],
    [['pin', 'ad'], /Unknown command "loci pin ad"; did you mean "loci pin add"\? \(one of: add, list, remove\)/],
    [['pin', 'add', '--locus', 'chr1:1-10'], /^loci: loci pin add needs --project PATH \(the \.loci file\)\nRun "loci pin add --help" for usage\.\n$/],
    [['pin', 'add', '--project', '/x.loci', '--loci', 'chr1:1-10'], /Unknown option '--loci'; did you mean --locus\?/],
    [['pin', 'remove', '--project', '/x.loci'], /loci pin remove needs ID/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(['--data-dir', data, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '');
  }
  assert.equal(existsSync(data), false, 'no command ran, so no data folder was made');
});

test('no arguments prints help and exits 2; --help exits 0; --version prints the version', async () => {
  const none = await cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stdout, /^Usage: loci <command> \[options\]$/m);
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}project create NAME +Create a project file/m);
  assert.match(help.stdout, /^ {2}serve +Run Loci in your browser/m);
  const version = await cli(['-V']);
  assert.deepEqual([version.code, version.stdout.trim()], [0, JSON.parse((await import('node:fs')).readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version]);
  const cmdHelp = await cli(['project', 'create', '-h']);
  assert.equal(cmdHelp.code, 0);
  assert.match(cmdHelp.stdout, /^Usage: loci project create NAME \[--path PATH\]$/m);
  assert.match(cmdHelp.stdout, /^ +--path PATH +where to write the \.loci file/m);
  assert.match(help.stdout, /^ {2}pin add +Pin a locus \(with a note\) for the genome section of run reports$/m);
  const pinHelp = await cli(['pin', 'add', '--help']);
  assert.equal(pinHelp.code, 0);
  assert.match(pinHelp.stdout, /^Usage: loci pin add \[--project PATH\] \[--genome ID\] \[--locus CHR:START-END\] \[--note TEXT\]$/m);
  assert.match(pinHelp.stdout, /^ +-l, --locus CHR:START-END +the locus \(1-based, inclusive, e\.g\. chr1:1,001-2,000; required\)$/m);
});

test('loci api lists every method; --json adds schemas', async () => {
  const list = await cli(['api']);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /^projects\.create +Create a new project file and open it\.$/m);
  assert.match(list.stdout, /^system\.backend +The compute backend/m);
  const json = JSON.parse((await cli(['api', '--json'])).stdout) as Record<string, { input: { properties?: Record<string, unknown>; required?: string[] } }>;
  assert.deepEqual(json['projects.create']?.input.required, ['name']);
  assert.ok(json['projects.create']?.input.properties?.path);
});

test('API errors exit 1 with the message only; LOCI_DEBUG=1 adds the stack', async (t) => {
  const dir = tempDir(t);
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'hello');
  const plain = await cli(['project', 'info', text, '--data-dir', join(dir, 'data')]);
  assert.deepEqual(plain, { code: 1, stdout: '', stderr: `loci: ${text} is not a Loci project (it is not a SQLite database)\n` });
  const debug = await cli(['project', 'info', text, '--data-dir', join(dir, 'data')], { LOCI_DEBUG: '1' });
  assert.equal(debug.code, 1);
  assert.match(debug.stderr, /^loci: .* is not a Loci project.*\nApiError: .*\n +at /);
  const invalid = await cli(['project', 'create', '   ', '--data-dir', join(dir, 'data')]);
  assert.deepEqual(invalid, { code: 1, stdout: '', stderr: 'loci: A project needs a name\n' });
});

test('delete asks for --yes; create refuses an existing file; call reaches any method', async (t) => {
  const dir = tempDir(t);
  const data = ['--data-dir', join(dir, 'data')];
  const file = join(dir, 'p.loci');
  assert.equal((await cli(['project', 'create', 'P', '--path', file, ...data])).code, 0);
  const noYes = await cli(['project', 'delete', file, ...data]);
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /Not deleted: add --yes to delete "P"/);
  assert.ok(existsSync(file));
  const again = await cli(['project', 'create', 'P', '--path', file, ...data]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /A file already exists at .*p\.loci; choose another name or folder/);
  const called = await cli(['call', 'projects.info', JSON.stringify({ path: file }), ...data]);
  assert.equal(called.code, 0);
  assert.equal((JSON.parse(called.stdout) as { name: string }).name, 'P');
  const badJson = await cli(['call', 'projects.info', '{path:', ...data]);
  assert.equal(badJson.code, 1);
  assert.match(badJson.stderr, /The input of projects\.info is not JSON/);
  const list = await cli(['project', 'list', ...data]);
  assert.match(list.stdout, /^NAME +OPENED +PATH\nP +\d{4}-\d\d-\d\d \d\d:\d\d +.*p\.loci\n$/);
});

test('a new command is one object: it gets parsing, help and the services', async (t) => {
  const dir = tempDir(t);
  const hello = defineCommand({
    name: 'hello world',
    summary: 'Say hello',
    args: 'WHO',
    positionals: { min: 1, max: 1 },
    options: { loud: { type: 'boolean', description: 'shout' } },
    async run({ positionals: [who = ''], values, call, io }) {
      const info = await call('system.info', {});
      io.out(`${values.loud ? 'HELLO' : 'hello'} ${who} from ${info.mode}`);
    },
  });
  const r = await cli(['hello', 'world', 'Ada', '--loud', '--data-dir', join(dir, 'd')], {}, [hello]);
  assert.deepEqual(r, { code: 0, stdout: 'HELLO Ada from cli\n', stderr: '' });
  assert.match((await cli(['--help'], {}, [hello])).stdout, /hello world WHO +Say hello/);
});
