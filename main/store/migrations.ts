// The project file's schema, as numbered migrations. Migration N takes a file from schema N-1 to N;
// the schema version of this Loci is the number of migrations. Never edit a released migration:
// later issues append new ones (ALTER TABLE ... ADD COLUMN, CREATE TABLE ...).
//
// Conventions: ids are INTEGER PRIMARY KEY (jobs use text ids from the job runner); times are ISO-8601
// UTC text; free-form structured data (params, provenance, config) is JSON text checked with
// json_valid(); genomic coordinates are 0-based half-open like BED. `kind`/`state` columns have no
// CHECK lists, because adding a value to a CHECK means rebuilding the table; the services validate them.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const v1 = /* sql */ `
CREATE TABLE migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

-- One row: the project's own description.
CREATE TABLE meta (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  name        TEXT NOT NULL CHECK (length(name) > 0),
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL,
  app_version TEXT NOT NULL -- the Loci version that last wrote the file
);

-- Reference genomes: the FASTA stays where the user keeps it; we record how to recognise it.
CREATE TABLE genomes (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  path       TEXT NOT NULL,
  index_path TEXT,
  checksum   TEXT,
  size_bytes INTEGER,
  mtime_ms   REAL,
  added_at   TEXT NOT NULL
);

CREATE TABLE genome_sequences (
  genome_id INTEGER NOT NULL REFERENCES genomes(id) ON DELETE CASCADE,
  ord       INTEGER NOT NULL,
  name      TEXT NOT NULL,
  length    INTEGER NOT NULL CHECK (length >= 0),
  PRIMARY KEY (genome_id, name)
) WITHOUT ROWID;

-- Labelled regions imported from a BED (or similar) file.
CREATE TABLE region_sets (
  id          INTEGER PRIMARY KEY,
  genome_id   INTEGER REFERENCES genomes(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  source_path TEXT,
  format      TEXT NOT NULL,
  count       INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);
CREATE INDEX region_sets_genome ON region_sets(genome_id);

CREATE TABLE datasets (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,                    -- e.g. classification, regression, pretraining
  genome_id     INTEGER REFERENCES genomes(id) ON DELETE SET NULL,
  region_set_id INTEGER REFERENCES region_sets(id) ON DELETE SET NULL,
  provenance    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(provenance)),
  split         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(split)), -- fractions, seed, strategy
  item_count    INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);
CREATE INDEX datasets_genome ON datasets(genome_id);

CREATE TABLE dataset_items (
  id         INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  split      TEXT NOT NULL CHECK (split IN ('train', 'dev', 'test')),
  chrom      TEXT,
  start      INTEGER,
  "end"      INTEGER,
  strand     TEXT CHECK (strand IN ('+', '-', '.')),
  sequence   TEXT,   -- stored for CSV-imported sequences; NULL when read from the genome
  label      TEXT NOT NULL,
  CHECK (start IS NULL OR "end" > start)
);
CREATE INDEX dataset_items_split ON dataset_items(dataset_id, split);

CREATE TABLE models (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  architecture TEXT NOT NULL,                     -- e.g. dnabert2, dnabert-6mer
  config       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  files        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(files)), -- weights, tokenizer, relative to the project folder or absolute
  parent_id    INTEGER REFERENCES models(id) ON DELETE SET NULL,   -- the model it was trained from
  created_at   TEXT NOT NULL
);
CREATE INDEX models_parent ON models(parent_id);

-- Long work the job runner executes; runs, scans and imports point at their job.
CREATE TABLE jobs (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  state      TEXT NOT NULL,                       -- queued, running, paused, done, failed, cancelled, interrupted
  progress   REAL CHECK (progress IS NULL OR (progress >= 0 AND progress <= 1)),
  message    TEXT,
  error      TEXT,
  params     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX jobs_state ON jobs(state);

CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL,                  -- pretrain, finetune, scan, ism, eval
  state           TEXT NOT NULL,
  model_id        INTEGER REFERENCES models(id) ON DELETE SET NULL,
  dataset_id      INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
  output_model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  job_id          TEXT REFERENCES jobs(id) ON DELETE SET NULL,
  params          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  metrics         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics)), -- final/best figures
  checkpoint_path TEXT,
  started_at      TEXT,
  ended_at        TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX runs_model ON runs(model_id);
CREATE INDEX runs_dataset ON runs(dataset_id);
CREATE INDEX runs_job ON runs(job_id);

-- Curves: one row per (run, metric, step).
CREATE TABLE run_metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name   TEXT NOT NULL,
  step   INTEGER NOT NULL,
  value  REAL NOT NULL,
  PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

