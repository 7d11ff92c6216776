// The built renderer (dist/renderer) as static files, for both transports: content types, the
// index.html fallback for client-side routes, no way out of the root, and the security headers.
import { promises as fs } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The strict Content-Security-Policy of every page we serve. `connectSources` are the extra
 * origins the page may fetch from besides its own (the WebSocket in browser mode, loci://files in
 * the app); nothing else, so igv.js cannot reach igv.org even if asked to.
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // 'unsafe-inline' for styles only (scripts stay 'self'): igv.js, inside its shadow root, builds
    // popups and menus from HTML strings with style="..." attributes (style-src-attr) and its colour
    // picker adds a <style> element to the document (style-src-elem); Mantine injects <style>
    // elements for its theme variables too. Without it the Genome view's popups and track menus
    // lose their layout (the e2e tests record every CSP violation). Inline styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    ['connect-src', "'self'", ...connectSources].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

export type StaticLookup =
  | { kind: 'file'; path: string; contentType: string; size: number }
  /** Bad path (traversal, NUL, bad escape): 400. */
  | { kind: 'bad' }
  | { kind: 'missing' };

/**
 * Map a URL path (`/assets/app.js`) to a file under `root`. Paths that escape the root are
 * refused; a path without an extension that matches no file is a client-side route and gets
 * index.html; a missing file with an extension (`/x.js`) is a real 404.
 */
export async function lookupStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad' };
  const rootAbs = resolve(root);
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  const candidate = resolve(rootAbs, relative);
  if (candidate !== rootAbs && !candidate.startsWith(rootAbs + sep)) return { kind: 'bad' };
  if (decoded.split('/').includes('..')) return { kind: 'bad' };

  const asFile = await statFile(candidate);
  if (asFile !== null) return { kind: 'file', path: candidate, contentType: contentTypeFor(candidate), size: asFile };
  const inDir = await statFile(join(candidate, 'index.html'));
  if (inDir !== null) return { kind: 'file', path: join(candidate, 'index.html'), contentType: contentTypes['.html']!, size: inDir };
  if (extname(candidate) === '') {
    const index = join(rootAbs, 'index.html');
    const size = await statFile(index);
    if (size !== null) return { kind: 'file', path: index, contentType: contentTypes['.html']!, size };
  }
  return { kind: 'missing' };
}

async function statFile(path: string): Promise<number | null> {
  try {
    const s = await fs.stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}
