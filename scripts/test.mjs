#!/usr/bin/env node
// One test runner for everything: Node's own (node:test), with tsx for TypeScript.
// `npm test` = type-check, lint, build, then unit, integration and e2e tests.
// `node scripts/test.mjs unit integration` runs just those folders; `--no-check` skips tsc/eslint;
// `node scripts/test.mjs tfjs-node` runs the backend tests (SUITE_FILES) where tfjs-node loads.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const skipChecks = args.includes('--no-check');
const suites = args.filter((a) => !a.startsWith('--'));
const selected = suites.length ? suites : ['unit', 'integration', 'e2e'];

// `tfjs-node`: the tests that choose, compare or run the engine's backend through `auto`, again on a
// machine where tfjs-node loads (CI builds it after the main run: scripts/tfjs-node-from-wheel.sh).
const SUITE_FILES = {
  'tfjs-node': [
    'test/unit/engine/backend.test.ts',
    'test/integration/engine-precision.test.ts',
    'test/integration/engine-parity.test.ts',
    'test/integration/cli-finetune.test.ts',
    'test/integration/cli-scan.test.ts',
  ],
};

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function testFiles(dir) {
  const out = [];
  let entries = [];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

if (!skipChecks && suites.length === 0) {
  run('npm', ['run', '--silent', 'typecheck']);
  run('npx', ['eslint', '.', '--max-warnings=0']);
}
if (selected.includes('e2e')) run('node', ['scripts/build.mjs', '--if-stale']);

const files = selected.flatMap((s) => SUITE_FILES[s] ?? testFiles(join('test', s)));
if (files.length === 0) { console.error('no test files found for', selected.join(', ')); process.exit(1); }
// One file at a time keeps peak memory and the two cores predictable (wasm training tests are heavy).
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  env: { ...process.env, LOCI_TEST: '1', ...(selected.includes('tfjs-node') && { LOCI_TEST_BACKEND: 'tfjs-node' }) },
});