-- Prediction tracks shown in the genome view; scores either in a file (bedGraph) or in predictions.
CREATE TABLE tracks (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL,                       -- prediction, ism, import
  genome_id  INTEGER REFERENCES genomes(id) ON DELETE CASCADE,
  run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  path       TEXT,
  format     TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX tracks_genome ON tracks(genome_id);
CREATE INDEX tracks_run ON tracks(run_id);

CREATE TABLE predictions (
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  chrom    TEXT NOT NULL,
  start    INTEGER NOT NULL,
  "end"    INTEGER NOT NULL,
  score    REAL NOT NULL,
  label    TEXT,
  CHECK ("end" > start)
);
CREATE INDEX predictions_locus ON predictions(track_id, chrom, start);

-- The biologist's own marks on the genome.
CREATE TABLE annotations (
  id         INTEGER PRIMARY KEY,
  genome_id  INTEGER REFERENCES genomes(id) ON DELETE CASCADE,
  chrom      TEXT NOT NULL,
  start      INTEGER NOT NULL CHECK (start >= 0),
  "end"      INTEGER NOT NULL,
  label      TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ("end" > start)
);
CREATE INDEX annotations_locus ON annotations(genome_id, chrom, start);
`;

// The job runner's bookkeeping (main/jobs): progress figures, where the log and checkpoint live,
// which Loci process runs the job (so another one can tell a live job from one left behind by a
// crash), and a cancel/pause asked for by a process that does not run the job.
const v2 = /* sql */ `
ALTER TABLE jobs ADD COLUMN device INTEGER NOT NULL DEFAULT 0;   -- 1: needs the compute device, runs one at a time
ALTER TABLE jobs ADD COLUMN step INTEGER;
ALTER TABLE jobs ADD COLUMN total INTEGER;
ALTER TABLE jobs ADD COLUMN eta_seconds REAL;
ALTER TABLE jobs ADD COLUMN metrics TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics));
ALTER TABLE jobs ADD COLUMN result TEXT CHECK (result IS NULL OR json_valid(result));
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN log_path TEXT;
ALTER TABLE jobs ADD COLUMN checkpoint_dir TEXT;
ALTER TABLE jobs ADD COLUMN queued_at TEXT;
ALTER TABLE jobs ADD COLUMN started_at TEXT;
ALTER TABLE jobs ADD COLUMN ended_at TEXT;
ALTER TABLE jobs ADD COLUMN runner_id TEXT;      -- the runner instance that owns the job while queued/running
ALTER TABLE jobs ADD COLUMN runner_pid INTEGER;  -- its process id
ALTER TABLE jobs ADD COLUMN worker_pid INTEGER;
ALTER TABLE jobs ADD COLUMN requested TEXT;      -- cancel or pause, asked by another process
`;

// Project data (main/api/genomes.ts, datasets.ts): how a genome was read (compression, the
// decompressed copy of a plain-gzip file, per-sequence statistics), the regions of a region set,
// and what a built dataset needs to be used without its genome: the summary, the classes, and per
// item its class index, origin and GC. Sequences stay plain TEXT in dataset_items.sequence: 100k
// windows of 200 bp take 27 MB that way; deflating each one saved 43% but made inserts 6x slower
// and the rows unreadable to SQL.
const v3 = /* sql */ `
ALTER TABLE genomes ADD COLUMN compression TEXT;
ALTER TABLE genomes ADD COLUMN fasta_path TEXT;   -- the file read by region (the decompressed copy for plain gzip)
ALTER TABLE genomes ADD COLUMN gzi_path TEXT;
ALTER TABLE genomes ADD COLUMN total_length INTEGER;
ALTER TABLE genome_sequences ADD COLUMN gc REAL;
ALTER TABLE genome_sequences ADD COLUMN n_count INTEGER;
ALTER TABLE genome_sequences ADD COLUMN soft_masked REAL;

ALTER TABLE region_sets ADD COLUMN checksum TEXT;
ALTER TABLE region_sets ADD COLUMN params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)); -- derive, gffTypes, rename
CREATE TABLE regions (
  region_set_id INTEGER NOT NULL REFERENCES region_sets(id) ON DELETE CASCADE,
  ord           INTEGER NOT NULL,
  chrom         TEXT NOT NULL,
  start         INTEGER NOT NULL CHECK (start >= 0),
  "end"         INTEGER NOT NULL,
  name          TEXT,
  score         REAL,
  strand        TEXT CHECK (strand IN ('+', '-', '.')),
  PRIMARY KEY (region_set_id, ord),
  CHECK ("end" >= start)
) WITHOUT ROWID;

