// A progress display for long CLI commands (loci finetune, loci jobs resume, ...): on a terminal,
// one line redrawn in place with a bar, step/total, loss, throughput and ETA; when the output is a
// file or a pipe (CI logs), plain lines at most every few seconds. `followJob` ties it to a job.
// Written by hand: the few npm progress bars are unmaintained or pull in several dependencies,
// and this needs only \r and one ANSI "clear to end of line".
import type { JobProgress } from '../../shared/contract/events';
import type { JobInfo } from '../../shared/contract/jobs';
import type { AppContext } from '../api/context';
import { formatEta, jobRunner } from '../jobs/index';

export interface ProgressView {
  step?: number | null;
  total?: number | null;
  fraction?: number | null;
  etaSeconds?: number | null;
  message?: string;
  metrics?: Record<string, number>;
}

export interface ProgressOutput {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  /** Default process.stdout. */
  output?: ProgressOutput;
  /** Text before the bar, e.g. "fine-tune". */
  label?: string;
  /** Redraws per second on a terminal (default 10). */
  fps?: number;
  /** Seconds between plain lines when not on a terminal (default 10). */
  plainEverySeconds?: number;
  now?: () => number;
}

function fixed(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 ? Math.round(v).toLocaleString('en-US') : a >= 0.01 ? v.toPrecision(4) : v.toExponential(1);
}

/** "step 420/1000  loss 0.4123  lr 3.0e-5  1,234 tok/s  ETA 3 min 02 s": the figures, without the bar. */
export function describeProgress(p: ProgressView): string {
  const parts: string[] = [];
  if (typeof p.step === 'number') parts.push(p.total ? `step ${p.step}/${p.total}` : `step ${p.step}`);
  const m = p.metrics ?? {};
  if (m.loss !== undefined) parts.push(`loss ${fixed(m.loss)}`);
  if (m.lr !== undefined) parts.push(`lr ${m.lr.toExponential(1)}`);
  if (m.tokensPerSec !== undefined) parts.push(`${Math.round(m.tokensPerSec).toLocaleString('en-US')} tok/s`);
  for (const [k, v] of Object.entries(m)) if (!['loss', 'lr', 'tokensPerSec'].includes(k)) parts.push(`${k} ${fixed(v)}`);
  if (typeof p.etaSeconds === 'number') parts.push(`ETA ${formatEta(p.etaSeconds)}`);
  if (parts.length === 0 && p.message) parts.push(p.message);
  return parts.join('  ');
}

function fractionOf(p: ProgressView): number | null {
  if (typeof p.fraction === 'number') return Math.min(1, Math.max(0, p.fraction));
  if (typeof p.step === 'number' && p.total) return Math.min(1, Math.max(0, p.step / p.total));
  return null;
}

/** One terminal line: "label [█████░░░░░]  42%  step 420/1000  loss 0.4123 ...", cut to `columns`. */
export function renderProgressLine(p: ProgressView, columns = 80, label = ''): string {
  const f = fractionOf(p);
  const barWidth = Math.max(10, Math.min(30, Math.floor(columns / 4)));
  const filled = f === null ? 0 : Math.round(f * barWidth);
  const bar = f === null ? '' : `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%  `;
  const line = `${label ? label + ' ' : ''}${bar}${describeProgress(p)}`;
  // Never wrap: a wrapped line cannot be redrawn with \r. Count code points, not UTF-16 units.
  const chars = [...line];
  return chars.length > columns - 1 ? chars.slice(0, columns - 2).join('') + '…' : line;
}

export class ProgressBar {
  private readonly out: ProgressOutput;
  private readonly tty: boolean;
  private readonly now: () => number;
  private last: ProgressView = {};
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(private readonly opts: ProgressBarOptions = {}) {
    this.out = opts.output ?? process.stdout;
    this.tty = this.out.isTTY === true;
    this.now = opts.now ?? Date.now;
  }

