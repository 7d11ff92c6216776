// What every service needs, built once per process (Electron main, `loci serve`, a CLI command, a test).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stderrLogger, type Logger } from '../node/log';
import { appVersion, defaultDataDir } from '../node/paths';
import { SettingsStore } from '../node/settings';
import { OpenProjects } from '../store/open-projects';
import { FileRegistry } from '../transport/files';
import { EventBus } from './bus';

export interface AppContext {
  /** Where Loci keeps settings, default projects, backups and caches. */
  dataDir: string;
  mode: 'desktop' | 'browser' | 'cli';
  bus: EventBus;
  log: Logger;
  appVersion: string;
  settings: SettingsStore;
  /** The project files open in this process. */
  projects: OpenProjects;
  /** Local files the renderer may read by opaque id (igv.js); both transports serve this one registry. */
  files: FileRegistry;
  /** The desktop app prints reports with Electron (main/app sets this); elsewhere the installed Chromium does. */
  printToPdf?: (html: string) => Promise<Uint8Array>;
}

export interface AppContextOptions {
  dataDir?: string;
  mode: AppContext['mode'];
  log?: Logger;
}

export function createAppContext(opts: AppContextOptions): AppContext {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir());
  mkdirSync(dataDir, { recursive: true });
  const log = opts.log ?? stderrLogger;
  const version = appVersion();
  return {
    dataDir,
    mode: opts.mode,
    bus: new EventBus(),
    log,
    appVersion: version,
    settings: new SettingsStore(dataDir, log),
    projects: new OpenProjects({ appVersion: version, backupDir: join(dataDir, 'backups') }, log),
    files: new FileRegistry(),
  };
}

/**
 * Closes every open project (checkpointing its WAL). Call on quit. Returns what could not be closed
 * cleanly (a full disk: the changes stay in the WAL next to the project); logged unless `log` is false.
 */
export function closeAppContext(ctx: AppContext, log = true): string[] {
  return ctx.projects.closeAll(log);
}