ALTER TABLE datasets ADD COLUMN summary TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary));
ALTER TABLE datasets ADD COLUMN classes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(classes));
ALTER TABLE dataset_items ADD COLUMN label_index INTEGER;
ALTER TABLE dataset_items ADD COLUMN origin TEXT;  -- positive, background, shuffled, imported
ALTER TABLE dataset_items ADD COLUMN augmented INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dataset_items ADD COLUMN gc REAL;
`;

// Models (main/api/models.ts): which of the four kinds a model is, where its folder is and how to
// recognise that folder again on another machine (checksum and size of model.safetensors), what
// config.json says (kept in `config`, read once at import), and for fine-tuned models the run
// that made them and their class names. Bundled models store their bundled name in `source` and
// are found again in whichever Loci opens the project.
const v4 = /* sql */ `
ALTER TABLE models ADD COLUMN kind TEXT NOT NULL DEFAULT 'imported';  -- bundled, imported, baseline, finetuned
ALTER TABLE models ADD COLUMN source TEXT NOT NULL DEFAULT '';       -- bundled name, imported folder, or what it was made from
ALTER TABLE models ADD COLUMN path TEXT;                              -- the model folder (NULL for bundled: found by name)
ALTER TABLE models ADD COLUMN checksum TEXT;                          -- SHA-256 of model.safetensors
ALTER TABLE models ADD COLUMN size_bytes INTEGER;                     -- of model.safetensors
ALTER TABLE models ADD COLUMN run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
ALTER TABLE models ADD COLUMN labels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels));
ALTER TABLE models ADD COLUMN params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params));
CREATE INDEX models_run ON models(run_id);
`;

// Genome scans (main/api/scans.ts): a scan is a `runs` row of kind 'scan'; each score track it
// made is a `tracks` row (class, strand) whose bigWig lives inside the project file, split into
// fixed-size chunks, so the genome view reads it by byte range without loading it whole and the
// project stays one portable file.
const v5 = /* sql */ `
ALTER TABLE tracks ADD COLUMN class_index INTEGER;
ALTER TABLE tracks ADD COLUMN strand TEXT;                             -- combined, forward, reverse
ALTER TABLE tracks ADD COLUMN size_bytes INTEGER;                      -- of the stored file
ALTER TABLE tracks ADD COLUMN chunk_size INTEGER;                      -- bytes per chunk (the last may be shorter)
ALTER TABLE tracks ADD COLUMN params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)); -- min, max, ...
CREATE TABLE track_chunks (
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL CHECK (seq >= 0),
  data     BLOB NOT NULL,
  UNIQUE (track_id, seq)
);
`;

// The genome view (main/api/genome-view.ts): the user's own track files, kept by reference in
// `tracks` (kind 'file', with the index a BAM/CRAM/tabix file needs); the view's settings (last
// locus, each track's visibility, order, colour, height) per genome; and an index for the per-locus
// feature queries of region sets and datasets (igv.js asks for the features of the visible window).
const v6 = /* sql */ `
ALTER TABLE tracks ADD COLUMN index_path TEXT;
CREATE TABLE genome_view (
  genome_id  INTEGER PRIMARY KEY REFERENCES genomes(id) ON DELETE CASCADE,
  settings   TEXT NOT NULL CHECK (json_valid(settings)),
  updated_at TEXT NOT NULL
);
CREATE INDEX regions_locus ON regions(region_set_id, chrom, start);
CREATE INDEX dataset_items_locus ON dataset_items(dataset_id, chrom, start);
`;

// Reports (main/api/reports.ts): each stored as its whole self-contained HTML, a snapshot of the
// runs when it was made (a run removed later leaves its reports readable), with the runs it covers.
const v7 = /* sql */ `
CREATE TABLE reports (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('run', 'comparison')),
  title      TEXT NOT NULL,
  run_ids    TEXT NOT NULL CHECK (json_valid(run_ids)),
  notes      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(notes)),
  html       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

