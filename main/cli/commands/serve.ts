// loci serve: browser mode. The same renderer and services as the desktop app, over loopback HTTP.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createServices } from '../../api/index';
import { rendererDir } from '../../node/paths';
import { defineCommand, UsageError } from '../command';

export const serve = defineCommand({
  name: 'serve',
  summary: 'Run Loci in your browser (listens on 127.0.0.1 only, with a one-time token)',
  mode: 'browser',
  options: {
    port: { type: 'string', value: 'N', description: 'port to listen on (default: a free one)' },
    open: { type: 'string', value: 'PROJECT', description: 'open this project file first' },
    demo: { type: 'boolean', description: 'open the demo project (E. coli K-12), creating it on first use' },
  },
  async run({ values, context, call, io }) {
    const port = parsePort(values.port);
    const ctx = context();
    const staticDir = rendererDir();
    if (!existsSync(join(staticDir, 'index.html'))) {
      io.err(`loci: warning: the app's pages are not built (${staticDir} is missing); run "npm run build" in the Loci folder`);
    }
    if (typeof values.open === 'string' && values.demo === true) throw new UsageError('Use --open or --demo, not both', 'serve');
    // A project that cannot be opened (damaged, read-only and needing repair, ...) never stops the app
    // from starting: it is listed as unavailable, with the reason, on the Projects page.
    let project: string | undefined;
    const unavailable = (path: string, err: unknown) => {
      io.err(`loci: ${path} cannot be opened, so Loci starts without it: ${err instanceof Error ? err.message : String(err)}`);
      // Listed (under its known name when it is there already) so the Projects page can say why.
      const known = ctx.settings.read().recentProjects.find((r) => r.path === path);
      if (existsSync(path) && !known) ctx.settings.touchRecent(path, basename(path).replace(/\.loci$/i, ''));
    };
    if (typeof values.open === 'string') {
      const path = resolve(values.open);
      try {
        project = (await call('projects.open', { path })).path;
      } catch (err) {
        unavailable(path, err);
      }
    }
    if (values.demo === true) {
      io.err('loci: preparing the demo project (the first time takes a few seconds)');
      const { ensureDemoProject, demoProjectPath } = await import('../../api/demo');
      try {
        project = await ensureDemoProject(ctx);
      } catch (err) {
        unavailable(demoProjectPath(ctx), err);
      }
    }

    // Loaded here so the other commands do not pay for the HTTP and WebSocket stack.
    const { startHttpServer } = await import('../../transport/http');
    // The server dispatches through its own Services object; both share ctx (open projects, bus, settings).
    const server = await startHttpServer({ services: createServices(ctx), bus: ctx.bus, staticDir, port, files: ctx.files });
    // The page opens a project named in its URL; the token comes first so the page can strip both.
    const url = project ? `${server.url}&project=${encodeURIComponent(project)}` : server.url;
    io.out(`Loci is running in browser mode at ${url}`);
    io.out('Open that address in your browser (it holds the access token). Press Ctrl-C to stop.');

    await new Promise<void>((done) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        io.err(`loci: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping`);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    // runCli closes the services (checkpointing open projects) after this returns.
  },
});

function parsePort(value: string | boolean | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${String(value)}"`, 'serve');
  return port;
}
