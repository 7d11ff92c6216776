// A bigWig writer (UCSC BBI format, version 4: bedGraph sections, zlib blocks, chromosome B+ tree,
// R-tree index, zoom levels with their own R-trees). Hand-written because no maintained npm library
// writes bigWig: @gmod/bbi only reads it. Tests read what this writes with @gmod/bbi and with
// Debian's python3-pybigwig (libBigWig), including the zoom levels and several chromosomes.
//
// Input: per chromosome, sorted non-overlapping [start, end) intervals with a value (bedGraph),
// delivered by a callback that may be called several times (one pass for the data, one per zoom
// level), so memory stays bounded whatever the genome size: only one block of items, the index
// entries (one per 1024 items) and the chromosome list are held.
import { closeSync, openSync, writeSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

export const BIGWIG_MAGIC = 0x888ffc26;
const BPT_MAGIC = 0x78ca8c91;
const CIRTREE_MAGIC = 0x2468ace0;
const HEADER_SIZE = 64;
const ZOOM_HEADER_SIZE = 24;
const SUMMARY_SIZE = 40;
const SECTION_HEADER_SIZE = 24;
const BEDGRAPH_ITEM_SIZE = 12;
const ZOOM_ITEM_SIZE = 32;
const MAX_ZOOM_LEVELS = 10;

export interface BigWigChrom {
  name: string;
  length: number;
}

/** Calls `emit(start, end, value)` for every interval of chromosome `chromIndex`, in order. */
export type BedGraphSource = (chromIndex: number, emit: (start: number, end: number, value: number) => void) => void;

export interface BigWigOptions {
  /** Items per compressed block (UCSC default 1024). */
  itemsPerSlot?: number;
  /** Children per index node (UCSC default 256). */
  blockSize?: number;
  /** Zoom reductions in bases; default from the data (4x the mean interval length, then x4 per level). */
  zoomReductions?: number[];
}

export interface BigWigSummary {
  bytes: number;
  /** Intervals written. */
  items: number;
  basesCovered: number;
  min: number;
  max: number;
  mean: number;
  zoomReductions: number[];
}

interface IndexEntry {
  startChrom: number;
  startBase: number;
  endChrom: number;
  endBase: number;
  offset: number;
  size: number;
}

/** Sequential writer with an explicit position (positional writes patch the header at the end). */
class Out {
  pos = 0;
  constructor(readonly fd: number) {}
  write(buf: Uint8Array): void {
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, this.pos + done);
    this.pos += buf.length;
  }
  writeAt(buf: Uint8Array, position: number): void {
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, position + done);
  }
}

/** Little-endian buffer builder. */
class Bytes {
  readonly buf: Buffer;
  private at = 0;
  constructor(size: number) {
    this.buf = Buffer.alloc(size);
  }
  u8(v: number): this {
    this.buf.writeUInt8(v, this.at);
    this.at += 1;
    return this;
  }
  u16(v: number): this {
    this.buf.writeUInt16LE(v, this.at);
    this.at += 2;
    return this;
  }
  u32(v: number): this {
    this.buf.writeUInt32LE(v >>> 0, this.at);
    this.at += 4;
    return this;
  }
  u64(v: number): this {
    this.buf.writeBigUInt64LE(BigInt(v), this.at);
    this.at += 8;
    return this;
  }
  f32(v: number): this {
    this.buf.writeFloatLE(v, this.at);
    this.at += 4;
    return this;
  }
  f64(v: number): this {
    this.buf.writeDoubleLE(v, this.at);
    this.at += 8;
    return this;
  }
  bytes(b: Uint8Array, width: number): this {
    this.buf.set(b.subarray(0, width), this.at);
    this.at += width;
    return this;
  }
  skip(n: number): this {
    this.at += n;
    return this;
  }
}

function cmp(aChrom: number, aBase: number, bChrom: number, bBase: number): number {
  return aChrom !== bChrom ? aChrom - bChrom : aBase - bBase;
}

