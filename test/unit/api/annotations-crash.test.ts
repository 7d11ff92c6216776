// A kill -9 in the middle of a burst of annotation edits loses at most the edit in flight: a child
// process applies a deterministic burst (adds, edits, removes) through the services and prints a
// line after each commit; we SIGKILL it at a few points, then check PRAGMA integrity_check, that
// the annotations are exactly those after the printed edits (or after one more, the one in flight
// having committed before the kill), and that the change log holds one change per edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { harness } from './helpers';
import { writeGenome } from './data-helpers';
import { repoRoot } from '../../helpers/cli-process';
import { burstOps, modelAfter, opInput, type ModelRow } from './annotation-burst';

const OPS = 400;
const SEED = 12;

function killAfter(project: string, dataDir: string, lines: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/unit/api/annotation-burst-writer.ts'), project, dataDir, String(SEED), String(OPS)], { cwd: repoRoot });
    let done = 0;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const p of parts) if (p.startsWith('ok ')) done = Number(p.slice(3));
      if (done >= lines && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the writer was not killed (exit ${code}): ${stderr}`));
      else resolve(done);
    });
  });
}

const rowsOf = (db: Database.Database): ModelRow[] => db.prepare('SELECT id, chrom, start, "end", label FROM annotations ORDER BY id').all() as ModelRow[];
const sorted = (m: Map<number, ModelRow>) => [...m.values()].sort((a, b) => a.id - b.id);

test('SIGKILL during a burst of annotation edits: integrity_check ok, every committed edit present, history intact', async (t) => {
  const h = harness(t);
  const ops = burstOps(SEED, OPS);
  for (const [i, at] of [40, 137, 260].entries()) {
    const project = (await h.call('projects.create', { name: `Crash ${i}`, path: join(h.dir, `crash${i}.loci`) })).path;
    await h.call('genomes.import', { project, path: writeGenome(h.dir, `g${i}.fa`), name: 'Toy' });
    h.ctx.projects.close(project); // the child is the only writer, as a second Loci process would be
    const reported = await killAfter(project, join(h.dir, `data${i}`), at);
    assert.ok(reported >= at && reported < OPS, `killed mid-burst after ${reported} edits`);

    const db = new Database(project); // recovers the WAL as any opener would
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const got = rowsOf(db);
      const exact = sorted(modelAfter(ops, reported));
      const plusOne = sorted(modelAfter(ops, reported + 1));
      const nChanges = (db.prepare('SELECT count(*) AS n FROM annotation_changes').get() as { n: number }).n;
      // Ops that found nothing to pick made no change; count those that did.
      const changesAfter = (n: number) => ops.slice(0, n).filter((op, k) => opInput(op, modelAfter(ops, k)) !== null).length;
      if (nChanges === changesAfter(reported)) assert.deepEqual(got, exact, `after ${reported} committed edits`);
      else {
        assert.equal(nChanges, changesAfter(reported + 1), 'at most the edit in flight is extra');
        assert.deepEqual(got, plusOne, 'the edit in flight committed whole');
      }
      // Undo history is usable: the newest change's `after` is what the rows are.
      const last = db.prepare('SELECT after FROM annotation_changes ORDER BY id DESC LIMIT 1').get() as { after: string };
      for (const r of JSON.parse(last.after) as ModelRow[]) assert.deepEqual(got.find((g) => g.id === r.id), { id: r.id, chrom: r.chrom, start: r.start, end: r.end, label: r.label });
    } finally {
      db.close();
    }
  }
  // The project opens in Loci afterwards and undo works.
  const project = join(h.dir, 'crash0.loci');
  const before = (await h.call('annotations.list', { project })).total;
  const u = await h.call('annotations.undo', { project });
  assert.ok(u.change);
  const delta = { add: -1, remove: 1, update: 0, import: 0 }[u.change.kind];
  assert.equal((await h.call('annotations.list', { project })).total, before + delta);
});
