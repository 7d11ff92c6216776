// The loci:// protocol of the desktop app, as a plain fetch-style handler (Request -> Response) so
// it runs and is tested without Electron; electron.ts hands it to `protocol.handle('loci', ...)`.
//   loci://app/<path>       the built renderer (index.html fallback for client-side routes)
//   loci://app/files/<id>   a registered file, same-origin for the page (what the renderer uses)
//   loci://files/<id>       the same file on its own host, with CORS for loci://app
// Files honour Range (206/416) through the same module as browser mode's /files/<id>.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { readRegisteredFile, type FileRegistry } from '../transport/files';
import { contentSecurityPolicy, lookupStatic, securityHeaders } from '../transport/static';

export const APP_ORIGIN = 'loci://app';
/** The CSP of the desktop app: like browser mode's (including the inline styles igv.js needs, said there), with loci://files instead of the WebSocket. */
export const APP_CSP = contentSecurityPolicy(['loci://files']);

export interface LociProtocolOptions {
  rendererDir: string;
  files: FileRegistry;
}

type ResponseBody = ConstructorParameters<typeof Response>[0];

const corsHeaders = {
  'Access-Control-Allow-Origin': APP_ORIGIN,
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
  Vary: 'Origin',
};

export async function handleLociRequest(request: Request, opts: LociProtocolOptions): Promise<Response> {
  const url = new URL(request.url);
  const base = { ...securityHeaders, 'Content-Security-Policy': APP_CSP };
  const method = request.method.toUpperCase();
  const host = url.host.toLowerCase();

  if (host === 'files') {
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...base, ...corsHeaders } });
    return serveFile(request, url.pathname.replace(/^\//, ''), opts, { ...base, ...corsHeaders });
  }
  if (host !== 'app') return text(404, `Unknown loci:// host: ${url.host}`, base);
  if (url.pathname.startsWith('/files/')) return serveFile(request, url.pathname.slice('/files/'.length), opts, base);
  if (method !== 'GET' && method !== 'HEAD') return text(405, `${method} is not allowed`, { ...base, Allow: 'GET, HEAD' });

  const found = await lookupStatic(opts.rendererDir, url.pathname);
  if (found.kind === 'bad') return text(400, 'Bad path', base);
  if (found.kind === 'missing') return text(404, `Not found: ${url.pathname}`, base);
  const headers = { ...base, 'Content-Type': found.contentType, 'Content-Length': String(found.size), 'Cache-Control': 'no-cache' };
  return new Response(method === 'HEAD' ? null : toWeb(createReadStream(found.path)), { status: 200, headers });
}

async function serveFile(request: Request, id: string, opts: LociProtocolOptions, base: Record<string, string>): Promise<Response> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return text(405, `${method} is not allowed`, { ...base, Allow: 'GET, HEAD' });
  let decoded: string;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    return text(400, 'Bad file id', base);
  }
  const reply = await readRegisteredFile(opts.files, decoded, request.headers.get('range'), method);
  if (reply.status === 404) return text(404, `No file registered as ${id}`, base);
  return new Response(reply.body ? toWeb(reply.body) : null, { status: reply.status, headers: { ...base, ...reply.headers } });
}

function text(status: number, body: string, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}

// Node's web ReadableStream and the global one are the same class at run time; only their
// TypeScript declarations differ (stream/web vs undici-types).
function toWeb(stream: Readable): ResponseBody {
  return Readable.toWeb(stream) as unknown as ResponseBody;
}
