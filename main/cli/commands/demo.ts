// loci demo: create (or complete) the bundled demo project and print its path. The same code the
// app runs on first start (main/api/demo.ts); scripts/make-demo-model.sh uses --data-only to build
// the demo's dataset the way the app does before it fine-tunes the shipped demo model on it.
import { resolve } from 'node:path';
import { defineCommand } from '../command';
import { printJson } from '../format';

export const demo = defineCommand({
  name: 'demo',
  summary: 'Create (or complete) the demo project (E. coli K-12) and print its path',
  options: {
    'data-only': { type: 'boolean', description: 'only the genome, region set and dataset: no demo model, annotations or scan' },
    resources: { type: 'string', value: 'DIR', description: "the demo's files (default: Loci's resources/demo)" },
  },
  async run({ values, context, io, json }) {
    const ctx = context();
    const { ensureDemoProject, waitForDemoScan } = await import('../../api/demo');
    const dataOnly = values['data-only'] === true;
    const project = await ensureDemoProject(ctx, { dataOnly, ...(typeof values.resources === 'string' && { resourcesDir: resolve(values.resources) }) });
    // A CLI process ends its jobs with it: wait for the demo scan (the app starts it and goes on).
    const scan = dataOnly ? null : await waitForDemoScan(ctx, project);
    io.out(json ? printJson({ project, scan }) : project);
  },
});
