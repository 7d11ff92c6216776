// Browser mode for end-to-end tests: the real services and HTTP server in this process (one
// data directory in tmp per server), the built renderer from dist/renderer, and Debian's headless
// chromium driven by playwright-core. Every request the page makes is recorded, so a test can
// prove the app never reached beyond 127.0.0.1; page errors and CSP violations are recorded too.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createAppContext, createServices, closeServices, dispatch, type AppContext, type Services } from '../../main/api/index';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { Logger } from '../../main/node/log';
import { startHttpServer, type HttpServerHandle } from '../../main/transport/http';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const chromiumPath = process.env.LOCI_CHROMIUM ?? '/usr/bin/chromium';
export const rendererDir = join(repoRoot, 'dist', 'renderer');
export const artifactsDir = join(repoRoot, 'test-results', 'e2e');

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the e2e tests cannot run here, for `describe(..., { skip })`; undefined when they can.
 * Without chromium they skip on a workstation but fail in CI (which installs it), so a broken CI
 * image cannot turn the suite silently green.
 */
export function e2eSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `${chromiumPath} not found: install Debian's chromium (apt-get install chromium) or set LOCI_CHROMIUM to run the end-to-end tests`;
  if (process.env.CI) throw new Error(`CI must run the end-to-end tests, but ${reason}`);
  return reason;
}

export interface LociServer {
  ctx: AppContext;
  /** The same services the server dispatches to, for a test to compare the page with. */
  services: Services;
  http: HttpServerHandle;
  /** A scratch folder for the test's own files (the data dir is inside it). */
  tmp: string;
  close(): Promise<void>;
}

/** The real `createServices` + `startHttpServer` on 127.0.0.1 with a fresh data directory. */
export async function startLociServer(): Promise<LociServer> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`${rendererDir}/index.html is missing: build the renderer first (node scripts/build.mjs)`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'loci-e2e-'));
  // Serve a snapshot: a rebuild of dist/ while the tests run (others share this checkout) would
  // otherwise swap the hashed chunk names under the page's feet.
  const staticDir = join(tmp, 'renderer');
  cpSync(rendererDir, staticDir, { recursive: true });
  const ctx = createAppContext({ dataDir: join(tmp, 'data'), mode: 'browser', log: quietLog });
  const services = createServices(ctx);
  const http = await startHttpServer({ services, bus: ctx.bus, staticDir, files: ctx.files, log: (line) => console.error(`loci http: ${line}`) });
  return {
    ctx,
    services,
    http,
    tmp,
    async close() {
      await http.close();
      closeServices(ctx);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// Info lines would drown the test report; problems are worth seeing when a test fails.
const quietLog: Logger = { info: () => undefined, warn: (m) => console.error(`loci server: warning: ${m}`), error: (m) => console.error(`loci server: error: ${m}`) };

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * The server and chromium, started side by side. If either fails to start, the other is closed
 * before the error is rethrown: a chromium left running would keep the test process alive.
 */
export async function startServerAndBrowser(): Promise<{ server: LociServer; browser: Browser }> {
  const [server, browser] = await Promise.allSettled([startLociServer(), launchChromium()]);
  if (server.status === 'fulfilled' && browser.status === 'fulfilled') return { server: server.value, browser: browser.value };
  if (server.status === 'fulfilled') await server.value.close().catch(() => undefined);
  if (browser.status === 'fulfilled') await browser.value.close().catch(() => undefined);
  throw server.status === 'rejected' ? server.reason : (browser as PromiseRejectedResult).reason;
}

export interface E2eSession {
  /** The server and chromium the session's `before` started: read them in hooks and tests, not while the block is declared. */
  readonly server: LociServer;
  readonly browser: Browser;
  /** A method of the server's own services, as the page would call it. */
  api<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

/**
 * The server and chromium for one `describe` block: call it first in the block, so its `before`
 * (which starts both) runs ahead of the block's own `before` hooks; its `after` closes both.
 */
export function e2eSession(): E2eSession {
  let started: { server: LociServer; browser: Browser } | undefined;
  before(async () => {
    started = await startServerAndBrowser();
  });
  after(async () => {
    await started?.browser.close();
    await started?.server.close();
  });
  const get = () => {
    if (!started) throw new Error('The e2e server and chromium start in the describe block\'s before hook: use them in hooks and tests');
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get browser() {
      return get().browser;
    },
    api: <M extends MethodName>(method: M, input: MethodInput<M>) => dispatch(get().server.services, method, input) as Promise<MethodOutput<M>>,
  };
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested (documents, scripts, fetch, WebSocket). */
  requests: string[];
  /** Uncaught exceptions and CSP violations: a healthy page has none. */
  problems: string[];
  /** Saves test-results/e2e/<name>.png and returns its path; `fullPage` takes the whole scrolled page. */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** A fresh browser context (its own sessionStorage) with the app opened at `url`. */
export async function openApp(browser: Browser, url: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<AppPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light',
    // No transitions: faster, and screenshots never catch a dialog half-faded.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  await page.goto(url);
  return {
    context,
    page,
    requests,
    problems,
    async screenshot(name, screenshotOptions) {
      mkdirSync(artifactsDir, { recursive: true });
      const path = join(artifactsDir, `${name}.png`);
      await page.screenshot({ path, fullPage: screenshotOptions?.fullPage ?? false });
      return path;
    },
    close: () => context.close(),
  };
}

/** The requested URLs that leave this machine's loopback server (data: and blob: stay in the page). */
export function foreignRequests(requests: readonly string[], origin: string): string[] {
  const allowed = new URL(origin);
  return requests.filter((raw) => {
    const url = new URL(raw);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return url.hostname !== allowed.hostname;
  });
}

export interface AppRunnerOptions {
  /** Failure screenshots are `<failureName>-<n>.png`. */
  failureName: string;
  fullPageOnFailure?: boolean;
  /** Also assert that the page requested nothing beyond the local server. */
  localOnly?: boolean;
}

/**
 * `withApp(run)`: opens the app, runs the test's steps, asserts the page had no errors (and, with
 * `localOnly`, no foreign requests), saves a screenshot when anything failed, and always closes.
 * `env` is read at call time, since `before` fills it in.
 */
export function appRunner(env: () => { browser: Browser; server: LociServer }, options: AppRunnerOptions) {
  let failures = 0;
  return async function withApp(run: (app: AppPage) => Promise<void>, openOptions?: { colorScheme?: 'light' | 'dark' }): Promise<void> {
    const { browser, server } = env();
    const app = await openApp(browser, server.http.url, openOptions);
    try {
      await run(app);
      assert.deepEqual(app.problems, [], 'the page threw or broke its content security policy');
      if (options.localOnly) assert.deepEqual(foreignRequests(app.requests, server.http.origin), [], 'the page only talks to the local server');
    } catch (err) {
      // What the page looked like when it failed, next to the other screenshots.
      await app.screenshot(`${options.failureName}-${failures++}`, { fullPage: options.fullPageOnFailure ?? false }).catch(() => undefined);
      throw err;
    } finally {
      await app.close();
    }
  };
}

/** Waits until `read` returns a value that `ok` accepts (the page updates from events), polling every `pollMs`. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000, pollMs = 150): Promise<T> {
  const t0 = Date.now();
  let v = await read();
  while (!ok(v)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, pollMs));
    v = await read();
  }
  return v;
}

/** Opens a project from the Projects page's Recent list by its name and waits until the shell shows it. */
export async function openProjectByName(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByTestId('open-project-name').filter({ hasText: name }).waitFor();
}
