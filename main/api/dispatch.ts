// The one place a request becomes a service call, whatever the transport: look the method up,
// validate the input with its zod schema (field-level messages on failure), run the service,
// and validate the output so a service can never hand the renderer something the contract does not allow.
import { resolve } from 'node:path';
import { api, ApiError, invalidInput, isMethodName, type MethodArgs, type MethodName, type MethodOutput } from '../../shared/contract';
import { isNoSpace, noSpaceError } from '../node/disk';
import { sqliteProblem } from '../store/problems';

export type Service<M extends MethodName> = (input: MethodArgs<M>) => Promise<MethodOutput<M>>;
export type Services = { [M in MethodName]: Service<M> };

export async function dispatch(services: Services, method: string, rawInput: unknown): Promise<unknown> {
  if (!isMethodName(method)) {
    throw new ApiError({ code: 'unknown_method', message: `No such method: ${method}` });
  }
  const spec = api[method];
  const input = spec.input.safeParse(rawInput ?? {});
  if (!input.success) throw invalidInput(method, input.error);
  const service = services[method] as (input: unknown) => Promise<unknown>;
  let output: unknown;
  try {
    output = await service(input.data);
  } catch (err) {
    throw asApiError(err, projectOf(input.data));
  }
  const checked = spec.output.safeParse(output);
  if (!checked.success) {
    throw new ApiError({ code: 'internal', message: `${method} produced output that breaks the contract: ${checked.error.message}` });
  }
  return checked.data;
}

/** The project file a method works on, to name it in SQLite's errors (which name no file). */
function projectOf(input: unknown): string | undefined {
  const i = input as { project?: unknown; path?: unknown } | null;
  const p = typeof i?.project === 'string' ? i.project : typeof i?.path === 'string' ? i.path : undefined;
  return p === undefined ? undefined : resolve(p);
}

/**
 * Anything a service throws crosses the transport as an ApiError body: SQLite's read-only, full-disk,
 * damaged and busy errors are explained with the project's path; other unknown errors become 'internal'.
 */
export function asApiError(err: unknown, project?: string): ApiError {
  if (err instanceof ApiError) return err;
  if (project !== undefined) {
    const explained = sqliteProblem(err, project);
    if (explained) return explained;
  }
  if (isNoSpace(err) && typeof (err as { path?: unknown }).path === 'string') return noSpaceError((err as { path: string }).path);
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError({ code: 'internal', message });
}
