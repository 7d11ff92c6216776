// The API contract: every method the renderer (or the CLI, or a test) can call, with its input and
// output schema, and every event channel. Nothing here imports Node, the DOM, main/ or renderer/.
import type { z } from 'zod';
import { systemMethods } from './system';
import { projectMethods } from './projects';
import { dataMethods } from './data';
import { jobMethods } from './jobs';
import { modelMethods } from './models';
import { trainingMethods } from './training';
import { adaptMethods } from './adapt';
import { genomeViewMethods } from './genome-view';
import { scanMethods } from './scans';
import { reportMethods } from './reports';
import { benchmarkMethods } from './benchmarks';
import { annotationMethods } from './annotations';
import { interpretMethods } from './interpret';

export const api = {
  ...systemMethods,
  ...projectMethods,
  ...dataMethods,
  ...jobMethods,
  ...modelMethods,
  ...trainingMethods,
  ...adaptMethods,
  ...genomeViewMethods,
  ...scanMethods,
  ...reportMethods,
  ...benchmarkMethods,
  ...annotationMethods,
  ...interpretMethods,
};

export type Api = typeof api;
export type MethodName = keyof Api;
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>;
export type MethodArgs<M extends MethodName> = z.output<Api[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Api[M]['output']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export { events } from './events';
export type { EventName, EventPayload } from './events';
export * from './errors';
