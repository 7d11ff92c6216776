// The crash matrix of issue 9: for each kind of job (genome import, region import, dataset build,
// fine-tune, adaptation, scan), SIGKILL in turn its worker, the serving process and the `loci`
// command that started it; then (as the next Loci) open the project, resume what needs resuming,
// and check that the job's result is stored exactly once and that PRAGMA integrity_check is ok.
// The outcome of each cell (what the next Loci found) is printed as a table at the end.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MethodName } from '../../shared/contract';
import { projectDb } from '../../main/api/projects';
import { pidAlive } from '../../main/jobs/owners';
import { bases, wrap, writeGenome, writeSites } from '../unit/api/data-helpers';
import { writeBpeModel } from '../unit/api/models-helpers';
import { jobsHarness, type JobsHarness } from '../unit/jobs/fixtures/harness';
import { cliEntry, repoRoot } from '../helpers/cli-process';
import { insertMotifDataset, integrity, motifItems } from './finetune-job-fixture';
import { genomeFasta, writeKmerClassifier } from './scan-fixture';

type Killed = 'worker' | 'server' | 'cli';

interface KindCase {
  name: string;
  jobKind: string;
  /** Prerequisites in the project; returns what the calls need. */
  setup(h: JobsHarness): Promise<Record<string, number>>;
  /** The API call that starts cell `i`'s job. */
  call(h: JobsHarness, s: Record<string, number>, i: number): { method: MethodName; input: Record<string, unknown> };
  /** The `loci` command that starts (and waits for) cell `i`'s job; none where no command waits for this kind. */
  cli?(h: JobsHarness, s: Record<string, number>, i: number): string[];
  /** How many results of this kind the project holds. */
  count(h: JobsHarness): number;
}

const one = (h: JobsHarness, sql: string) => (projectDb(h.ctx, h.project).prepare(sql).get() as { n: number }).n;
const tinyTrain = { batchSize: 8, maxSteps: 8, evalEvery: 4, lr: 2e-3, warmupSteps: 2, backend: 'wasm' as const };

