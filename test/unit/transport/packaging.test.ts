// electron-builder.yml is valid for electron-builder (checked with its own schema, offline), and
// packages what the app needs: the builds, the native modules unpacked, the models and demo.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('../../../', import.meta.url).pathname;
// Both come with electron-builder (a dev dependency) and have no type declarations here.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string }[];
  fileAssociations: { ext: string }[];
  linux: { target: string[]; icon: string };
  win: { target: string[] };
  mac: { target: string[] };
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

test('electron-builder.yml passes electron-builder\'s configuration schema', async () => {
  await validateConfiguration(structuredClone(config), { isEnabled: false, add: () => undefined });
  // And the schema really is strict: a misspelt option is refused.
  await assert.rejects(validateConfiguration({ ...structuredClone(config), lunix: {} }, { isEnabled: false, add: () => undefined }), /lunix/);
});

test('electron-builder.yml packages Loci for the three platforms', () => {
  assert.equal(config.productName, 'Loci');
  assert.match(config.appId, /^[a-z]+(\.[a-z]+)+$/);
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.fileAssociations.map((f) => f.ext), ['loci']);
  assert.ok(config.files.includes('dist/main/**') && config.files.includes('dist/renderer/**'));
  assert.ok(config.asarUnpack.includes('**/node_modules/better-sqlite3/**'));
  assert.ok(config.asarUnpack.some((p) => p.includes('tfjs-node')));
  assert.ok(config.asarUnpack.some((p) => p.includes('tokenizers')));
  assert.ok(config.asarUnpack.some((p) => p.endsWith('.wasm')));
  assert.equal(config.npmRebuild, true);
  assert.deepEqual(config.extraResources.map((r) => r.to).sort(), ['demo', 'models', 'python']);
  assert.ok(existsSync(join(root, config.linux.icon)), `${config.linux.icon} exists`);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
  assert.equal(pkg.main, 'dist/main/electron.js', 'package.json main is the bundled Electron entry');
});
