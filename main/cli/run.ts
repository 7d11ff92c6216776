// The `loci` command line: finds the command, parses its flags with node:util parseArgs (strict),
// runs it against the same Services the UI uses (through dispatch), and maps failures to exit codes:
// 0 done, 1 the operation failed (an ApiError: message only; the stack with LOCI_DEBUG=1), 2 the
// command was mistyped (unknown command or flag, missing argument).
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/contract/errors';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { createAppContext, type AppContext } from '../api/context';
import { dispatch } from '../api/dispatch';
import { closeServices, createServices } from '../api/index';
import { appVersion } from '../node/paths';
import { UsageError, type CliCommand, type CliIo, type CliOption, type CliRun } from './command';
import { commands } from './commands/index';

const GLOBAL_OPTIONS: Record<string, CliOption> = {
  'data-dir': { type: 'string', value: 'DIR', description: 'where Loci keeps settings and projects (default: $LOCI_HOME, else the user data folder)' },
  json: { type: 'boolean', description: 'print machine-readable JSON' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'V', description: 'show the version' },
};

export interface RunCliOptions {
  io?: CliIo;
  env?: NodeJS.ProcessEnv;
  /** The command list (tests pass their own). */
  commands?: readonly CliCommand[];
}

const stdio: CliIo = {
  out: (text) => {
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  },
  err: (text) => {
    process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  },
};

type ParseOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parseOptions(options: Record<string, CliOption>): ParseOptions {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
}

/** Runs one command line; resolves to the exit code. */
export async function runCli(argv: readonly string[], opts: RunCliOptions = {}): Promise<number> {
  const io = opts.io ?? stdio;
  const env = opts.env ?? process.env;
  const list = opts.commands ?? commands;
  let ctx: AppContext | undefined;
  let commandName: string | undefined;
  try {
    // First pass, lenient: find the command words among the positionals.
    const loose = parseArgs({ args: [...argv], options: parseOptions(GLOBAL_OPTIONS), strict: false, allowPositionals: true, tokens: true });
    const words = loose.tokens.filter((t) => t.kind === 'positional');
    const command = findCommand(list, words.map((w) => w.value));
    if (!command) {
      if (words.length === 0) {
        if (loose.values.version) {
          io.out(appVersion());
          return 0;
        }
        io.out(mainHelp(list));
        return loose.values.help ? 0 : 2;
      }
      throw new UsageError(unknownCommandMessage(list, words.map((w) => w.value)));
    }
    commandName = command.name;
    const wordCount = command.name.split(' ').length;
    const drop = new Set(words.slice(0, wordCount).map((w) => w.index));
    const rest = argv.filter((_, i) => !drop.has(i));

    // Second pass, strict: the command's own flags plus the global ones.
    let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: parseOptions({ ...GLOBAL_OPTIONS, ...command.options }), strict: true, allowPositionals: true });
    } catch (err) {
      throw new UsageError(withOptionSuggestion(parseErrorMessage(err), { ...GLOBAL_OPTIONS, ...command.options }), command.name);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (positionals.length < min) throw new UsageError(`loci ${command.name} needs ${command.args ?? `${min} argument(s)`}`, command.name);
    if (positionals.length > max) {
      throw new UsageError(`Unexpected argument${positionals.length - max > 1 ? 's' : ''}: ${positionals.slice(max).join(' ')} (quote names that contain spaces)`, command.name);
    }

    let services: ReturnType<typeof createServices> | undefined;
    const context = (): AppContext => {
      ctx ??= createAppContext({ mode: command.mode ?? 'cli', dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined });
      return ctx;
    };
    const run: CliRun = {
      values,
      positionals,
      json: values.json === true,
      context,
      io,
      call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
        services ??= createServices(context());
        return dispatch(services, method, input) as Promise<MethodOutput<M>>;
      },
    };
    const code = await command.run(run);
    return closeAndReport(ctx, io, typeof code === 'number' ? code : 0);
  } catch (err) {
    return closeAndReport(ctx, io, reportError(err, io, env, commandName));
  }
}

