// Lint rules, including the layer rules: a file imports only from its own layer or below.
//   shared/   -> nothing of Node or the DOM (tsconfig.shared.json also enforces it)
//   renderer/ -> shared/ only, never main/
//   main/     -> never renderer/; only main/app/ may import electron; inside main/, lowest first:
//                node/ < store/ < jobs/ < genome/, datasets/, engine/ < api/ < transport/, cli/ < app/
//                (api/context.ts may use transport/files.ts, the file registry both transports serve)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// main/'s layers, lowest first; a layer's folders may import from their own layer and those before it.
const layerOrder = [['node'], ['store'], ['jobs'], ['genome', 'datasets', 'engine'], ['api'], ['transport', 'cli']];
const mainLayers = layerOrder.map((dirs, i) => ({ dirs, above: layerOrder.slice(i + 1).flat() })).filter((l) => l.above.length > 0);

/** no-restricted-imports options for main/<dirs>: nothing from the layers above (the file registry excepted, see the top). */
function layerRule(dirs, above) {
  const names = above.join('|');
  return {
    paths: [{ name: 'electron', message: 'Electron is imported only in main/app/.' }],
    patterns: [
      { group: ['**/renderer/**', '**/main/app/**', '../app/*', '../../app/*'], message: 'main/ never imports the renderer or main/app/ (Electron-only).' },
      {
        regex: `^(\\.\\./)+(?!transport/files$)(${names})(/.*)?$`,
        message: `main/${dirs.join(', main/')} import only from their layer or below (node < store < jobs < genome, datasets, engine < api < transport, cli < app).`,
      },
    ],
  };
}

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'zlib', 'stream', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'test-results/', 'bench/results/', 'resources/', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Electron is imported only in main/app/.' }] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.filter((n) => !n.includes('*')).concat(['electron']),
        patterns: [{ group: ['node:*', '**/main/**', '**/renderer/**'], message: 'shared/ imports neither Node, the DOM, main/ nor renderer/.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.filter((n) => !n.includes('*')).concat(['electron']),
        patterns: [{ group: ['node:*', '**/main/**'], message: 'The renderer reaches the Node side only through shared/.' }],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Electron is imported only in main/app/.' }],
        patterns: [{ group: ['**/renderer/**', '**/main/app/**'], message: 'main/ never imports the renderer or main/app/ (Electron-only).' }],
      }],
    },
  },
  // The layers inside main/: each folder imports only from its own layer or below.
  ...mainLayers.map(({ dirs, above }) => ({
    files: dirs.map((d) => `main/${d}/**/*.ts`),
    // The worker's list of kinds is its composition root: it imports every kind's worker module.
    ignores: ['main/jobs/kinds.ts'],
    rules: { 'no-restricted-imports': ['error', layerRule(dirs, above)] },
  })),
  { files: ['main/jobs/kinds.ts'], rules: { 'no-restricted-imports': ['error', layerRule(['jobs/kinds.ts'], ['api', 'transport', 'cli'])] } },
  {
    files: ['main/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }] }] },
  },
);