/** Chromosome B+ tree (name -> id, size), keys sorted bytewise as UCSC's bptFileFind expects. */
function writeChromTree(out: Out, chroms: readonly BigWigChrom[], maxBlock: number): void {
  const items = chroms.map((c, id) => ({ key: Buffer.from(c.name, 'utf8'), id, size: c.length })).sort((a, b) => Buffer.compare(a.key, b.key));
  const keySize = Math.max(1, ...items.map((i) => i.key.length));
  const n = items.length;
  const b = Math.max(2, Math.min(maxBlock, n));
  out.write(new Bytes(32).u32(BPT_MAGIC).u32(b).u32(keySize).u32(8).u64(n).u64(0).buf);
  // Level 0 = leaves; node k of level L covers items [k*b^(L+1), (k+1)*b^(L+1)).
  let levels = 1;
  for (let c = n; c > b; c = Math.ceil(c / b)) levels++;
  const nodesAt = (level: number) => Math.max(1, Math.ceil(n / b ** (level + 1)));
  const leafSize = 4 + b * (keySize + 8);
  const innerSize = 4 + b * (keySize + 8);
  const levelStart: number[] = [];
  let offset = out.pos;
  for (let level = levels - 1; level >= 0; level--) {
    levelStart[level] = offset;
    offset += nodesAt(level) * (level === 0 ? leafSize : innerSize);
  }
  for (let level = levels - 1; level >= 1; level--) {
    const span = b ** level; // items under one child node
    for (let k = 0; k < nodesAt(level); k++) {
      const node = new Bytes(innerSize);
      const firstChild = k * b;
      const children = Math.min(b, nodesAt(level - 1) - firstChild);
      node.u8(0).u8(0).u16(children);
      for (let c = 0; c < children; c++) {
        const child = firstChild + c;
        node.bytes(Buffer.concat([items[child * span]!.key, Buffer.alloc(keySize)]), keySize).u64(levelStart[level - 1]! + child * (level - 1 === 0 ? leafSize : innerSize));
      }
      out.write(node.buf); // the rest of the node stays zero, as UCSC pads it
    }
  }
  for (let k = 0; k < nodesAt(0); k++) {
    const node = new Bytes(leafSize);
    const first = k * b;
    const count = Math.min(b, n - first);
    node.u8(1).u8(0).u16(Math.max(0, count));
    for (let i = 0; i < count; i++) {
      const it = items[first + i]!;
      node.bytes(Buffer.concat([it.key, Buffer.alloc(keySize)]), keySize).u32(it.id).u32(it.size);
    }
    out.write(node.buf);
  }
}

/** R-tree over data blocks (UCSC cirTree, one item per block), written at out.pos. */
function writeIndex(out: Out, entries: readonly IndexEntry[], blockSize: number, itemsPerSlot: number, endFileOffset: number): void {
  const b = blockSize;
  type Node = { startChrom: number; startBase: number; endChrom: number; endBase: number; children: number[] };
  const bound = (list: readonly { startChrom: number; startBase: number; endChrom: number; endBase: number }[]): Omit<Node, 'children'> => {
    let s = list[0]!;
    let e = list[0]!;
    for (const x of list) {
      if (cmp(x.startChrom, x.startBase, s.startChrom, s.startBase) < 0) s = x;
      if (cmp(x.endChrom, x.endBase, e.endChrom, e.endBase) > 0) e = x;
    }
    return { startChrom: s.startChrom, startBase: s.startBase, endChrom: e.endChrom, endBase: e.endBase };
  };
  // Levels bottom-up: level 0 nodes hold entries, level L nodes hold level L-1 nodes.
  const levels: Node[][] = [];
  let below: readonly { startChrom: number; startBase: number; endChrom: number; endBase: number }[] = entries;
  do {
    const nodes: Node[] = [];
    for (let i = 0; i < Math.max(1, below.length); i += b) {
      const slice = below.slice(i, i + b);
      const children = slice.map((_, j) => i + j);
      nodes.push(slice.length ? { ...bound(slice), children } : { startChrom: 0, startBase: 0, endChrom: 0, endBase: 0, children });
    }
    levels.push(nodes);
    below = nodes;
  } while (below.length > 1);
  const all = entries.length ? bound(entries) : { startChrom: 0, startBase: 0, endChrom: 0, endBase: 0 };
  out.write(new Bytes(48).u32(CIRTREE_MAGIC).u32(b).u64(entries.length).u32(all.startChrom).u32(all.startBase).u32(all.endChrom).u32(all.endBase).u64(endFileOffset).u32(itemsPerSlot).u32(0).buf);
  const leafSize = 4 + b * 32;
  const innerSize = 4 + b * 24;
  const levelStart: number[] = [];
  let offset = out.pos;
  for (let L = levels.length - 1; L >= 0; L--) {
    levelStart[L] = offset;
    offset += levels[L]!.length * (L === 0 ? leafSize : innerSize);
  }
  for (let L = levels.length - 1; L >= 0; L--) {
    for (const node of levels[L]!) {
      const buf = new Bytes(L === 0 ? leafSize : innerSize);
      buf.u8(L === 0 ? 1 : 0).u8(0).u16(node.children.length);
      for (const c of node.children) {
        if (L === 0) {
          const e = entries[c]!;
          buf.u32(e.startChrom).u32(e.startBase).u32(e.endChrom).u32(e.endBase).u64(e.offset).u64(e.size);
        } else {
          const child = levels[L - 1]![c]!;
          buf.u32(child.startChrom).u32(child.startBase).u32(child.endChrom).u32(child.endBase).u64(levelStart[L - 1]! + c * (L - 1 === 0 ? leafSize : innerSize));
        }
      }
      out.write(buf.buf);
    }
  }
}