const KINDS: KindCase[] = [
  {
    name: 'genome import',
    jobKind: 'genome-index',
    setup: async () => ({}),
    call(h, _s, i) {
      const path = join(h.dir, `g${i}.fa`);
      writeFileSync(path, `>chr${i}\n${wrap(bases(400_000, 100 + i))}`);
      return { method: 'genomes.import', input: { project: h.project, path, name: `g${i}` } };
    },
    cli(h, s, i) {
      const { input } = this.call(h, s, i);
      return ['import', 'genome', String(input.path), '--project', h.project, '--name', `g${i}`];
    },
    count: (h) => one(h, 'SELECT COUNT(*) AS n FROM genomes'),
  },
  {
    name: 'region import',
    jobKind: 'regions-read',
    async setup(h) {
      const genome = await h.call('genomes.import', { project: h.project, path: writeGenome(h.dir) });
      writeSites(h.dir);
      return { genomeId: genome.id };
    },
    call: (h, s, i) => ({ method: 'regions.import', input: { project: h.project, path: join(h.dir, 'sites.bed'), genomeId: s.genomeId, name: `r${i}` } }),
    cli: (h, s, i) => ['import', 'regions', join(h.dir, 'sites.bed'), '--project', h.project, '--genome', String(s.genomeId), '--name', `r${i}`],
    count: (h) => one(h, 'SELECT COUNT(*) AS n FROM region_sets'),
  },
  {
    name: 'dataset build',
    jobKind: 'dataset-build',
    async setup(h) {
      const genome = await h.call('genomes.import', { project: h.project, path: writeGenome(h.dir) });
      const set = await h.call('regions.import', { project: h.project, path: writeSites(h.dir), genomeId: genome.id, name: 'site' });
      return { genomeId: genome.id, setId: set.id };
    },
    call: (h, s, i) => ({
      method: 'datasets.build',
      input: {
        project: h.project,
        name: `d${i}`,
        spec: { source: 'regions', genomeId: s.genomeId, regionSets: [{ id: s.setId }], window: { mode: 'centred', length: 100 }, negatives: { strategy: 'gc-matched' }, split: { kind: 'blocks', fractions: { train: 0.8, dev: 0.1, test: 0.1 }, blockSize: 3000 } },
      },
    }),
    cli: (h, s, i) => ['dataset', 'build', '--project', h.project, '--name', `d${i}`, '--genome', String(s.genomeId), '--regions', 'site', '--window', '100'],
    count: (h) => one(h, 'SELECT COUNT(*) AS n FROM datasets'),
  },
  {
    name: 'fine-tune',
    jobKind: 'finetune',
    async setup(h) {
      const model = await h.call('models.importFolder', { project: h.project, path: await writeBpeModel(join(h.dir, 'tiny-bpe'), { card: false }), name: 'tiny-bpe' });
      const datasetId = insertMotifDataset(projectDb(h.ctx, h.project), motifItems(80, 7));
      return { modelId: model.id, datasetId };
    },
    call: (h, s, i) => ({ method: 'training.start', input: { project: h.project, datasetId: s.datasetId, modelId: s.modelId, name: `f${i}`, settings: tinyTrain } }),
    cli: (h, _s, i) => ['finetune', '--project', h.project, '--dataset', 'motif', '--model', 'tiny-bpe', '--name', `f${i}`, '--batch', '8', '--max-steps', '8', '--eval-every', '4', '--lr', '0.002', '--backend', 'wasm', '--quiet'],
    count: (h) => one(h, `SELECT COUNT(*) AS n FROM models WHERE kind = 'finetuned'`),
  },
  {
    name: 'adaptation',
    jobKind: 'pretrain',
    async setup(h) {
      const model = await h.call('models.importFolder', { project: h.project, path: await writeBpeModel(join(h.dir, 'tiny-bpe')), name: 'tiny-bpe' });
      const path = join(h.dir, 'toy.fa');
      writeFileSync(path, `>chr1 toy\n${wrap(bases(20_000, 5))}`);
      await h.call('genomes.import', { project: h.project, path, name: 'Toy' });
      return { modelId: model.id };
    },
    call: (h, s, i) => ({ method: 'adapt.start', input: { project: h.project, modelId: s.modelId, steps: 8, batch: 4, seqLen: 32, lr: 5e-3, backend: 'cpu', name: `a${i}` } }),
    // No `loci` command waits for an adaptation (`loci call adapt.start` starts it and returns).
    count: (h) => one(h, `SELECT COUNT(*) AS n FROM models WHERE json_extract(params, '$.adaptation') = 1`),
  },
  {
    name: 'scan',
    jobKind: 'scan',
    async setup(h) {
      const fasta = join(h.dir, 'genome.fa');
      writeFileSync(fasta, genomeFasta({ chr1: 60_000 }));
      const genome = await h.call('genomes.import', { project: h.project, path: fasta, name: 'toy' });
      const model = await h.call('models.importFolder', { project: h.project, path: await writeKmerClassifier(join(h.dir, 'clf')), name: 'clf' });
      return { genomeId: genome.id, modelId: model.id };
    },
    call: (h, s, i) => ({ method: 'scans.start', input: { project: h.project, modelId: s.modelId, window: 60, strand: 'forward', combine: 'mean', backend: 'wasm', name: `s${i}` } }),
    cli: (h, _s, i) => ['scan', '--project', h.project, '--model', 'clf', '--window', '60', '--strand', 'forward', '--backend', 'wasm', '--name', `s${i}`, '--quiet'],
    count: (h) => one(h, `SELECT COUNT(*) AS n FROM tracks`),
  },
];

