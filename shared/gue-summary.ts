// One model's line of a GUE results file (the runner's gue-results.json): its mean over the tasks it
// ran, its from-scratch twin's mean and wins, and each published model's mean over those same tasks
// (so the comparison is over the same tasks even when a run covered fewer than GUE's 13).
// Pure: the Models page's catalog (main/api/models.ts) and the benchmark views share it.
import type { GueResults, GueSummary } from './contract/benchmarks';

const scratchOf = (model: string) => `${model} (scratch)`;

function budgetLine(settings: Record<string, unknown>, model: string): string {
  const s = settings as { seeds?: unknown; budget?: { maxSteps?: unknown; epochs?: unknown; timeLimitSeconds?: unknown } } & Record<string, unknown>;
  const own = (s[model] as { options?: { maxSteps?: unknown; epochs?: unknown } } | undefined)?.options;
  const steps = s.budget?.maxSteps ?? own?.maxSteps;
  const epochs = s.budget?.epochs ?? own?.epochs;
  const parts = [typeof steps === 'number' ? `${steps} steps` : typeof epochs === 'number' ? `${epochs} epochs` : 'default budget'];
  if (typeof s.budget?.timeLimitSeconds === 'number') parts.push(`at most ${Math.round(s.budget.timeLimitSeconds / 60)} min per task`);
  const seeds = Array.isArray(s.seeds) ? s.seeds.length : 1;
  parts.push(`${seeds} seed${seeds === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Null when the file has no result for `model`. */
export function gueSummary(file: GueResults, model: string): GueSummary | null {
  const ran = file.rows.filter((r) => r.loci[model]);
  if (ran.length === 0) return null;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const twin = ran.map((r) => r.loci[scratchOf(model)]?.mean).filter((x): x is number => x !== undefined);
  const published = file.publishedColumns.flatMap((name) => {
    const xs = ran.map((r) => r.published[name]).filter((x): x is number => x !== undefined);
    return xs.length ? [{ name, mean: mean(xs), tasks: xs.length }] : [];
  });
  return {
    model,
    mean: mean(ran.map((r) => r.loci[model]!.mean)),
    tasks: ran.length,
    scratchMean: twin.length ? mean(twin) : null,
    winsOverScratch: file.winsOverScratch[model] ?? null,
    published,
    budget: budgetLine(file.settings, model),
    createdAt: file.createdAt,
  };
}

/** A GUE line's wording, shared by the Models page and `loci models catalog` so that both say the same. */
export interface GueLineText {
  /** "mean over 13 tasks; 600 steps, 3 seeds". */
  scope: string;
  model: string;
  /** "60.3 (beaten on 11 of 13)"; null without a twin. */
  scratch: string | null;
  /** label: "CNN baseline (published)", or "(published, 12 tasks)" when it covers fewer tasks. */
  published: { name: string; label: string; value: string }[];
}

export function gueLineText(g: GueSummary): GueLineText {
  const f = (x: number) => x.toFixed(1);
  return {
    scope: `mean over ${g.tasks} task${g.tasks === 1 ? '' : 's'}; ${g.budget}`,
    model: f(g.mean),
    scratch: g.scratchMean === null ? null : `${f(g.scratchMean)}${g.winsOverScratch ? ` (beaten on ${g.winsOverScratch.wins} of ${g.winsOverScratch.tasks})` : ''}`,
    published: g.published.map((p) => ({ name: p.name, label: `${p.name} (published${p.tasks !== g.tasks ? `, ${p.tasks} tasks` : ''})`, value: f(p.mean) })),
  };
}
