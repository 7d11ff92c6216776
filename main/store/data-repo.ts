// Rows of the project-data tables (genomes, region sets and their regions, datasets and their
// items) in and out of a project file. Plain functions over a Db; the services own transactions.
import type { Db } from './project-file';

// ---------- genomes ----------

export interface GenomeRow {
  id: number;
  name: string;
  path: string;
  fastaPath: string;
  faiPath: string;
  gziPath: string | null;
  checksum: string;
  size: number;
  mtimeMs: number;
  compression: 'none' | 'gzip' | 'bgzip';
  totalLength: number;
  addedAt: string;
}

export interface GenomeSequenceRow {
  name: string;
  length: number;
  gc: number;
  nCount: number;
  softMasked: number;
  /** The FASTA header's text after the name ('' when none). */
  description: string;
}

interface RawGenome {
  id: number;
  name: string;
  path: string;
  fasta_path: string | null;
  index_path: string | null;
  gzi_path: string | null;
  checksum: string | null;
  size_bytes: number | null;
  mtime_ms: number | null;
  compression: string | null;
  total_length: number | null;
  added_at: string;
}

function genomeFromRow(r: RawGenome): GenomeRow {
  return {
    id: r.id,
    name: r.name,
    path: r.path,
    fastaPath: r.fasta_path ?? r.path,
    faiPath: r.index_path ?? `${r.fasta_path ?? r.path}.fai`,
    gziPath: r.gzi_path,
    checksum: r.checksum ?? '',
    size: r.size_bytes ?? 0,
    mtimeMs: r.mtime_ms ?? 0,
    compression: (r.compression ?? 'none') as GenomeRow['compression'],
    totalLength: r.total_length ?? 0,
    addedAt: r.added_at,
  };
}

