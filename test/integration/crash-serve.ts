// A stand-in for a Loci server that gets killed (the crash matrix): opens the project in argv[2] on
// the data dir in argv[3], calls method argv[4] with the JSON input argv[5], and prints
// "running <jobId> <workerPid>" once a job of kind argv[6] runs in a worker. The test then SIGKILLs it.
import { createAppContext } from '../../main/api/context';
import { createServices, dispatch } from '../../main/api/index';
import { projectDb } from '../../main/api/projects';
import { configureJobs } from '../../main/jobs/index';
import { silentLogger } from '../../main/node/log';

const [project = '', dataDir = '', method = '', input = '{}', kind = ''] = process.argv.slice(2);
const ctx = createAppContext({ dataDir, mode: 'browser', log: silentLogger });
configureJobs(ctx, { tuning: { progressIntervalMs: 20, dbIntervalMs: 50 } });
const services = createServices(ctx);
// Data methods wait for their job; what they answer does not matter here (the process is killed).
dispatch(services, method, JSON.parse(input)).catch((err: unknown) => process.stderr.write(`${method}: ${String(err)}\n`));
const timer = setInterval(() => {
  const row = projectDb(ctx, project).prepare(`SELECT id, worker_pid AS pid FROM jobs WHERE kind = ? AND state = 'running' AND worker_pid IS NOT NULL ORDER BY created_at DESC LIMIT 1`).get(kind) as { id: string; pid: number } | undefined;
  if (!row) return;
  clearInterval(timer);
  process.stdout.write(`running ${row.id} ${row.pid}\n`);
}, 5);