/** Collects fixed-size items of one chromosome into zlib blocks and writes them with their index entries. */
class BlockWriter {
  readonly entries: IndexEntry[] = [];
  maxUncompressed = 0;
  count = 0;
  private buf: Buffer;
  private n = 0;
  private chrom = -1;
  private start = 0;
  private end = 0;

  constructor(
    private readonly out: Out,
    private readonly itemsPerSlot: number,
    private readonly itemSize: number,
    private readonly header: ((chrom: number, start: number, end: number, count: number) => Buffer) | null,
  ) {
    this.buf = Buffer.alloc(itemsPerSlot * itemSize);
  }

  /** Space for the next item (call `commit` after filling it). */
  slot(chrom: number, start: number): Buffer {
    if (this.n === this.itemsPerSlot || (this.n > 0 && chrom !== this.chrom)) this.flush();
    if (this.n === 0) {
      this.chrom = chrom;
      this.start = start;
    }
    return this.buf.subarray(this.n * this.itemSize, (this.n + 1) * this.itemSize);
  }

  commit(end: number): void {
    this.n++;
    this.end = end;
  }

  flush(): void {
    if (this.n === 0) return;
    const items = this.buf.subarray(0, this.n * this.itemSize);
    const raw = this.header ? Buffer.concat([this.header(this.chrom, this.start, this.end, this.n), items]) : items;
    this.maxUncompressed = Math.max(this.maxUncompressed, raw.length);
    const packed = deflateSync(raw);
    this.entries.push({ startChrom: this.chrom, startBase: this.start, endChrom: this.chrom, endBase: this.end, offset: this.out.pos, size: packed.length });
    this.out.write(packed);
    this.count++;
    this.n = 0;
  }
}

