// Published GUE scores, read from a Markdown table (../shared/data/SOURCES.md): the table whose
// header starts with "task", one row per task, one column per published model, values in MCC x 100
// (a "**mean ...**" row is skipped: means are recomputed over the tasks actually run). Nothing is
// hard-coded: a row matches a task when the names are equal or the task's path ends with it
// ("prom/prom_core_all" matches "prom_core_all").

export interface PublishedScores {
  /** The file it was read from. */
  source: string;
  /** Published models, in the table's column order. */
  columns: string[];
  /** Task row name -> column -> score (MCC x 100); a cell that is not a number is absent. */
  rows: Map<string, Record<string, number>>;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

export function parsePublishedScores(markdown: string, source: string): PublishedScores {
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i]!;
    if (!head.trim().startsWith('|')) continue;
    const h = cells(head);
    if (h[0]!.toLowerCase() !== 'task' || !/^\|?\s*:?-{3,}/.test(lines[i + 1]!.trim())) continue;
    const columns = h.slice(1);
    const rows = new Map<string, Record<string, number>>();
    for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith('|'); j++) {
      const c = cells(lines[j]!);
      const name = c[0]!.replace(/\*/g, '').trim();
      if (!name || /^mean\b/i.test(name)) continue;
      const scores: Record<string, number> = {};
      columns.forEach((col, k) => {
        const v = Number((c[k + 1] ?? '').replace(/\*/g, ''));
        if ((c[k + 1] ?? '').trim() !== '' && Number.isFinite(v)) scores[col] = v;
      });
      rows.set(name, scores);
    }
    return { source, columns, rows };
  }
  throw new Error(`${source}: no published-scores table (a Markdown table whose first header cell is "task")`);
}

/** The published row of a task: same name, or the task path ends with "/" + the row name. */
export function publishedFor(p: PublishedScores, task: string): Record<string, number> | null {
  if (p.rows.has(task)) return p.rows.get(task)!;
  for (const [name, scores] of p.rows) if (task.endsWith(`/${name}`)) return scores;
  return null;
}
