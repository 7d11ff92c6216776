// Browser-mode transport: the wire protocol of main/transport/http.ts against fake services.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { ApiError, type MethodArgs } from '../../../shared/contract';
import { EventBus } from '../../../main/api/bus';
import type { Services } from '../../../main/api/dispatch';
import { FileRegistry } from '../../../main/transport/files';
import { startHttpServer, type HttpServerHandle } from '../../../main/transport/http';

const TOKEN = 'test-token-0123456789';

function fakeServices(): Services {
  const info = {
    name: 'Loci' as const,
    version: '0.0.0-test',
    mode: 'browser' as const,
    platform: 'linux',
    node: process.version,
    dataDir: '/tmp/loci-test',
    offline: true as const,
  };
  const project = (path: string) => ({
    path,
    name: 'p',
    createdAt: 'now',
    modifiedAt: 'now',
    schemaVersion: 1,
    readOnly: false,
    sizeBytes: 0,
    counts: { genomes: 0, datasets: 0, models: 0, runs: 0 },
  });
  const services: Partial<Services> = {
    'system.info': async () => info,
    'projects.open': async ({ path }: MethodArgs<'projects.open'>) => {
      if (path === '/missing.loci') throw new ApiError({ code: 'not_found', message: `No project at ${path}` });
      if (path === '/bad.loci') throw new ApiError({ code: 'not_a_project', message: 'not a Loci project' });
      if (path === '/boom.loci') throw new Error('disk on fire');
      return project(path);
    },
    'projects.create': async ({ path }: MethodArgs<'projects.create'>) => {
      throw new ApiError({ code: 'conflict', message: `${path} exists` });
    },
  };
  return services as Services;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
}

/** node:http rather than fetch: fetch will not send a custom Host header or a raw `..` path. */
function send(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, ...opts.headers };
    if (opts.body !== undefined && !opts.chunked) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
    const req = httpRequest({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) as unknown });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

function api(port: number, method: string, input: unknown, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }): Promise<Reply> {
  return send(port, { method: 'POST', path: `/api/${method}`, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(input) });
}