// Annotations (main/api/annotations.ts): the biologist's marks get a source (drawn in the view,
// imported from a file, or taken from a scan's called region) with the scan or run it came from,
// and every change is kept as a row of `annotation_changes` holding the rows before and after it,
// so undo applies `before` and redo applies `after` (Apollo's ChangeManager: a change and its
// inverse), also after a reload. `label` (migration 1) is the annotation's class. Changes past the
// undo point (undone = 1) are dropped when a new change is made, as in every editor.
const v8 = /* sql */ `
ALTER TABLE annotations ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';  -- manual, import, scan, region
ALTER TABLE annotations ADD COLUMN scan_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
ALTER TABLE annotations ADD COLUMN run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
CREATE INDEX annotations_label ON annotations(genome_id, label);
CREATE TABLE annotation_changes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  genome_id   INTEGER NOT NULL REFERENCES genomes(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,                                      -- add, update, remove, import
  description TEXT NOT NULL,
  before      TEXT NOT NULL CHECK (json_valid(before)),           -- the rows it changed, as they were (absent: did not exist)
  after       TEXT NOT NULL CHECK (json_valid(after)),            -- the same rows after it (absent: removed)
  undone      INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at  TEXT NOT NULL
);
CREATE INDEX annotation_changes_genome ON annotation_changes(genome_id, undone, id);
`;

// Interpretation (main/api/interpret.ts, issue 13): an ISM or variant-effect run is a `runs` row of
// kind 'ism' or 'variants'; its 4 x L table (float32, little-endian: reference probability forward
// [L], reverse [L], alt minus ref forward [L x 4], reverse [L x 4], bases A C G T) or its scored
// variants (one row per ALT allele, sortable) live here.
const v9 = /* sql */ `
CREATE TABLE ism_tables (
  run_id    INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  chrom     TEXT NOT NULL,
  start     INTEGER NOT NULL,
  "end"     INTEGER NOT NULL,
  ref_bases TEXT NOT NULL,
  data      BLOB NOT NULL,
  CHECK ("end" > start)
);
CREATE TABLE variant_effects (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx    INTEGER NOT NULL,                        -- order in the input (file order, ALT order)
  line   INTEGER NOT NULL,                        -- 1-based line of the VCF (or typed variant)
  chrom  TEXT NOT NULL,
  pos    INTEGER NOT NULL,                        -- 1-based, as in VCF
  vid    TEXT NOT NULL,
  ref    TEXT NOT NULL,
  alt    TEXT NOT NULL,
  qual   TEXT NOT NULL,
  filter TEXT NOT NULL,
  info   TEXT NOT NULL,
  ref_fw REAL NOT NULL,
  ref_rc REAL NOT NULL,
  alt_fw REAL NOT NULL,
  alt_rc REAL NOT NULL,
  diff   REAL NOT NULL,                           -- strands combined (mean probability), alt - ref
  log2fc REAL NOT NULL,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;
CREATE INDEX variant_effects_locus ON variant_effects(run_id, chrom, pos);
`;

// The text after the name on each FASTA header line ('>NC_000913.3 Escherichia coli str. K-12 ...'):
// shown beside the name and used to match an annotation file's names to the genome's.
const v10 = `
ALTER TABLE genome_sequences ADD COLUMN description TEXT NOT NULL DEFAULT '';
`;

// Pinned loci (main/api/genome-view.ts, issue 14): places on a genome the user marked in the Genome
// view (or with loci pin add) to show in reports, each with a short note. Project content, not view
// state: reports read them, so they have ids and count as a change to the project.
const v11 = /* sql */ `
CREATE TABLE pins (
  id         INTEGER PRIMARY KEY,
  genome_id  INTEGER NOT NULL REFERENCES genomes(id) ON DELETE CASCADE,
  chrom      TEXT NOT NULL,
  start      INTEGER NOT NULL,
  "end"      INTEGER NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX pins_genome ON pins(genome_id, id);
`;

// One-time things the project has done, as a JSON object of name -> when (main/store/meta.ts): the
// demo project records there that its scan was started, so a scan the user removes stays removed.
const v12 = `
ALTER TABLE meta ADD COLUMN flags TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(flags));
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: v1 },
  { version: 2, name: 'job runner columns', sql: v2 },
  { version: 3, name: 'genomes, regions and dataset items', sql: v3 },
  { version: 4, name: 'model kinds, folders and checksums', sql: v4 },
  { version: 5, name: 'scan tracks stored in chunks', sql: v5 },
  { version: 6, name: 'genome view: track files and settings', sql: v6 },
  { version: 7, name: 'reports', sql: v7 },
  { version: 8, name: 'annotations: source, change log for undo and redo', sql: v8 },
  { version: 9, name: 'interpretation: ISM tables and variant effects', sql: v9 },
  // first-hour's migration (14 in the plan; numbered 10 on its branch so the chain stays whole).
  { version: 10, name: 'genome sequences: FASTA header descriptions', sql: v10 },
  { version: 11, name: 'pinned loci for reports', sql: v11 },
  { version: 12, name: 'project flags: one-time steps done', sql: v12 },
];

/** The schema version this Loci writes: the number of migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;
