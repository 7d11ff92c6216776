// Issue 9 defect 3: a project on a small tmpfs, filled by `loci dataset build` until the disk is
// full. Every command either succeeds or fails with a message naming the file or folder (a write
// that did not fit says nothing was changed; a close that could not fold the WAL in says the
// project stays whole next to it and exits non-zero). Afterwards, with room again, the project
// opens whole and passes PRAGMA integrity_check. Needs `mount -t tmpfs` (root); skips otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGenome, writeSites } from '../unit/api/data-helpers';
import { runLoci, tempHome } from '../helpers/cli-process';
import { integrity } from './finetune-job-fixture';

function mountTmpfs(dir: string, size: string): string | null {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `mount exited ${r.status}`).trim();
}

test('a project on a full disk: clear messages naming the file, and the project opens whole afterwards', { timeout: 300_000 }, async (t) => {
  const home = tempHome(t, 'loci-full-');
  const mnt = mkdtempSync(join(tmpdir(), 'loci-tmpfs-'));
  const why = mountTmpfs(mnt, '3m');
  if (why) {
    rmSync(mnt, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here (${why}): run as root to test a full disk`);
    return;
  }
  t.after(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });
  const inputs = join(home, 'inputs');
  mkdirSync(inputs);
  const fasta = writeGenome(inputs);
  const sites = writeSites(inputs);
  const project = join(mnt, 'full.loci');
  const ok = async (args: string[]) => {
    const r = await runLoci(args, home);
    assert.equal(r.code, 0, `loci ${args.join(' ')}\n${r.stderr}${r.stdout}`);
  };
  await ok(['project', 'create', 'Full', '--path', project]);
  await ok(['import', 'genome', fasta, '--project', project, '--name', 'g']);
  await ok(['import', 'regions', sites, '--project', project, '--genome', 'g', '--name', 'site']);

  // Datasets of 1 kb windows (about 0.25 MB each with sequences) until something does not fit.
  const failures: string[] = [];
  for (let i = 0; i < 30 && failures.length < 2; i++) {
    const r = await runLoci(['dataset', 'build', '--project', project, '--name', `d${i}`, '--genome', 'g', '--regions', 'site', '--window', '1000', '--rc'], home);
    if (r.code === 0) {
      assert.doesNotMatch(r.stderr, /could not fold/, 'a command that says nothing wrong exits 0 only if the project closed cleanly');
      continue;
    }
    failures.push(r.stderr);
    // Which file or folder, and what became of the project.
    assert.match(r.stderr, new RegExp(`${mnt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), r.stderr);
    assert.match(r.stderr, /(nothing was changed|not changed|unchanged|safe in full\.loci-wal|stays whole|Keep the two files together)/i, r.stderr);
    assert.doesNotMatch(r.stderr, /internal|SqliteError|at .*\.ts:\d+/, r.stderr);
  }
  assert.ok(failures.length > 0, 'the disk filled up');
  t.diagnostic(`messages on a full disk:\n${failures.join('\n---\n')}`);

  // With room again, the project (with its WAL, if one was left) opens whole.
  spawnSync('mount', ['-o', 'remount,size=64m', mnt]);
  const info = await runLoci(['project', 'info', project], home);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(integrity(project), 'ok');
  const list = await runLoci(['dataset', 'list', '--project', project], home);
  assert.equal(list.code, 0, list.stderr);
});