/** The newest job of `kind` once it runs in a worker process. */
async function runningJob(h: JobsHarness, kind: string, after: Set<string>, child?: ChildProcess, stderr: () => string = () => ''): Promise<{ id: string; pid: number }> {
  const db = projectDb(h.ctx, h.project);
  for (let i = 0; i < 6000; i++) {
    const row = db.prepare(`SELECT id, worker_pid AS pid FROM jobs WHERE kind = ? AND state = 'running' AND worker_pid IS NOT NULL ORDER BY created_at DESC LIMIT 1`).get(kind) as { id: string; pid: number } | undefined;
    if (row && !after.has(row.id)) return row;
    if (child && child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before its ${kind} job ran: ${stderr()}`);
    await sleep(5);
  }
  throw new Error(`no ${kind} job ran within 30 s`);
}

async function exited(pid: number): Promise<void> {
  for (let i = 0; i < 600 && pidAlive(pid); i++) await sleep(50);
  assert.equal(pidAlive(pid), false, `the worker (pid ${pid}) exited`);
}

/** As the next Loci: open the project, resume the job if it needs it, wait until it is done. Returns what was found. */
async function recoverAndFinish(h: JobsHarness, jobId: string): Promise<string> {
  await h.call('projects.open', { path: h.project });
  const found = await h.call('jobs.get', { project: h.project, jobId });
  let path = found.state;
  if (found.state !== 'done') {
    if (found.state === 'running') {
      // Being stored by this Loci (recovered from done.json).
      path += ' (result being stored)';
    } else {
      await h.call('jobs.resume', { project: h.project, jobId });
      path += ' -> resumed';
    }
  }
  const end = await h.settled(jobId);
  assert.equal(end.state, 'done', `${jobId}: ${end.error ?? end.message}`);
  return `${path} -> ${end.state}`;
}

function jobIds(h: JobsHarness, kind: string): Set<string> {
  return new Set((projectDb(h.ctx, h.project).prepare('SELECT id FROM jobs WHERE kind = ?').all(kind) as { id: string }[]).map((r) => r.id));
}

const matrix: string[] = [];

for (const k of KINDS) {
  test(`crash matrix: ${k.name}`, { timeout: 240_000 }, async (t) => {
    const h = await jobsHarness(t);
    const s = await k.setup(h);
    const cells: Killed[] = k.cli ? ['worker', 'server', 'cli'] : ['worker', 'server'];
    for (const [i, killed] of cells.entries()) {
      await t.test(`${killed} killed`, () => cell(t, h, k, s, i, killed));
    }
  });
}

async function cell(t: { after(fn: () => void): void }, h: JobsHarness, k: KindCase, s: Record<string, number>, i: number, killed: Killed): Promise<void> {
  {
    {
      const before = k.count(h);
      const seen = jobIds(h, k.jobKind);
      let outcome: string;
      if (killed === 'worker') {
        const { method, input } = k.call(h, s, i);
        const answer = h.call(method, input as never).catch((e: unknown) => e);
        const job = await runningJob(h, k.jobKind, seen);
        process.kill(job.pid, 'SIGKILL');
        const after = await h.settled(job.id);
        outcome = after.state;
        if (after.state !== 'done') {
          await h.call('jobs.resume', { project: h.project, jobId: job.id });
          assert.equal((await h.settled(job.id)).state, 'done');
          outcome += ' -> resumed -> done';
        }
        await answer;
      } else {
        const child =
          killed === 'server'
            ? spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/integration/crash-serve.ts'), h.project, h.ctx.dataDir, k.call(h, s, i).method, JSON.stringify(k.call(h, s, i).input), k.jobKind], { cwd: repoRoot, stdio: 'ignore' })
            : spawn(process.execPath, ['--import', 'tsx', cliEntry, ...k.cli!(h, s, i)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOCI_HOME: join(h.dir, 'home'), LOCI_DEBUG: '' } });
        t.after(() => child.kill('SIGKILL'));
        let stderr = '';
        child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
        const job = await runningJob(h, k.jobKind, seen, child, () => stderr);
        child.kill('SIGKILL');
        await exited(job.pid);
        outcome = await recoverAndFinish(h, job.id);
      }
      assert.equal(integrity(h.project), 'ok', `${k.name}, ${killed} killed`);
      const dump = () => JSON.stringify(projectDb(h.ctx, h.project).prepare(`SELECT id, kind, state, job_id, output_model_id FROM runs`).all()) + JSON.stringify(projectDb(h.ctx, h.project).prepare(`SELECT id, state, result, message FROM jobs WHERE kind = ?`).all(k.jobKind));
      assert.equal(k.count(h), before + 1, `${k.name}, ${killed} killed (${outcome}): the result is stored exactly once\n${k.count(h) !== before + 1 ? dump() : ''}`);
      assert.equal(jobIds(h, k.jobKind).size, seen.size + 1, 'one job, resumed under its own id');
      matrix.push(`${k.name.padEnd(14)} | ${killed.padEnd(6)} | ${outcome}; stored once; integrity ok`);
    }
  }
}

after(() => {
  if (matrix.length) console.log(`\nkind           | killed | outcome\n${matrix.join('\n')}`);
});
