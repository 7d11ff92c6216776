// GUE-format task folders: any folder under the root holding train.csv, dev.csv and test.csv
// ("sequence,label", the layout of the GUE benchmark of Zhou et al. 2023). A task's name is its path
// under the root ("prom/prom_core_all", "tf/0"). A task.json beside the CSVs may say
// {"metric": "f1"} (GUE's virus task is scored by F1); every other task is scored by MCC.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { readLabelledSequences } from '../../genome/table';
import type { LabelledExample } from '../finetune/data';

export const GUE_SPLITS = ['train', 'dev', 'test'] as const;
export type GueMetric = 'mcc' | 'f1';

export interface GueTask {
  /** Path under the root, with '/' separators. */
  name: string;
  dir: string;
  metric: GueMetric;
}

export interface GueTaskData {
  train: LabelledExample[];
  dev: LabelledExample[];
  test: LabelledExample[];
  classNames: string[];
}

const exists = (p: string) => stat(p).then((s) => s.isFile(), () => false);

async function metricOf(dir: string, name: string): Promise<GueMetric> {
  const path = join(dir, 'task.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return /virus|covid/i.test(name) ? 'f1' : 'mcc';
  }
  let metric: unknown;
  try {
    metric = (JSON.parse(text) as { metric?: unknown }).metric;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (metric !== 'mcc' && metric !== 'f1') throw new Error(`${path}: "metric" must be "mcc" or "f1", got ${JSON.stringify(metric)}`);
  return metric;
}

/** Every task folder under root, sorted by name; `only` keeps the named ones (a name or a folder prefix like "tf"). */
export async function findGueTasks(root: string, only?: readonly string[]): Promise<GueTask[]> {
  if (!(await stat(root).then((s) => s.isDirectory(), () => false))) throw new Error(`${root}: no such folder (GUE tasks: folders with train.csv, dev.csv and test.csv)`);
  const found: GueTask[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const has = await Promise.all(GUE_SPLITS.map((s) => exists(join(dir, `${s}.csv`))));
    if (has.every(Boolean)) {
      const name = relative(root, dir).split(sep).join('/') || '.';
      found.push({ name, dir, metric: await metricOf(dir, name) });
      return;
    }
    if (has.some(Boolean)) throw new Error(`${dir}: a GUE task needs train.csv, dev.csv and test.csv; missing ${GUE_SPLITS.filter((_, i) => !has[i]).map((s) => `${s}.csv`).join(', ')}`);
    if (depth >= 4) return;
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) await walk(join(dir, e.name), depth + 1);
  };
  await walk(root, 0);
  if (found.length === 0) throw new Error(`${root}: no GUE task folders here (each needs train.csv, dev.csv and test.csv)`);
  if (!only || only.length === 0) return found;
  const kept = found.filter((t) => only.some((o) => t.name === o || t.name.startsWith(`${o.replace(/\/$/, '')}/`)));
  const unknown = only.filter((o) => !found.some((t) => t.name === o || t.name.startsWith(`${o.replace(/\/$/, '')}/`)));
  if (unknown.length) throw new Error(`no GUE task ${unknown.map((u) => `"${u}"`).join(', ')} under ${root} (there are: ${found.map((t) => t.name).join(', ')})`);
  return kept;
}

/** The three splits; classes from train (integers ascending, as GUE's 0/1 labels); errors name file and line. */
export async function readGueTask(task: GueTask): Promise<GueTaskData> {
  const read = async (split: string, classes?: string[]) => {
    const r = await readLabelledSequences(join(task.dir, `${split}.csv`), { format: 'csv', ...(classes && { classes }), maxErrors: 5 });
    if (r.errorCount > 0) throw new Error(`${task.name}: ${r.errors.map((e) => e.message).join('; ')}${r.errorCount > r.errors.length ? ` (and ${r.errorCount - r.errors.length} more)` : ''}`);
    return r;
  };
  const train = await read('train');
  if (train.classes.length < 2) throw new Error(`${join(task.dir, 'train.csv')}: ${train.classes.length} class; a GUE task needs at least 2`);
  const [dev, test] = [await read('dev', train.classes), await read('test', train.classes)];
  const ex = (r: typeof train) => r.records.map((x) => ({ sequence: x.sequence.toUpperCase(), label: x.labelIndex }));
  return { train: ex(train), dev: ex(dev), test: ex(test), classNames: train.classes };
}
