// Browser mode: the renderer in an ordinary browser reaches main/api over loopback HTTP and a
// WebSocket. Used by `loci serve`, by `npm start` where no Electron binary exists, and by the e2e tests.
//
// Wire protocol (the renderer's transports in renderer/src/api/ implement the other side):
//   * The server binds 127.0.0.1 only, on `port` (0 = a free one). A random token is made per
//     launch (32 bytes, base64url) unless one is given. The URL to open is
//     `http://127.0.0.1:PORT/?token=TOKEN`; the page keeps the token in sessionStorage and
//     removes it from the address bar.
//   * Every request: the Host header must be `127.0.0.1:PORT` or `localhost:PORT` (DNS-rebinding
//     guard) and an Origin header, when present, must be `http://127.0.0.1:PORT` or
//     `http://localhost:PORT`; otherwise 403 with an ApiErrorBody (code "unauthorized").
//   * `POST /api/<method>`, header `Authorization: Bearer <token>`, JSON body = the method's input
//     (an empty body means `{}`), at most 1 MB (413). Reply 200 with the output as JSON, or an
//     ApiErrorBody `{ code, message, issues?, file?, line? }` with status: 400 invalid_input (also
//     for a body that is not JSON), 401 unauthorized (no or wrong token), 404 unknown_method /
//     not_found, 405 for any HTTP method but POST, 409 conflict / cancelled, 413 body too large,
//     422 bad_file / not_a_project / newer_schema / damaged, 409 read_only, 507 no_space, 500 internal.
//   * `GET /events?token=<token>` upgraded to a WebSocket (browsers cannot set headers on one):
//     each message is JSON `{ "channel": string, "payload": any }`, one per EventBus event, sent to
//     every connected page. Messages from the page are ignored. A missing or wrong token is
//     refused with 401 before the upgrade.
//   * `GET|HEAD /files/<id>?token=<token>` (or the Bearer header): a file a service registered in
//     the FileRegistry (igv.js reads FASTA/.fai/BED by byte range). `Range: bytes=a-b`, `a-`, `-n`
//     -> 206 with Content-Range; several ranges are coalesced into one; an unsatisfiable one ->
//     416 with `Content-Range: bytes */SIZE`; unknown id -> 404.
//   * Anything else: GET/HEAD of the built renderer from `staticDir`, without a token (it holds no
//     data); unknown paths without an extension get index.html (client-side routes); no `..`.
//   * Every response carries the strict CSP (connect-src 'self' ws://127.0.0.1:PORT
//     ws://localhost:PORT), `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { WebSocket, WebSocketServer } from 'ws';
import { ApiError, type ApiErrorBody, type ErrorCode } from '../../shared/contract';
import type { EventBus } from '../api/bus';
import { dispatch, type Services } from '../api/dispatch';
import { bearerToken, checkHostAndOrigin, newToken, originPolicy, tokenMatches } from './auth';
import { FileRegistry, readRegisteredFile } from './files';
import { contentSecurityPolicy, lookupStatic, securityHeaders } from './static';

export interface HttpServerOptions {
  services: Services;
  bus: EventBus;
  /** The built renderer, usually dist/renderer. */
  staticDir: string;
  /** Always 127.0.0.1; anything else is refused (browser mode must never listen on the network). */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to a fresh random token. */
  token?: string;
  /** Files igv.js may read at /files/<id>; share the one the services register into. */
  files?: FileRegistry;
  /** Largest JSON body accepted on /api, in bytes (default 1 MB). */
  maxBodyBytes?: number;
  /** Where to report internal errors and refused requests (default: console.error). */
  log?: (line: string) => void;
}

