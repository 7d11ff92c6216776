// One error shape for every transport: a code the UI can switch on, a message a biologist can
// act on, and, for invalid input, one line per offending field.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid_input', // the request did not match the method's input schema
  'not_found', // a project, file or record does not exist
  'not_a_project', // the file is not a Loci project
  'newer_schema', // the project was written by a newer Loci
  'conflict', // e.g. a project file already exists at that path
  'bad_file', // a user's input file is malformed (names file and line)
  'read_only', // the project (or file) may not be written here: on read-only media, immutable, a read-only folder
  'no_space', // a write failed for lack of disk space (names the file and folder; nothing was changed)
  'damaged', // a project file fails its integrity check (names the file and what to do)
  'unauthorized', // browser mode: missing or wrong token, or foreign origin
  'unknown_method',
  'cancelled',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ApiErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(FieldIssue).optional(),
  /** For bad_file: which file and line. */
  file: z.string().optional(),
  line: z.number().int().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.issues = body.issues;
    this.file = body.file;
    this.line = body.line;
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, issues: this.issues, file: this.file, line: this.line };
  }
}

/** Field-level messages from a zod error: `name: Too small: expected string to have >=1 characters`. */
export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.length ? i.path.map(String).join('.') : '(input)', message: i.message }));
}

/** 'settings.maxSteps' -> 'max steps', 'datasetId' -> 'dataset': a field as a person calls it. */
export function fieldLabel(path: string): string {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return last.replace(/Id$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

// zod's own messages ("Too small: expected ...") do not say which field; ours do ("A project needs a name").
const GENERIC = /^(Invalid|Too (small|big)|Expected|Unrecognized|Required)/;

/**
 * One sentence per problem for people: the schema's own messages as they are, zod's generic ones
 * prefixed with the field in words; never an internal field name or method name (those stay in `issues`).
 */
export function issuesMessage(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (GENERIC.test(i.message) && i.path !== '(input)' ? `${fieldLabel(i.path)}: ${i.message}` : i.message)).join('; ');
}

/** `_method` is kept for callers' symmetry; the method name is not for the person reading the message. */
export function invalidInput(_method: string, error: z.ZodError): ApiError {
  const issues = issuesFromZod(error);
  return new ApiError({ code: 'invalid_input', message: issuesMessage(issues), issues });
}
