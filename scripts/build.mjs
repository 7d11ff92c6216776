#!/usr/bin/env node
// Builds the Node side with esbuild (one file per entry point, npm packages left external so
// native modules and tfjs's wasm files load from node_modules) and the renderer with Vite.
// `--if-stale` skips the build when dist/ is newer than every source file.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['main', 'shared', 'renderer', 'package.json', 'vite.config.ts', 'postcss.config.cjs', 'scripts/build.mjs'];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const e of readdirSync(p)) m = Math.max(m, newestMtime(join(p, e)));
  return m;
}

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if (sources.every((s) => newestMtime(join(root, s)) <= built)) process.exit(0);
}

// Entry points of the Node side; each exists once its feature lands.
const nodeEntries = {
  cli: 'main/cli.ts',
  electron: 'main/app/electron.ts',
  worker: 'main/jobs/worker.ts',
  // loci gue's unit processes (main/engine/gue/runner.ts finds it beside the bundle).
  'gue-worker': 'main/engine/gue/unit-worker.ts',
  // A scan's worker threads (main/scan/parallel.ts finds it beside the bundle).
  'scan-worker': 'main/scan/infer-worker.ts',
};
const entryPoints = Object.fromEntries(Object.entries(nodeEntries).filter(([, f]) => existsSync(join(root, f))));
const t0 = Date.now();
await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist/main',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __lociRequire } from 'node:module'; const require = __lociRequire(import.meta.url);" },
});
if (existsSync(join(root, 'main/app/preload.ts'))) {
  // A sandboxed preload must be one CommonJS file that requires nothing but electron.
  await build({
    absWorkingDir: root,
    entryPoints: { preload: 'main/app/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
}
if (existsSync(join(root, 'renderer/index.html'))) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(stamp, new Date().toISOString() + '\n');
console.log(`built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
