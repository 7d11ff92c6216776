// Run as a child process by annotations-crash.test.ts: applies the burst's ops to a project
// through the services, printing "ok N" after op N has returned (committed), until killed.
import { createAppContext } from '../../../main/api/context';
import { dispatch } from '../../../main/api/dispatch';
import { createServices } from '../../../main/api/index';
import { burstOps, modelAfter, opInput } from './annotation-burst';

const [project, dataDir, seed, count] = process.argv.slice(2);
const ctx = createAppContext({ dataDir: dataDir!, mode: 'cli', log: { info() {}, warn() {}, error() {} } });
const services = createServices(ctx);
const ops = burstOps(Number(seed), Number(count));
let rows = modelAfter(ops, 0);
for (let i = 0; i < ops.length; i++) {
  const call = opInput(ops[i]!, rows);
  if (call) await dispatch(services, call.method, { project: project!, ...call.input } as never);
  rows = modelAfter(ops, i + 1);
  process.stdout.write(`ok ${i + 1}\n`);
}
process.stdout.write('finished\n');