export function insertGenome(db: Db, g: Omit<GenomeRow, 'id'>, sequences: readonly GenomeSequenceRow[]): number {
  const id = Number(
    db
      .prepare(
        `INSERT INTO genomes (name, path, fasta_path, index_path, gzi_path, checksum, size_bytes, mtime_ms, compression, total_length, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(g.name, g.path, g.fastaPath, g.faiPath, g.gziPath, g.checksum, g.size, g.mtimeMs, g.compression, g.totalLength, g.addedAt).lastInsertRowid,
  );
  const ins = db.prepare('INSERT INTO genome_sequences (genome_id, ord, name, length, gc, n_count, soft_masked, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  sequences.forEach((s, i) => ins.run(id, i, s.name, s.length, s.gc, s.nCount, s.softMasked, s.description));
  return id;
}

export function listGenomeRows(db: Db): GenomeRow[] {
  return (db.prepare('SELECT * FROM genomes ORDER BY id').all() as RawGenome[]).map(genomeFromRow);
}

export function getGenomeRow(db: Db, id: number): GenomeRow | undefined {
  const r = db.prepare('SELECT * FROM genomes WHERE id = ?').get(id) as RawGenome | undefined;
  return r && genomeFromRow(r);
}

export function genomeSequences(db: Db, id: number): GenomeSequenceRow[] {
  return db
    .prepare('SELECT name, length, coalesce(gc, 0) AS gc, coalesce(n_count, 0) AS nCount, coalesce(soft_masked, 0) AS softMasked, description FROM genome_sequences WHERE genome_id = ? ORDER BY ord')
    .all(id) as GenomeSequenceRow[];
}

/** After a relocation or an index rebuild. */
export function updateGenomeFiles(db: Db, id: number, f: Pick<GenomeRow, 'path' | 'fastaPath' | 'faiPath' | 'gziPath' | 'mtimeMs'>): void {
  db.prepare('UPDATE genomes SET path = ?, fasta_path = ?, index_path = ?, gzi_path = ?, mtime_ms = ? WHERE id = ?').run(f.path, f.fastaPath, f.faiPath, f.gziPath, f.mtimeMs, id);
}

export function deleteGenome(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM genomes WHERE id = ?').run(id).changes > 0;
}

// ---------- region sets ----------

export interface RegionRow {
  chrom: string;
  start: number;
  end: number;
  name?: string;
  score?: number;
  strand?: '+' | '-' | '.';
}

export interface RegionSetParams {
  derive: 'features' | 'start-sites';
  gffTypes: string[];
  rename?: Record<string, string>;
}

export interface RegionSetRow {
  id: number;
  name: string;
  genomeId: number | null;
  format: 'bed' | 'gff3';
  sourcePath: string;
  checksum: string;
  count: number;
  params: RegionSetParams;
  createdAt: string;
}

interface RawRegionSet {
  id: number;
  name: string;
  genome_id: number | null;
  format: string;
  source_path: string | null;
  checksum: string | null;
  count: number;
  params: string;
  created_at: string;
}

function regionSetFromRow(r: RawRegionSet): RegionSetRow {
  return {
    id: r.id,
    name: r.name,
    genomeId: r.genome_id,
    format: r.format === 'gff3' ? 'gff3' : 'bed',
    sourcePath: r.source_path ?? '',
    checksum: r.checksum ?? '',
    count: r.count,
    params: { derive: 'features', gffTypes: [], ...(JSON.parse(r.params) as Partial<RegionSetParams>) },
    createdAt: r.created_at,
  };
}

export function insertRegionSet(db: Db, s: Omit<RegionSetRow, 'id' | 'count'>, regions: readonly RegionRow[]): number {
  const id = Number(
    db
      .prepare('INSERT INTO region_sets (genome_id, name, source_path, format, count, created_at, checksum, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.genomeId, s.name, s.sourcePath, s.format, regions.length, s.createdAt, s.checksum, JSON.stringify(s.params)).lastInsertRowid,
  );
  const ins = db.prepare('INSERT INTO regions (region_set_id, ord, chrom, start, "end", name, score, strand) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  regions.forEach((r, i) => ins.run(id, i, r.chrom, r.start, r.end, r.name ?? null, r.score ?? null, r.strand ?? null));
  return id;
}

export function listRegionSetRows(db: Db, genomeId?: number): RegionSetRow[] {
  const rows = (genomeId === undefined
    ? db.prepare('SELECT * FROM region_sets ORDER BY id').all()
    : db.prepare('SELECT * FROM region_sets WHERE genome_id = ? ORDER BY id').all(genomeId)) as RawRegionSet[];
  return rows.map(regionSetFromRow);
}

export function getRegionSetRow(db: Db, id: number): RegionSetRow | undefined {
  const r = db.prepare('SELECT * FROM region_sets WHERE id = ?').get(id) as RawRegionSet | undefined;
  return r && regionSetFromRow(r);
}

export function regionsOf(db: Db, setId: number): RegionRow[] {
  const rows = db.prepare('SELECT chrom, start, "end", name, score, strand FROM regions WHERE region_set_id = ? ORDER BY ord').all(setId) as Array<{
    chrom: string;
    start: number;
    end: number;
    name: string | null;
    score: number | null;
    strand: '+' | '-' | '.' | null;
  }>;
  return rows.map((r) => ({
    chrom: r.chrom,
    start: r.start,
    end: r.end,
    ...(r.name !== null && { name: r.name }),
    ...(r.score !== null && { score: r.score }),
    ...(r.strand !== null && { strand: r.strand }),
  }));
}

export function deleteRegionSet(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM region_sets WHERE id = ?').run(id).changes > 0;
}

// ---------- datasets ----------

export type SplitName = 'train' | 'dev' | 'test';

export interface DatasetItemRow {
  split: SplitName;
  label: string;
  labelIndex: number;
  chrom: string | null;
  start: number | null;
  end: number | null;
  strand: '+' | '-' | '.' | null;
  sequence: string;
  origin: string;
  augmented: boolean;
  gc: number;
}

export interface DatasetRow {
  id: number;
  name: string;
  kind: string;
  genomeId: number | null;
  regionSetId: number | null;
  provenance: Record<string, unknown>;
  split: Record<string, unknown>;
  summary: Record<string, unknown>;
  classes: string[];
  itemCount: number;
  createdAt: string;
}

interface RawDataset {
  id: number;
  name: string;
  kind: string;
  genome_id: number | null;
  region_set_id: number | null;
  provenance: string;
  split: string;
  summary: string;
  classes: string;
  item_count: number;
  created_at: string;
}

function datasetFromRow(r: RawDataset): DatasetRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    genomeId: r.genome_id,
    regionSetId: r.region_set_id,
    provenance: JSON.parse(r.provenance) as Record<string, unknown>,
    split: JSON.parse(r.split) as Record<string, unknown>,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
    classes: JSON.parse(r.classes) as string[],
    itemCount: r.item_count,
    createdAt: r.created_at,
  };
}

export function insertDataset(db: Db, d: Omit<DatasetRow, 'id' | 'itemCount'>, items: Iterable<DatasetItemRow>): number {
  const id = Number(
    db
      .prepare('INSERT INTO datasets (name, kind, genome_id, region_set_id, provenance, split, summary, classes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.name, d.kind, d.genomeId, d.regionSetId, JSON.stringify(d.provenance), JSON.stringify(d.split), JSON.stringify(d.summary), JSON.stringify(d.classes), d.createdAt).lastInsertRowid,
  );
  const ins = db.prepare(
    'INSERT INTO dataset_items (dataset_id, split, chrom, start, "end", strand, sequence, label, label_index, origin, augmented, gc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let n = 0;
  for (const it of items) {
    ins.run(id, it.split, it.chrom, it.start, it.end, it.strand, it.sequence, it.label, it.labelIndex, it.origin, it.augmented ? 1 : 0, it.gc);
    n++;
  }
  db.prepare('UPDATE datasets SET item_count = ? WHERE id = ?').run(n, id);
  return id;
}

export function listDatasetRows(db: Db): DatasetRow[] {
  return (db.prepare('SELECT * FROM datasets ORDER BY id').all() as RawDataset[]).map(datasetFromRow);
}

export function getDatasetRow(db: Db, id: number): DatasetRow | undefined {
  const r = db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as RawDataset | undefined;
  return r && datasetFromRow(r);
}

interface RawItem {
  split: SplitName;
  label: string;
  label_index: number | null;
  chrom: string | null;
  start: number | null;
  end: number | null;
  strand: '+' | '-' | '.' | null;
  sequence: string | null;
  origin: string | null;
  augmented: number;
  gc: number | null;
}

function itemFromRow(r: RawItem): DatasetItemRow {
  return {
    split: r.split,
    label: r.label,
    labelIndex: r.label_index ?? 0,
    chrom: r.chrom,
    start: r.start,
    end: r.end,
    strand: r.strand,
    sequence: r.sequence ?? '',
    origin: r.origin ?? 'imported',
    augmented: r.augmented === 1,
    gc: r.gc ?? 0,
  };
}

const ITEM_COLUMNS = 'split, label, label_index, chrom, start, "end", strand, sequence, origin, augmented, gc';

/** Items of a dataset in stored order (split, then build order); optionally one split and a limit. */
export function datasetItems(db: Db, id: number, opts: { split?: SplitName; limit?: number } = {}): DatasetItemRow[] {
  const where = opts.split ? 'dataset_id = ? AND split = ?' : 'dataset_id = ?';
  const args: unknown[] = opts.split ? [id, opts.split] : [id];
  const limit = opts.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(opts.limit))}` : '';
  return (db.prepare(`SELECT ${ITEM_COLUMNS} FROM dataset_items WHERE ${where} ORDER BY id${limit}`).all(...args) as RawItem[]).map(itemFromRow);
}

export function deleteDataset(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
}
