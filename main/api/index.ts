// All services, one object keyed by method name. The `Services` type requires every method of the
// contract, so a method added to shared/contract without its service is a compile error here.
import { closeAppContext, type AppContext } from './context';
import type { Services } from './dispatch';
import { shutdownJobs } from '../jobs/index';
import { createDatasetServices } from './datasets';
import { createGenomeServices } from './genomes';
import { createJobServices } from './jobs';
import { createModelServices } from './models';
import { createProjectServices } from './projects';
import { createSystemServices } from './system';
import { createTrainingServices } from './training';
import { createAdaptServices } from './adapt';
import { createGenomeViewServices } from './genome-view';
import { createScanServices } from './scans';
import { createReportServices } from './reports';
import { createBenchmarkServices } from './benchmarks';
import { createAnnotationServices } from './annotations';
import { createInterpretServices } from './interpret';
import { createRetrainServices } from './retrain';
import { createSuggestionServices } from './suggest';

export function createServices(ctx: AppContext): Services {
  return {
    ...createSystemServices(ctx),
    ...createProjectServices(ctx),
    ...createJobServices(ctx),
    ...createGenomeServices(ctx),
    ...createDatasetServices(ctx),
    ...createModelServices(ctx),
    ...createTrainingServices(ctx),
    ...createAdaptServices(ctx),
    ...createGenomeViewServices(ctx),
    ...createScanServices(ctx),
    ...createReportServices(ctx),
    ...createBenchmarkServices(ctx),
    ...createAnnotationServices(ctx),
    ...createInterpretServices(ctx),
    ...createRetrainServices(ctx),
    ...createSuggestionServices(ctx),
  };
}

/** Releases what the services hold (open project files); returns the closing problems (see closeAppContext). */
export function closeServices(ctx: AppContext, log = true): string[] {
  shutdownJobs(ctx); // before the projects close: running jobs are recorded as interrupted
  return closeAppContext(ctx, log);
}

export { createAppContext, type AppContext } from './context';
export { dispatch, type Services } from './dispatch';