export interface HttpServerHandle {
  /** http://127.0.0.1:PORT/?token=TOKEN: what to open in a browser. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_method: 404,
  conflict: 409,
  cancelled: 409,
  not_a_project: 422,
  newer_schema: 422,
  bad_file: 422,
  damaged: 422,
  read_only: 409,
  no_space: 507,
  internal: 500,
};

export function httpStatusFor(code: ErrorCode): number {
  return statusByCode[code];
}

/** The request body stopped because the client closed the connection (a closed tab, a killed script). */
class ClientGone extends Error {}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(`Browser mode listens on 127.0.0.1 only (asked for "${host}"): it serves your projects to anyone who can connect.`);
  }
  const token = opts.token ?? newToken();
  const files = opts.files ?? new FileRegistry();
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  const log = opts.log ?? ((line: string) => console.error(line));
  let port = opts.port ?? 0;
  // Filled in once listening (the port may be random); requests cannot arrive before then.
  let policy = originPolicy(port);
  let headers: Record<string, string> = {};

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // The browser went away mid-download (a cancelled igv.js read, a closed tab): nothing to report.
      if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      // The client closed the connection before sending its whole request: one quiet line, no stack.
      if (err instanceof ClientGone) return log(`loci serve: ${req.method} ${(req.url ?? '').split('?')[0]}: the client went away before the request was complete`);
      // The path without its query: /files/<id>?token=... must not put the token in a log.
      log(`loci serve: ${req.method} ${(req.url ?? '').split('?')[0]}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'Internal error' });
      else res.destroy();
    });
  });
  // Browser mode has few clients; long training calls answer over events, not held requests.
  server.requestTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const refused = checkHostAndOrigin(policy, req.headers.host, req.headers.origin);
    if (refused) return sendError(res, 403, { code: 'unauthorized', message: refused });
    const url = requestUrl(req);
    if (!url) return sendError(res, 400, { code: 'invalid_input', message: 'Bad request path' });

    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (url.pathname.startsWith('/files/')) return handleFile(req, res, url);
    if (url.pathname === '/events') {
      return sendError(res, 426, { code: 'invalid_input', message: '/events is a WebSocket endpoint' });
    }
    return handleStatic(req, res, url);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendError(res, 405, { code: 'invalid_input', message: `Use POST for ${url.pathname}` });
    }
    if (!tokenMatches(token, bearerToken(req.headers.authorization))) {
      return sendError(res, 401, { code: 'unauthorized', message: 'Missing or wrong token: open the URL that `loci serve` printed.' });
    }
    let method: string;
    try {
      method = decodeURIComponent(url.pathname.slice('/api/'.length));
    } catch {
      return sendError(res, 404, { code: 'unknown_method', message: `No such method: ${url.pathname}` });
    }
    let input: unknown;
    try {
      input = await readJsonBody(req, maxBodyBytes);
    } catch (err) {
      if (err instanceof HttpFailure) {
        if (err.status === 413) {
          res.setHeader('Connection', 'close');
          res.on('finish', () => req.destroy());
        }
        return sendError(res, err.status, err.body);
      }
      throw err;
    }
    try {
      const output = await dispatch(opts.services, method, input);
      sendJson(res, 200, output ?? null);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError({ code: 'internal', message: String(err) });
      if (apiError.code === 'internal') log(`loci serve: ${method} failed: ${apiError.message}`);
      sendError(res, httpStatusFor(apiError.code), apiError.toBody());
    }
  }

  async function handleFile(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendError(res, 405, { code: 'invalid_input', message: 'Files are read with GET' });
    }
    const given = url.searchParams.get('token') ?? bearerToken(req.headers.authorization);
    if (!tokenMatches(token, given)) return sendError(res, 401, { code: 'unauthorized', message: 'Missing or wrong token' });
    const id = url.pathname.slice('/files/'.length);
    const reply = await readRegisteredFile(files, id, req.headers.range, req.method);
    if (reply.status === 404) return sendError(res, 404, { code: 'not_found', message: `No file registered as ${id}` });
    res.writeHead(reply.status, reply.headers);
    if (reply.body) await pipeline(reply.body, res);
    else res.end();
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendError(res, 405, { code: 'invalid_input', message: `${req.method} is not allowed here` });
    }
    const found = await lookupStatic(opts.staticDir, url.pathname);
    if (found.kind === 'bad') return sendError(res, 400, { code: 'invalid_input', message: 'Bad path' });
    if (found.kind === 'missing') return sendError(res, 404, { code: 'not_found', message: `Not found: ${url.pathname}` });
    res.writeHead(200, {
      'Content-Type': found.contentType,
      'Content-Length': String(found.size),
      // Vite's hashed assets could be cached forever, but this is loopback: keep it simple and fresh.
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(found.path), res);
  }

  // --- WebSocket /events ---------------------------------------------------------------------
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = requestUrl(req) ?? new URL('http://127.0.0.1/');
    const refuse = (status: string, why: string) => {
      log(`loci serve: refused WebSocket ${url.pathname}: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== '/events') return refuse('404 Not Found', 'unknown path');
    const refused = checkHostAndOrigin(policy, req.headers.host, req.headers.origin);
    if (refused) return refuse('403 Forbidden', refused);
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuse('401 Unauthorized', 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      (ws as WebSocket & { alive?: boolean }).alive = true;
      ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    });
  });
  const stopForwarding = opts.bus.onAny((channel, payload) => {
    const message = JSON.stringify({ channel, payload });
    for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(message);
  });
  // Drop pages that went away without closing (a laptop lid, a killed tab).
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients as Set<WebSocket & { alive?: boolean }>) {
      if (ws.alive === false) ws.terminate();
      else {
        ws.alive = false;
        ws.ping();
      }
    }
  }, 30_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use: pick another with --port, or 0 for any free one`) : err);
    };
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('HTTP server has no TCP address');
  port = address.port;
  policy = originPolicy(port);
  headers = {
    ...securityHeaders,
    'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
  };
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      stopForwarding();
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The request's path and query. Concatenated, not resolved: `//etc/passwd` must stay a path, not become a host. */
function requestUrl(req: IncomingMessage): URL | null {
  const raw = req.url ?? '/';
  if (!raw.startsWith('/')) return null;
  try {
    return new URL(`http://127.0.0.1${raw}`);
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, body: ApiErrorBody): void {
  sendJson(res, status, body);
}

/** The request body as JSON; empty means undefined (dispatch reads it as `{}`). */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () => new HttpFailure(413, { code: 'invalid_input', message: `Request body is larger than ${limit} bytes` });
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw tooLarge();
  // Events rather than `for await`: leaving an async iterator destroys the socket, and then the
  // client would see a reset instead of our 413.
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve());
    // Node reports a connection closed mid-body as an 'aborted' ECONNRESET error on the request.
    req.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ECONNRESET' ? new ClientGone(err.message) : err));
  });
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpFailure(400, {
      code: 'invalid_input',
      message: `Request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      issues: [{ path: '(input)', message: 'not valid JSON' }],
    });
  }
}
