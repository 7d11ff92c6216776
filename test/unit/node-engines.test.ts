// The stated Node.js requirement and the installed dependencies agree (issue 10, point 9): every
// package in the lock file accepts the oldest Node that package.json and the README name, except the
// build-only packages the README names as needing a newer one for `npm run dist`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// npm's own range logic (semver is in the tree through npm's tooling), so the test reads ranges as npm ci does.
const semver = createRequire(import.meta.url)('semver') as { minVersion(range: string): { version: string } | null; satisfies(v: string, range: string): boolean };

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const read = (name: string) => readFileSync(join(repoRoot, name), 'utf8');

/** Packages only `npm run dist` needs, allowed to ask for more, with the Node the README says for them. */
const BUILD_ONLY: Record<string, string> = {
  'node_modules/@electron/rebuild': '22.12',
  'node_modules/@electron/rebuild/node_modules/node-abi': '22.12',
};

test('every dependency accepts the oldest Node the project states; build-only exceptions are stated in the README', () => {
  const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: unknown; dev?: boolean }> };
  const readme = read('README.md');
  const oldest = semver.minVersion(pkg.engines.node)?.version;
  assert.ok(oldest, `package.json engines.node "${pkg.engines.node}" has a lowest version`);
  const [major, minor] = oldest.split('.');
  assert.ok(readme.includes(`Node.js ${major}.${minor}+`), `the README states Node.js ${major}.${minor}+ as package.json does`);

  const refused: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = (entry.engines as { node?: unknown } | undefined)?.node;
    if (typeof range !== 'string' || semver.satisfies(oldest, range)) continue;
    const allowed = BUILD_ONLY[path];
    if (allowed && entry.dev && semver.satisfies(`${allowed}.0`, range) && readme.includes(`Node.js ${allowed}+`)) continue;
    refused.push(`${path} needs node ${range}`);
  }
  assert.deepEqual(refused, [], `packages that npm ci would warn about on Node ${oldest}`);
});