/** Writes a bigWig file at `path` from bedGraph intervals; see the module comment. */
export function writeBigWig(path: string, chroms: readonly BigWigChrom[], source: BedGraphSource, options: BigWigOptions = {}): BigWigSummary {
  const itemsPerSlot = options.itemsPerSlot ?? 1024;
  const blockSize = options.blockSize ?? 256;
  const fd = openSync(path, 'w');
  try {
    const out = new Out(fd);
    // Header, zoom headers and total summary are patched at the end; reserve their space now.
    // The number of zoom levels is not known before the data pass: reserve the maximum.
    const zoomHeadersAt = HEADER_SIZE;
    const summaryAt = zoomHeadersAt + MAX_ZOOM_LEVELS * ZOOM_HEADER_SIZE;
    out.write(Buffer.alloc(summaryAt + SUMMARY_SIZE));
    const chromTreeAt = out.pos;
    writeChromTree(out, chroms, blockSize);

    // Full-resolution data: a count (u64), then one zlib block per <= itemsPerSlot intervals of one chromosome.
    const dataAt = out.pos;
    out.write(Buffer.alloc(8));
    const sectionHeader = (chrom: number, start: number, end: number, count: number) => new Bytes(SECTION_HEADER_SIZE).u32(chrom).u32(start).u32(end).u32(0).u32(0).u8(1).u8(0).u16(count).buf;
    const data = new BlockWriter(out, itemsPerSlot, BEDGRAPH_ITEM_SIZE, sectionHeader);
    let items = 0;
    let covered = 0;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let sumSq = 0;
    chroms.forEach((c, ci) => {
      let last = 0;
      source(ci, (start, end, value) => {
        if (!(start >= last && end > start && end <= c.length)) {
          throw new Error(`bigWig writer: interval ${c.name}:${start}-${end} is out of order, empty or past the end (${c.length} bp)`);
        }
        if (!Number.isFinite(value)) throw new Error(`bigWig writer: value ${value} at ${c.name}:${start}-${end} is not a finite number`);
        last = end;
        const slot = data.slot(ci, start);
        slot.writeUInt32LE(start, 0);
        slot.writeUInt32LE(end, 4);
        slot.writeFloatLE(value, 8);
        data.commit(end);
        const v = Math.fround(value);
        const span = end - start;
        items++;
        covered += span;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v * span;
        sumSq += v * v * span;
      });
      data.flush();
    });
    out.writeAt(new Bytes(8).u64(data.count).buf, dataAt);
    const indexAt = out.pos;
    writeIndex(out, data.entries, blockSize, itemsPerSlot, indexAt);
    let maxUncompressed = data.maxUncompressed;

    // Zoom levels: per bin of `r` bases, the count of covered bases, min, max, sum and sum of squares.
    const longest = Math.max(1, ...chroms.map((c) => c.length));
    const first = Math.max(10, 4 * Math.ceil(items ? covered / items : 1));
    const reductions = (options.zoomReductions ?? Array.from({ length: MAX_ZOOM_LEVELS }, (_, i) => first * 4 ** i).filter((r, i) => i === 0 || r < longest)).slice(0, MAX_ZOOM_LEVELS);
    const zoomHeaders: { reduction: number; dataAt: number; indexAt: number }[] = [];
    if (items > 0) {
      for (const r of reductions) {
        const zoomDataAt = out.pos;
        out.write(Buffer.alloc(4)); // record count, patched below
        const zoom = new BlockWriter(out, itemsPerSlot, ZOOM_ITEM_SIZE, null);
        let records = 0;
        chroms.forEach((c, ci) => {
          let bin = -1;
          let zs = 0;
          let ze = 0;
          let n = 0;
          let zmin = 0;
          let zmax = 0;
          let zsum = 0;
          let zsq = 0;
          const emitBin = () => {
            if (bin < 0 || n === 0) return;
            const slot = zoom.slot(ci, zs);
            slot.writeUInt32LE(ci, 0);
            slot.writeUInt32LE(zs, 4);
            slot.writeUInt32LE(ze, 8);
            slot.writeUInt32LE(n, 12);
            slot.writeFloatLE(zmin, 16);
            slot.writeFloatLE(zmax, 20);
            slot.writeFloatLE(zsum, 24);
            slot.writeFloatLE(zsq, 28);
            zoom.commit(ze);
            records++;
          };
          source(ci, (start, end, value) => {
            const v = Math.fround(value);
            for (let s = start; s < end; ) {
              const b = Math.floor(s / r);
              const e = Math.min(end, (b + 1) * r);
              if (b !== bin) {
                emitBin();
                bin = b;
                zs = s;
                n = 0;
                zmin = v;
                zmax = v;
                zsum = 0;
                zsq = 0;
              }
              const span = e - s;
              ze = e;
              n += span;
              if (v < zmin) zmin = v;
              if (v > zmax) zmax = v;
              zsum += v * span;
              zsq += v * v * span;
              s = e;
            }
          });
          emitBin();
          zoom.flush();
        });
        out.writeAt(new Bytes(4).u32(records).buf, zoomDataAt);
        const zoomIndexAt = out.pos;
        writeIndex(out, zoom.entries, blockSize, itemsPerSlot, zoomIndexAt);
        maxUncompressed = Math.max(maxUncompressed, zoom.maxUncompressed);
        zoomHeaders.push({ reduction: r, dataAt: zoomDataAt, indexAt: zoomIndexAt });
      }
    }
    out.write(new Bytes(4).u32(BIGWIG_MAGIC).buf); // UCSC ends the file with the magic too

    const header = new Bytes(HEADER_SIZE)
      .u32(BIGWIG_MAGIC)
      .u16(4)
      .u16(zoomHeaders.length)
      .u64(chromTreeAt)
      .u64(dataAt)
      .u64(indexAt)
      .u16(0)
      .u16(0)
      .u64(0)
      .u64(summaryAt)
      .u32(maxUncompressed)
      .u64(0);
    out.writeAt(header.buf, 0);
    const zh = new Bytes(MAX_ZOOM_LEVELS * ZOOM_HEADER_SIZE);
    for (const z of zoomHeaders) zh.u32(z.reduction).u32(0).u64(z.dataAt).u64(z.indexAt);
    out.writeAt(zh.buf, zoomHeadersAt);
    const empty = items === 0;
    out.writeAt(new Bytes(SUMMARY_SIZE).u64(covered).f64(empty ? 0 : min).f64(empty ? 0 : max).f64(sum).f64(sumSq).buf, summaryAt);
    return { bytes: out.pos, items, basesCovered: covered, min: empty ? 0 : min, max: empty ? 0 : max, mean: covered ? sum / covered : 0, zoomReductions: zoomHeaders.map((z) => z.reduction) };
  } finally {
    closeSync(fd);
  }
}
