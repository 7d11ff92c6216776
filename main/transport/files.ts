// Local files the renderer may read by byte range (igv.js reading a FASTA, its .fai, a BED), served
// at GET /files/<id> in browser mode and loci://files/<id> in the desktop app. The renderer only
// ever names an opaque id that a service registered, never a path, so a page cannot ask for
// /etc/passwd even if it is compromised. Besides disk files, a service can register a virtual
// file (a ByteSource), e.g. a scan's bigWig stored in chunks inside the project file.
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { extname, isAbsolute } from 'node:path';
import { Readable } from 'node:stream';
import { parseRange } from './range';

/** A file that is not on disk: its size and a way to read bytes [start, end) of it. */
export interface ByteSource {
  /** Current size in bytes; undefined when the source is gone (e.g. its scan was removed): 404. */
  size(): number | undefined;
  read(start: number, end: number): Buffer;
  contentType: string;
}

export class FileRegistry {
  private readonly byId = new Map<string, string>();
  private readonly byPath = new Map<string, string>();
  private readonly sources = new Map<string, ByteSource>();
  private readonly sourceIds = new Map<string, string>();

  /**
   * Register a virtual file under a stable key (e.g. "<project>#scan-track-7"); the same key gets the
   * same id for the life of the process, and registering again replaces the source.
   */
  registerSource(key: string, source: ByteSource): string {
    const id = this.sourceIds.get(key) ?? randomBytes(12).toString('base64url');
    this.sourceIds.set(key, id);
    this.sources.set(id, source);
    return id;
  }

  /** Forget a virtual file (its id then answers 404). */
  unregisterSource(key: string): void {
    const id = this.sourceIds.get(key);
    if (id === undefined) return;
    this.sourceIds.delete(key);
    this.sources.delete(id);
  }

  source(id: string): ByteSource | undefined {
    return this.sources.get(id);
  }

  /** Register an absolute path; the same path always gets the same id for the life of the process. */
  register(absolutePath: string): string {
    if (!isAbsolute(absolutePath)) throw new Error(`FileRegistry.register needs an absolute path, got "${absolutePath}"`);
    const known = this.byPath.get(absolutePath);
    if (known) return known;
    const id = randomBytes(12).toString('base64url');
    this.byId.set(id, absolutePath);
    this.byPath.set(absolutePath, id);
    return id;
  }

  unregister(id: string): void {
    const path = this.byId.get(id);
    if (path === undefined) return;
    this.byId.delete(id);
    this.byPath.delete(path);
  }

  resolve(id: string): string | undefined {
    return this.byId.get(id);
  }
}

/** What to send back for a file read, independent of Node http or Electron's fetch-style Response. */
export interface FileReply {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  /** null for HEAD, 404 and 416. */
  body: Readable | null;
}

const fileTypes: Record<string, string> = {
  '.fa': 'text/plain; charset=utf-8',
  '.fasta': 'text/plain; charset=utf-8',
  '.fna': 'text/plain; charset=utf-8',
  '.fai': 'text/plain; charset=utf-8',
  '.bed': 'text/plain; charset=utf-8',
  '.bedgraph': 'text/plain; charset=utf-8',
  '.gff': 'text/plain; charset=utf-8',
  '.gff3': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

/** Open a registered file honouring a Range header: 200 whole file, 206 one range, 416, or 404. */
export async function readRegisteredFile(
  registry: FileRegistry,
  id: string,
  rangeHeader: string | null | undefined,
  method: 'GET' | 'HEAD' = 'GET',
): Promise<FileReply> {
  const notFound: FileReply = { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: null };
  const source = registry.source(id);
  if (source) return readSource(source, rangeHeader, method, notFound);
  const path = registry.resolve(id);
  if (path === undefined) return notFound;
  let size: number;
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) return notFound;
    size = stat.size;
  } catch {
    return notFound;
  }
  const headers: Record<string, string> = {
    'Content-Type': fileTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
  };
  const range = parseRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
  }
  if (range.kind === 'full') {
    headers['Content-Length'] = String(size);
    return { status: 200, headers, body: method === 'HEAD' ? null : createReadStream(path) };
  }
  headers['Content-Length'] = String(range.end - range.start + 1);
  headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  return { status: 206, headers, body: method === 'HEAD' ? null : createReadStream(path, { start: range.start, end: range.end }) };
}

function readSource(source: ByteSource, rangeHeader: string | null | undefined, method: 'GET' | 'HEAD', notFound: FileReply): FileReply {
  let size: number | undefined;
  try {
    size = source.size();
  } catch {
    size = undefined; // its project was closed or removed
  }
  if (size === undefined) return notFound;
  const headers: Record<string, string> = { 'Content-Type': source.contentType, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
  const range = parseRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
  const [start, end, status] = range.kind === 'full' ? [0, size - 1, 200 as const] : [range.start, range.end, 206 as const];
  headers['Content-Length'] = String(end - start + 1);
  if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  // Read now, while the request is being answered: igv.js asks for small ranges (KB), never the whole track.
  return { status, headers, body: method === 'HEAD' ? null : Readable.from([source.read(start, end + 1)]) };
}
