// One error type for every reader of user files (FASTA, BED, GFF3, label tables), so the UI and
// the CLI can show "file:line: problem" the same way whatever the format.

export type InputErrorCode =
  | 'not-found'
  | 'empty-file'
  | 'binary-file'
  | 'unsupported-format'
  | 'truncated-gzip'
  | 'corrupt-gzip'
  | 'data-before-header'
  | 'missing-name'
  | 'duplicate-name'
  | 'empty-sequence'
  | 'invalid-character'
  | 'line-width'
  | 'bad-index'
  | 'not-random-access'
  | 'too-few-columns'
  | 'bad-coordinate'
  | 'bad-range'
  | 'unknown-chromosome'
  | 'beyond-chromosome'
  | 'bad-field'
  | 'missing-column'
  | 'unknown-label'
  | 'unknown-sequence'
  | 'ref-mismatch';

export interface InputErrorInit {
  file: string;
  /** 1-based line number, when the problem is on one line. */
  line?: number;
  /** 1-based column (character) on that line, when known. */
  column?: number;
  code: InputErrorCode;
  /** What is wrong, in words a biologist can act on; no file or line (the formatter adds them). */
  problem: string;
}

/** `file:line:column: problem`, the form compilers use, so editors and terminals can jump to it. */
export function formatInputError(e: Pick<InputErrorInit, 'file' | 'line' | 'column' | 'problem'>): string {
  let where = e.file;
  if (e.line !== undefined) where += `:${e.line}`;
  if (e.line !== undefined && e.column !== undefined) where += `:${e.column}`;
  return `${where}: ${e.problem}`;
}

export class InputError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly code: InputErrorCode;
  readonly problem: string;

  constructor(init: InputErrorInit) {
    super(formatInputError(init));
    this.name = 'InputError';
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.code = init.code;
    this.problem = init.problem;
  }

  toJSON(): InputErrorInit {
    const { file, line, column, code, problem } = this;
    return { file, ...(line !== undefined && { line }), ...(column !== undefined && { column }), code, problem };
  }
}

/**
 * Collects per-line problems up to a limit instead of stopping at the first, so a user fixes a
 * file in one go. Counts every problem (also past the limit) for the summary.
 */
/** Lines that share one problem text (e.g. 9,490 lines on the same unknown chromosome). */
export interface ProblemGroup {
  problem: string;
  count: number;
  /** The first few of those lines. */
  lines: number[];
}

const GROUP_LINES = 5;
const MAX_GROUPS = 200;

export class ErrorCollector {
  readonly errors: InputError[] = [];
  private total = 0;
  private readonly byCode = new Map<InputErrorCode, number>();
  private readonly byProblem = new Map<string, ProblemGroup>();

  constructor(
    readonly file: string,
    readonly maxErrors = 100,
  ) {}

  add(init: Omit<InputErrorInit, 'file'>): void {
    this.total++;
    this.byCode.set(init.code, (this.byCode.get(init.code) ?? 0) + 1);
    const g = this.byProblem.get(init.problem);
    if (g) {
      g.count++;
      if (g.lines.length < GROUP_LINES && init.line !== undefined) g.lines.push(init.line);
    } else if (this.byProblem.size < MAX_GROUPS) {
      this.byProblem.set(init.problem, { problem: init.problem, count: 1, lines: init.line !== undefined ? [init.line] : [] });
    }
    if (this.errors.length < this.maxErrors) this.errors.push(new InputError({ file: this.file, ...init }));
  }

  get count(): number {
    return this.total;
  }

  /** Identical problems folded into one entry with a count, most frequent first (up to 200 kinds). */
  get groups(): ProblemGroup[] {
    return [...this.byProblem.values()].sort((a, b) => b.count - a.count).map((g) => ({ ...g, lines: [...g.lines] }));
  }

  /**
   * The file-level error for a file none of whose lines could be read, with the per-line detail
   * (each kind of problem once, with its count and first lines) rather than a bare "no lines".
   */
  noneReadable(what: string): InputError {
    const groups = this.groups.slice(0, 3).map((g) => {
      const lines = `line${g.lines.length === 1 ? '' : 's'} ${g.lines.join(', ')}${g.count > g.lines.length ? ', …' : ''}`;
      return `${g.count} × ${g.problem} (${lines})`;
    });
    const more = this.byProblem.size > 3 ? `; and ${this.byProblem.size - 3} other kinds of problem` : '';
    const first = this.errors[0];
    return new InputError({
      file: this.file,
      ...(first?.line !== undefined && { line: first.line }),
      code: first?.code ?? 'empty-file',
      problem: `no line could be read as ${what}: ${groups.join('; ')}${more}`,
    });
  }

  /** e.g. "3 problems in a.bed (2 bad-coordinate, 1 unknown-chromosome); first: a.bed:4: ..." */
  summary(linesRead: number): string {
    if (this.total === 0) return `${this.file}: ${linesRead} lines read, no problems`;
    const kinds = [...this.byCode].map(([code, n]) => `${n} ${code}`).join(', ');
    const shown = this.total > this.errors.length ? ` (first ${this.errors.length} listed)` : '';
    const first = this.errors[0] ? `; first: ${this.errors[0].message}` : '';
    return `${this.total} problem${this.total === 1 ? '' : 's'} in ${this.file} (${kinds}) over ${linesRead} lines${shown}${first}`;
  }
}
