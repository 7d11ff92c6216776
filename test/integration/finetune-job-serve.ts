// A stand-in for a Loci server that gets killed mid-run: opens the project in argv[2] on the data
// dir in argv[3], starts a fine-tuning run of dataset id argv[4] on model id argv[5], and prints
// "running <runId> <jobId> <workerPid>" once the run has trained a few steps. The test then SIGKILLs it.
import { createAppContext } from '../../main/api/context';
import { createServices, dispatch } from '../../main/api/index';
import { configureJobs } from '../../main/jobs/index';
import { silentLogger } from '../../main/node/log';
import { projectDb } from '../../main/api/projects';
import type { RunSummary } from '../../shared/contract/training';
import { FAST } from './finetune-job-fixture';

const [project = '', dataDir = '', datasetId = '', modelId = ''] = process.argv.slice(2);
const ctx = createAppContext({ dataDir, mode: 'browser', log: silentLogger });
configureJobs(ctx, { tuning: { progressIntervalMs: 20, dbIntervalMs: 50 } });
const services = createServices(ctx);
const run = (await dispatch(services, 'training.start', { project, datasetId: Number(datasetId), modelId: Number(modelId), settings: { ...FAST, maxSteps: 60, batchSize: 8, evalEvery: 4 } })) as RunSummary;
const off = ctx.bus.on('job.progress', (p) => {
  if (p.jobId !== run.jobId || (p.step ?? 0) < 6) return;
  off();
  const row = projectDb(ctx, project).prepare('SELECT worker_pid AS pid FROM jobs WHERE id = ?').get(run.jobId) as { pid: number };
  process.stdout.write(`running ${run.id} ${run.jobId} ${row.pid}\n`);
});
