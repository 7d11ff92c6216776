// Where Loci keeps its data, and where its own files (package.json, the built renderer) are,
// whether it runs from sources (tsx), from the esbuild bundle in dist/, or inside Electron's asar.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../shared/contract/errors';

/**
 * The app's data directory: $LOCI_HOME, else the platform's per-user data folder
 * (~/.local/share/loci or $XDG_DATA_HOME/loci, ~/Library/Application Support/Loci, %APPDATA%/Loci).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LOCI_HOME) return resolve(env.LOCI_HOME);
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Loci');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Loci');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'loci');
}

let cachedRoot: string | undefined;

/** The folder holding Loci's package.json, found by walking up from this module (sources or bundle). */
export function packageRoot(from: string = import.meta.url): string {
  if (cachedRoot && from === import.meta.url) return cachedRoot;
  let dir = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'loci') {
          if (from === import.meta.url) cachedRoot = dir;
          return dir;
        }
      } catch {
        // an unreadable package.json on the way up is not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find Loci's package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

let cachedVersion: string | undefined;

/** Loci's version from its package.json. */
export function appVersion(): string {
  cachedVersion ??= String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  return cachedVersion;
}

/** The built renderer (Vite's output) that browser mode and Electron serve. */
export function rendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

/** The canonical path of an existing project file (symlinks resolved), so one project has one key; else not_found. */
export function existingPath(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    // The path as the user typed it; where that leads only when it differs (a relative path).
    const full = resolve(path);
    throw new ApiError({ code: 'not_found', message: `No project file at ${path}${full !== path ? ` (${full})` : ''}`, file: full });
  }
}