  update(p: ProgressView): void {
    this.last = { ...this.last, ...p };
    const t = this.now();
    const every = this.tty ? 1000 / (this.opts.fps ?? 10) : (this.opts.plainEverySeconds ?? 10) * 1000;
    if (t - this.lastDraw < every) return;
    this.lastDraw = t;
    this.draw();
  }

  /** Prints a line above the bar (a log line, a warning) and redraws the bar under it. */
  log(line: string): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
    this.out.write(line + '\n');
    if (this.tty && this.drawn) this.draw();
  }

  /** Draws the final state and ends the line; `line` replaces it if given. */
  done(line?: string): void {
    if (this.tty) {
      if (this.drawn) this.out.write('\r\x1b[K');
      this.out.write((line ?? renderProgressLine(this.last, this.columns(), this.opts.label)) + '\n');
    } else {
      this.out.write((line ?? this.plainLine()) + '\n');
    }
    this.drawn = false;
  }

  private columns(): number {
    return this.out.columns && this.out.columns > 20 ? this.out.columns : 80;
  }

  private plainLine(): string {
    const f = fractionOf(this.last);
    return [this.opts.label, f === null ? '' : `${Math.floor(f * 100)}%`, describeProgress(this.last)].filter(Boolean).join('  ');
  }

  private draw(): void {
    if (this.tty) {
      this.out.write(`\r${renderProgressLine(this.last, this.columns(), this.opts.label)}\x1b[K`);
      this.drawn = true;
    } else {
      this.out.write(this.plainLine() + '\n');
    }
  }
}

export interface FollowOptions {
  output?: ProgressOutput;
  /** Where log lines of the job go (default: above the bar). */
  onLog?: (line: string) => void;
  /** Show the job's log lines (default true). */
  showLog?: boolean;
  label?: string;
  /** Ctrl-C pauses the job (it checkpoints; `loci jobs resume` continues it). Default true. */
  pauseOnInterrupt?: boolean;
}

/**
 * Shows a job's progress until it stops running in this process, and resolves with its final state.
 * The first Ctrl-C pauses it (saving a checkpoint); a second one cancels it.
 */
export async function followJob(ctx: AppContext, project: string, jobId: string, opts: FollowOptions = {}): Promise<JobInfo> {
  const runner = jobRunner(ctx);
  const bar = new ProgressBar({ output: opts.output, label: opts.label });
  const offProgress = ctx.bus.on('job.progress', (p: JobProgress) => {
    if (p.jobId === jobId && p.state === 'running') bar.update(p);
  });
  const offLog = ctx.bus.on('job.log', (l) => {
    if (l.jobId !== jobId || opts.showLog === false) return;
    if (opts.onLog) opts.onLog(l.line);
    else bar.log(l.line);
  });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    try {
      if (interrupts === 1) {
        bar.log('Pausing: saving a checkpoint (Ctrl-C again to cancel)...');
        runner.pause(project, jobId);
      } else {
        bar.log('Cancelling...');
        runner.cancel(project, jobId);
      }
    } catch {
      // It ended meanwhile; wait() below resolves.
    }
  };
  const trap = opts.pauseOnInterrupt !== false;
  if (trap) process.on('SIGINT', onSigint);
  try {
    const job = await runner.wait(project, jobId);
    // The last running event can be throttled away when a job ends within the interval; the
    // finished job's own figures are the truth for the final line.
    if (job.state === 'done' && typeof job.step === 'number') bar.update({ ...job, step: job.step, total: job.total, etaSeconds: 0 });
    bar.done();
    return job;
  } finally {
    offProgress();
    offLog();
    if (trap) process.off('SIGINT', onSigint);
  }
}

/**
 * For work run inside the CLI process (pre-training, GUE): the first Ctrl-C says `message` and
 * aborts the returned signal so the work stops at its next checkpoint; `dispose` removes the trap.
 */
export function stopOnSigint(say: (line: string) => void, message: string): { signal: AbortSignal; dispose: () => void } {
  const abort = new AbortController();
  const onSigint = () => {
    say(message);
    process.off('SIGINT', onSigint);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: abort.signal, dispose: () => process.off('SIGINT', onSigint) };
}
