// Opening user files: what is it (plain, gzip, bgzip, or something we cannot read), and a line
// reader with progress and cancel for the text formats (BED, GFF3, CSV).
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InputError } from './errors';
import type { LongCallOptions } from './progress';
import { throttleProgress } from './progress';

export type Compression = 'none' | 'gzip' | 'bgzip';

const SNIFF_BYTES = 64 * 1024;

/** Magic numbers of formats users drop by mistake, for a message better than "binary file". */
const FOREIGN_MAGIC: [number[], string][] = [
  [[0x42, 0x5a, 0x68], 'bzip2-compressed; decompress it first (bunzip2) or recompress with bgzip'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed; decompress it first (unxz) or recompress with bgzip'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed; decompress it first (unzstd) or recompress with bgzip'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive; extract the file inside it first'],
  [[0x1a, 0x41, 0x27, 0x43], 'a UCSC 2bit file; convert it with twoBitToFa first'],
  [[0x43, 0x27, 0x41, 0x1a], 'a UCSC 2bit file; convert it with twoBitToFa first'],
  [[0x42, 0x41, 0x4d, 0x01], 'a BAM alignment file, not sequence text'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
];

function startsWith(buf: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => buf[i] === b);
}

/** gzip header with the BGZF "BC" extra subfield (SAM/BAM spec section 4.1). */
export function isBgzfHeader(buf: Uint8Array): boolean {
  if (buf.length < 18 || buf[0] !== 0x1f || buf[1] !== 0x8b || buf[2] !== 8 || ((buf[3] ?? 0) & 4) === 0) return false;
  const xlen = (buf[10] ?? 0) | ((buf[11] ?? 0) << 8);
  for (let p = 12; p + 4 <= 12 + xlen && p + 4 <= buf.length; ) {
    const slen = (buf[p + 2] ?? 0) | ((buf[p + 3] ?? 0) << 8);
    if (buf[p] === 66 && buf[p + 1] === 67 && slen === 2) return true;
    p += 4 + slen;
  }
  return false;
}

/**
 * Throws an InputError when `text` (the first bytes of the decompressed content) is not text:
 * a known foreign format, NUL bytes, or mostly non-printable bytes.
 */
export function assertText(file: string, head: Uint8Array): void {
  for (const [magic, what] of FOREIGN_MAGIC) {
    if (startsWith(head, magic)) throw new InputError({ file, code: 'unsupported-format', problem: `this is ${what}` });
  }
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i] ?? 0;
    if (c === 0) throw new InputError({ file, code: 'binary-file', problem: 'this is a binary file (it contains NUL bytes), not a text file' });
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) odd++;
  }
  if (head.length > 0 && odd / head.length > 0.05) {
    throw new InputError({ file, code: 'binary-file', problem: 'this is a binary file (many non-text bytes), not a text file' });
  }
}

export interface FileKind {
  size: number;
  mtimeMs: number;
  compression: Compression;
}

/** Size, mtime and compression of a file; InputError when missing, empty, or a known foreign format. */
export async function probeFile(file: string): Promise<FileKind> {
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError({ file, code: 'not-found', problem: 'file not found' });
    throw e;
  }
  if (st.isDirectory()) throw new InputError({ file, code: 'unsupported-format', problem: 'this is a folder, not a file' });
  // A device, FIFO or socket reports size 0 (and /dev/urandom never ends): say what it is, not "empty".
  if (!st.isFile()) {
    const what = st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a plain file';
    throw new InputError({ file, code: 'unsupported-format', problem: `this is ${what}, not a regular file; give a file saved on disk` });
  }
  if (st.size === 0) throw new InputError({ file, code: 'empty-file', problem: 'the file is empty (0 bytes)' });
  const fh = await open(file, 'r');
  try {
    const head = new Uint8Array(Math.min(SNIFF_BYTES, st.size));
    await fh.read(head, 0, head.length, 0);
    let compression: Compression = 'none';
    if (head[0] === 0x1f && head[1] === 0x8b) compression = isBgzfHeader(head) ? 'bgzip' : 'gzip';
    else assertText(file, head);
    return { size: st.size, mtimeMs: st.mtimeMs, compression };
  } finally {
    await fh.close();
  }
}

/** Maps a zlib failure to an InputError naming the file and how far the reader got. */
export function gzipError(file: string, err: unknown, line?: number): InputError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string' || !e.code.startsWith('Z_')) return undefined;
  const truncated = e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message);
  return new InputError({
    file,
    ...(line !== undefined && { line }),
    code: truncated ? 'truncated-gzip' : 'corrupt-gzip',
    problem: truncated
      ? 'the gzip data ends early: the file is truncated (an incomplete download or copy?)'
      : `the gzip data is corrupt (${e.message})`,
  });
}

export interface TextLine {
  text: string;
  /** 1-based line number. */
  line: number;
}

/**
 * Lines of a plain or gzipped text file, without line endings (LF or CRLF), with byte progress
 * on the compressed file. Throws InputError for missing, empty, binary or truncated files.
 */
export async function* readTextLines(file: string, opts: LongCallOptions = {}): AsyncGenerator<TextLine> {
  const kind = await probeFile(file);
  const progress = throttleProgress(opts.onProgress);
  const raw = createReadStream(file, { highWaterMark: 1 << 20, ...(opts.signal && { signal: opts.signal }) });
  let read = 0;
  raw.on('data', (chunk) => {
    read += chunk.length;
    progress(read, kind.size);
  });
  let input: Readable = raw;
  let checkedText = kind.compression === 'none';
  if (kind.compression !== 'none') {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    input = raw.pipe(gunzip);
  }
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      if (!checkedText) {
        assertText(file, Buffer.from(text.slice(0, SNIFF_BYTES), 'latin1'));
        checkedText = true;
      }
      yield { text, line };
    }
  } catch (e) {
    throw gzipError(file, e, line + 1) ?? e;
  } finally {
    rl.close();
    raw.destroy();
  }
  progress(kind.size, kind.size, true);
}