describe('browser-mode HTTP transport', () => {
  let dir: string;
  let server: HttpServerHandle;
  let bus: EventBus;
  let files: FileRegistry;
  let port: number;
  const fileBytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => 'ACGT'[i % 4]!).join(''));
  let fileId: string;
  const logs: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loci-http-'));
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Loci</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log("hi")');
    writeFileSync(join(web, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');
    writeFileSync(join(dir, 'genome.fa'), fileBytes);
    bus = new EventBus();
    files = new FileRegistry();
    fileId = files.register(join(dir, 'genome.fa'));
    server = await startHttpServer({ services: fakeServices(), bus, staticDir: web, token: TOKEN, files, log: (l) => logs.push(l) });
    port = server.port;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('reports its address and token', () => {
    assert.ok(port > 0);
    assert.equal(server.origin, `http://127.0.0.1:${port}`);
    assert.equal(server.url, `http://127.0.0.1:${port}/?token=${TOKEN}`);
    assert.equal(server.token, TOKEN);
  });

  test('makes a random 32-byte base64url token when none is given', async () => {
    const a = await startHttpServer({ services: fakeServices(), bus, staticDir: dir });
    const b = await startHttpServer({ services: fakeServices(), bus, staticDir: dir });
    try {
      assert.match(a.token, /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual(a.token, b.token);
      assert.equal((await api(a.port, 'system.info', {}, { Authorization: `Bearer ${a.token}` })).status, 200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('calls a method with the right token', async () => {
    const r = await api(port, 'system.info', {});
    assert.equal(r.status, 200);
    assert.equal((r.json() as { version: string }).version, '0.0.0-test');
    assert.equal(r.headers['cache-control'], 'no-store');
  });

  test('an empty body means {}', async () => {
    const r = await send(port, { method: 'POST', path: '/api/system.info', headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
  });

  test('refuses a missing or wrong token with 401', async () => {
    const none = await api(port, 'system.info', {}, {});
    assert.equal(none.status, 401);
    assert.equal((none.json() as { code: string }).code, 'unauthorized');
    assert.equal((await api(port, 'system.info', {}, { Authorization: `Bearer ${TOKEN}x` })).status, 401);
    assert.equal((await api(port, 'system.info', {}, { Authorization: 'Bearer short' })).status, 401);
    assert.equal((await api(port, 'system.info', {}, { Authorization: TOKEN })).status, 401);
    // The token in the query string does not count for /api (it would end up in logs and history).
    assert.equal((await send(port, { method: 'POST', path: `/api/system.info?token=${TOKEN}`, body: '{}' })).status, 401);
    // 401 comes before 404, so method names cannot be probed without the token.
    assert.equal((await api(port, 'no.such', {}, {})).status, 401);
  });

  test('refuses a foreign Origin with 403, allows our own and none', async () => {
    const foreign = await api(port, 'system.info', {}, { Authorization: `Bearer ${TOKEN}`, Origin: 'http://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal((foreign.json() as { code: string }).code, 'unauthorized');
    assert.equal((await api(port, 'system.info', {}, { Authorization: `Bearer ${TOKEN}`, Origin: `http://127.0.0.1:${port + 1}` })).status, 403);
    assert.equal((await api(port, 'system.info', {}, { Authorization: `Bearer ${TOKEN}`, Origin: 'null' })).status, 403);
    assert.equal((await api(port, 'system.info', {}, { Authorization: `Bearer ${TOKEN}`, Origin: `http://127.0.0.1:${port}` })).status, 200);
    assert.equal((await api(port, 'system.info', {}, { Authorization: `Bearer ${TOKEN}`, Origin: `http://localhost:${port}` })).status, 200);
    // Static pages are refused to foreign origins too.
    assert.equal((await send(port, { path: '/', headers: { Origin: 'http://evil.example' } })).status, 403);
  });

  test('refuses a foreign Host (DNS rebinding) with 403', async () => {
    const rebinding = await api(port, 'system.info', {}, { Authorization: `Bearer ${TOKEN}`, Host: `evil.example:${port}` });
    assert.equal(rebinding.status, 403);
    assert.match((rebinding.json() as { message: string }).message, /Host/);
    assert.equal((await send(port, { path: '/', headers: { Host: `evil.example:${port}` } })).status, 403);
    assert.equal((await send(port, { path: '/', headers: { Host: '127.0.0.1' } })).status, 403);
    assert.equal((await send(port, { path: '/', headers: { Host: `localhost:${port}` } })).status, 200);
  });

  test('invalid input is 400 with field-level issues', async () => {
    const r = await api(port, 'projects.open', { path: '' });
    assert.equal(r.status, 400);
    const body = r.json() as { code: string; issues: { path: string; message: string }[] };
    assert.equal(body.code, 'invalid_input');
    assert.equal(body.issues[0]?.path, 'path');
    assert.match(body.issues[0]?.message ?? '', /path is required/);
    const extra = (await api(port, 'projects.open', { path: '/x.loci', bogus: 1 })).json() as { issues: { path: string }[] };
    assert.ok(extra.issues.length >= 1);
  });

  test('a body that is not JSON is 400', async () => {
    const r = await send(port, { method: 'POST', path: '/api/system.info', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{nope' });
    assert.equal(r.status, 400);
    assert.equal((r.json() as { code: string }).code, 'invalid_input');
    assert.match((r.json() as { message: string }).message, /not valid JSON/);
  });

  test('a body over 1 MB is 413, declared or chunked', async () => {
    const big = JSON.stringify({ path: 'x'.repeat(1024 * 1024 + 10) });
    const declared = await send(port, { method: 'POST', path: '/api/projects.open', headers: { Authorization: `Bearer ${TOKEN}` }, body: big });
    assert.equal(declared.status, 413);
    const chunked = await send(port, { method: 'POST', path: '/api/projects.open', headers: { Authorization: `Bearer ${TOKEN}` }, body: big, chunked: true });
    assert.equal(chunked.status, 413);
    assert.equal((chunked.json() as { code: string }).code, 'invalid_input');
  });

  test('an unknown method is 404; GET on /api is 405', async () => {
    const r = await api(port, 'projects.explode', {});
    assert.equal(r.status, 404);
    assert.equal((r.json() as { code: string }).code, 'unknown_method');
    const get = await send(port, { path: '/api/system.info', headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  test('maps ApiError codes to HTTP statuses', async () => {
    const notFound = await api(port, 'projects.open', { path: '/missing.loci' });
    assert.equal(notFound.status, 404);
    assert.deepEqual(notFound.json(), { code: 'not_found', message: 'No project at /missing.loci' });
    assert.equal((await api(port, 'projects.open', { path: '/bad.loci' })).status, 422);
    assert.equal((await api(port, 'projects.create', { name: 'x', path: '/x.loci' })).status, 409);
    const internal = await api(port, 'projects.open', { path: '/boom.loci' });
    assert.equal(internal.status, 500);
    assert.equal((internal.json() as { code: string }).code, 'internal');
    assert.ok(logs.some((l) => l.includes('disk on fire')), 'internal errors are logged');
  });

  test('serves static files with content types and the strict CSP', async () => {
    const index = await send(port, { path: '/' });
    assert.equal(index.status, 200);
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(index.body.toString(), /<title>Loci<\/title>/);
    const csp = index.headers['content-security-policy'];
    assert.equal(
      csp,
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
        `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(index.headers['referrer-policy'], 'no-referrer');
    const js = await send(port, { path: '/assets/app.js' });
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.body.toString(), 'console.log("hi")');
    assert.equal((await send(port, { path: '/assets/app.css' })).headers['content-type'], 'text/css; charset=utf-8');
    // Error replies carry the headers too.
    assert.equal((await api(port, 'system.info', {}, {})).headers['x-content-type-options'], 'nosniff');
  });

  test('client-side routes fall back to index.html; missing assets are 404', async () => {
    const route = await send(port, { path: '/projects/abc?x=1' });
    assert.equal(route.status, 200);
    assert.match(route.body.toString(), /<title>Loci/);
    assert.equal((await send(port, { path: '/assets/missing.js' })).status, 404);
    const head = await send(port, { method: 'HEAD', path: '/assets/app.js' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '17');
    assert.equal((await send(port, { method: 'POST', path: '/' })).status, 405);
  });

  test('refuses directory traversal out of the static root', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/assets/app.js%00.html',
      `/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      `/${join(dir, 'secret.txt')}`,
    ];
    for (const path of attempts) {
      const r = await send(port, { path });
      assert.ok(!r.body.toString().includes('TOP-SECRET'), `${path} leaked the file`);
      assert.ok([400, 404].includes(r.status), `${path}: status ${r.status}`);
    }
    // An absolute path without an extension is a client-side route: index.html, not the file.
    const passwd = await send(port, { path: '//etc/passwd' });
    assert.ok(!passwd.body.toString().includes('root:'), '//etc/passwd leaked');
    assert.match(passwd.body.toString(), /<title>Loci/);
    assert.equal((await send(port, { path: '/%E0%A4%A' })).status, 400, 'a bad escape is 400');
  });

  test('the WebSocket refuses a missing or wrong token and a foreign origin', async () => {
    const refusal = (url: string, origin?: string) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => reject(new Error(`${url} was accepted`)));
        ws.on('error', () => undefined);
      });
    assert.equal(await refusal(`ws://127.0.0.1:${port}/events`), 401);
    assert.equal(await refusal(`ws://127.0.0.1:${port}/events?token=wrong`), 401);
    assert.equal(await refusal(`ws://127.0.0.1:${port}/events?token=${TOKEN}`, 'http://evil.example'), 403);
    assert.equal(await refusal(`ws://127.0.0.1:${port}/elsewhere?token=${TOKEN}`), 404);
  });

  test('the WebSocket with the right token receives every bus event', async () => {
    const open = (origin?: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/events?token=${TOKEN}`, origin ? { origin } : {});
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const a = await open(`http://127.0.0.1:${port}`);
    const b = await open();
    const next = (ws: WebSocket) => new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    const gotA = next(a);
    const gotB = next(b);
    bus.emit('project.changed', { path: '/p.loci', what: 'renamed' });
    const expected = { channel: 'project.changed', payload: { path: '/p.loci', what: 'renamed' } };
    assert.deepEqual(await gotA, expected);
    assert.deepEqual(await gotB, expected);
    const log = next(a);
    bus.emit('job.log', { jobId: 'j1', level: 'info', line: 'step 1', at: 't' });
    assert.deepEqual(await log, { channel: 'job.log', payload: { jobId: 'j1', level: 'info', line: 'step 1', at: 't' } });
    a.close();
    b.close();
  });

  test('/files/<id>: token required, unknown id 404', async () => {
    assert.equal((await send(port, { path: `/files/${fileId}` })).status, 401);
    assert.equal((await send(port, { path: `/files/${fileId}?token=nope` })).status, 401);
    assert.equal((await send(port, { path: `/files/unknown?token=${TOKEN}` })).status, 404);
    const whole = await send(port, { path: `/files/${fileId}?token=${TOKEN}` });
    assert.equal(whole.status, 200);
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    assert.equal(whole.headers['content-length'], '1000');
    assert.deepEqual(whole.body, fileBytes);
    // The Bearer header works as well (igv.js can send headers for a track).
    assert.equal((await send(port, { path: `/files/${fileId}`, headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
  });

  test('/files/<id> answers Range requests', async () => {
    const range = (r: string) => send(port, { path: `/files/${fileId}?token=${TOKEN}`, headers: { Range: r } });
    const first = await range('bytes=0-99');
    assert.equal(first.status, 206);
    assert.equal(first.headers['content-range'], 'bytes 0-99/1000');
    assert.equal(first.headers['content-length'], '100');
    assert.deepEqual(first.body, fileBytes.subarray(0, 100));

    const suffix = await range('bytes=-100');
    assert.equal(suffix.status, 206);
    assert.equal(suffix.headers['content-range'], 'bytes 900-999/1000');
    assert.deepEqual(suffix.body, fileBytes.subarray(900));

    const open = await range('bytes=995-');
    assert.equal(open.headers['content-range'], 'bytes 995-999/1000');
    assert.equal(open.body.toString(), fileBytes.subarray(995).toString());

    const clamped = await range('bytes=990-5000');
    assert.equal(clamped.headers['content-range'], 'bytes 990-999/1000');

    const unsatisfiable = await range('bytes=1000-1100');
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers['content-range'], 'bytes */1000');
    assert.equal(unsatisfiable.body.length, 0);

    // Several calls on the same file, as igv.js makes while scrolling.
    for (const start of [10, 500, 37, 999]) {
      const r = await range(`bytes=${start}-${start + 9}`);
      assert.equal(r.status, 206);
      assert.deepEqual(r.body, fileBytes.subarray(start, Math.min(start + 10, 1000)));
    }

    // Several ranges in one header are coalesced into the one covering them.
    const multi = await range('bytes=0-9,20-29');
    assert.equal(multi.status, 206);
    assert.equal(multi.headers['content-range'], 'bytes 0-29/1000');

    // A malformed header is ignored: the whole file.
    assert.equal((await range('bytes=abc')).status, 200);
    assert.equal((await range('items=0-9')).status, 200);
  });

  test('a download the browser abandons is not logged as an error', async () => {
    const bigPath = join(dir, 'big.fa');
    writeFileSync(bigPath, Buffer.alloc(8 * 1024 * 1024, 65));
    const id = files.register(bigPath);
    const before = logs.length;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: `/files/${id}?token=${TOKEN}`, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
        res.once('data', () => {
          req.destroy();
          setTimeout(resolve, 100);
        });
      });
      req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
      req.end();
    });
    assert.deepEqual(logs.slice(before), []);
    assert.equal((await api(port, 'system.info', {})).status, 200, 'the server carries on');
  });

  test('a client that drops mid-request is one quiet log line, not an internal error with a stack (issue 9)', async () => {
    const before = logs.length;
    const sock = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    const body = '{"path": "/x.loci"';
    sock.write(
      `POST /api/projects.open HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n${body}`,
    );
    await new Promise((r) => setTimeout(r, 100));
    sock.destroy();
    for (let i = 0; i < 50 && logs.length === before; i++) await new Promise((r) => setTimeout(r, 20));
    const lines = logs.slice(before);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^loci serve: POST \/api\/projects\.open: the client went away before the request was complete$/);
    assert.equal((await api(port, 'system.info', {})).status, 200, 'the server carries on');
  });

  test('binds 127.0.0.1 only', async () => {
    await assert.rejects(startHttpServer({ services: fakeServices(), bus, staticDir: dir, host: '0.0.0.0' }), /127\.0\.0\.1 only/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) return; // no other interface on this machine: nothing more to check
    const reached = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: external, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    assert.equal(reached, false, `the server answered on ${external}:${port}`);
  });

  test('a port in use is a clear error', async () => {
    await assert.rejects(startHttpServer({ services: fakeServices(), bus, staticDir: dir, port }), /already in use/);
  });
});