/**
 * Closes the projects the command opened. One that cannot be closed cleanly (no space to fold its
 * WAL in) is reported, naming the file, and fails a command that otherwise succeeded: its output
 * said "done", but the project is whole only next to its WAL until Loci opens it with space to spare.
 */
function closeAndReport(ctx: AppContext | undefined, io: CliIo, code: number): number {
  if (!ctx) return code;
  const problems = closeServices(ctx, false);
  for (const p of problems) io.err(`loci: ${p}`);
  return problems.length && code === 0 ? 1 : code;
}

function reportError(err: unknown, io: CliIo, env: NodeJS.ProcessEnv, commandName: string | undefined): number {
  const debug = env.LOCI_DEBUG === '1';
  if (err instanceof UsageError) {
    io.err(`loci: ${err.message}`);
    const cmd = err.command ?? commandName;
    io.err(`Run "loci ${cmd ? cmd + ' ' : ''}--help" for usage.`);
    return 2;
  }
  if (err instanceof ApiError) {
    io.err(`loci: ${err.message}`);
    if (debug && err.stack) io.err(err.stack);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`loci: ${message}`);
  if (debug && err instanceof Error && err.stack) io.err(err.stack);
  else io.err('(set LOCI_DEBUG=1 for the details)');
  return 1;
}

/** The longest command name matching the leading words: "project create" before "project". */
function findCommand(list: readonly CliCommand[], words: string[]): CliCommand | undefined {
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const name = words.slice(0, n).join(' ');
    const found = list.find((c) => c.name === name);
    if (found) return found;
  }
  return undefined;
}

function unknownCommandMessage(list: readonly CliCommand[], words: string[]): string {
  const [first = '', second] = words;
  const group = list.filter((c) => c.name.startsWith(first + ' '));
  if (group.length) {
    const subs = group.map((c) => c.name.slice(first.length + 1));
    if (second === undefined) return `"loci ${first}" needs a subcommand: ${subs.join(', ')}`;
    const near = closest(second, subs);
    return `Unknown command "loci ${first} ${second}"${near ? `; did you mean "loci ${first} ${near}"?` : ''} (one of: ${subs.join(', ')})`;
  }
  const near = closest(first, [...new Set(list.map((c) => c.name.split(' ')[0] ?? c.name))]);
  return `Unknown command "${first}"${near ? `; did you mean "${near}"?` : ''}`;
}

/** parseArgs' messages name the flag but also talk about positionals and `--`; keep the useful first sentence. */
function parseErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n')[0] ?? message;
  return (first.split('. ')[0] ?? first).replace(/\.$/, '');
}

/** "Unknown option '--max-step'" gains "; did you mean --max-steps?" when one option is close. */
export function withOptionSuggestion(message: string, options: Record<string, CliOption>): string {
  const m = /^Unknown option '--([^'=]+)/.exec(message);
  if (!m) return message;
  const near = closest(m[1]!, Object.keys(options));
  return near ? `${message}; did you mean --${near}?` : message;
}

/** The candidate within edit distance 2, if any (typo suggestions). */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function optionLines(options: Record<string, CliOption>): string[] {
  const rows = Object.entries(options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`, o.description] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

function usageLine(c: CliCommand): string {
  const flags = Object.entries(c.options ?? {}).map(([name, o]) => `[--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}]`);
  return ['loci', c.name, c.args ?? '', ...flags].filter(Boolean).join(' ');
}

export function mainHelp(list: readonly CliCommand[]): string {
  const rows = list.map((c) => [`${c.name}${c.args ? ' ' + c.args : ''}`, c.summary] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `loci ${appVersion()}: fine-tune DNA language models on your own genomes, offline.`,
    '',
    'Usage: loci <command> [options]',
    '',
    'Commands:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run "loci <command> --help" for the options of one command. Set LOCI_DEBUG=1 to see stack traces.',
  ].join('\n');
}

export function commandHelp(c: CliCommand): string {
  const lines = [`Usage: ${usageLine(c)}`, '', c.summary];
  if (c.options && Object.keys(c.options).length) lines.push('', 'Options:', ...optionLines(c.options));
  lines.push('', 'Options for every command:', ...optionLines(GLOBAL_OPTIONS));
  return lines.join('\n');
}
