// loci scan and loci scans, in-process through runCli (the path bin/loci.js takes), on a model
// fine-tuned by loci finetune (so the window and the threshold come from its run). The bigWig that
// `loci scan --out` writes is read back by python3-pybigwig (skipped where absent) with the values
// the API reads from the stored track. Ctrl-C pauses a scan run as a child process; `loci scans
// resume` finishes it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../main/cli/run';
import { finetuneHarness } from './finetune-job-fixture';
import { cliEntry, repoRoot, runLoci, tempHome } from '../helpers/cli-process';
import { genomeFasta, writeKmerClassifier } from './scan-fixture';

// wasm by default; `node scripts/test.mjs tfjs-node` runs this file again on tfjs-node.
const BACKEND = process.env.LOCI_TEST_BACKEND ?? 'wasm';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { io: { out: (s) => void (stdout += s + '\n'), err: (s) => void (stderr += s + '\n') }, env: {} });
  return { code, stdout, stderr };
}

test('loci scan with a fine-tuned model: run window and dev-MCC threshold, --out bigWig read by pyBigWig; loci scans list/show/export/remove', { timeout: 400_000 }, async (t) => {
  const h = await finetuneHarness(t);
  const data = ['--data-dir', join(h.dir, 'cli-data')];
  const p = ['--project', h.project];
  const ft = await cli(['finetune', ...p, '--dataset', 'motif', '--model', 'tiny-bpe', '--max-steps', '12', '--batch', '16', '--eval-every', '4', '--lr', '2e-3', '--backend', BACKEND, '--quiet', ...data]);
  assert.equal(ft.code, 0, ft.stderr + ft.stdout);
  const fasta = join(h.dir, 'genome.fa');
  writeFileSync(fasta, genomeFasta({ chrA: 30_000, chrB: 12_000 }));
  await h.call('genomes.import', { project: h.project, path: fasta, name: 'toy' });

  const bw = join(h.dir, 'scan.bw');
  const sc = await cli(['scan', ...p, '--model', 'tiny-bpe on motif', '--backend', BACKEND, '--workers', '2', '--out', bw, '--quiet', ...data]);
  assert.equal(sc.code, 0, sc.stderr + sc.stdout);
  // Scans share the project's run numbering (the fine-tuning run is 1).
  const id = /^Scan (\d+) \(job job-\S+\) started; Ctrl-C pauses it, twice cancels$/m.exec(sc.stdout)?.[1];
  assert.ok(id, sc.stdout);
  assert.match(sc.stdout, new RegExp(`^Scan: +${id} ".*": done$`, 'm'));
  assert.match(sc.stdout, /^Model: +tiny-bpe on motif \(id \d+\), run 1$/m);
  // The run's examples are 40 bp: the window, and half of it the stride.
  assert.match(sc.stdout, /^Windows: +40 bp every 20 bp, strand both \(combined by mean\), batch 64, 2 worker\(s\)$/m);
  assert.match(sc.stdout, /^Progress: +42,000 of 42,000 bp$/m);
  assert.match(sc.stdout, /^Thresholds: +motif >= \d\.\d{4} \((dev-mcc, dev MCC -?\d\.\d{3}|default-0\.5)\)$/m);
  assert.match(sc.stdout, /^Wrote .*scan\.bw \(/m);

  // pyBigWig reads the file loci scan wrote with the values the API reads from the project.
  const bg = join(h.dir, 'scan.bedgraph');
  const ex = await cli(['scans', 'export', id, ...p, '--out', bg, ...data]);
  assert.equal(ex.code, 0, ex.stderr);
  const expected = readFileSync(bg, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).map(([c, s, e, v]) => [c, Number(s), Number(e), Number(v)]);
  assert.ok(expected.length > 100);
  const py = spawnSync('/usr/bin/python3', ['-c', 'import json,sys,pyBigWig\nbw=pyBigWig.open(sys.argv[1])\nprint(json.dumps([[c,s,e,v] for c in ["chrA","chrB"] for (s,e,v) in (bw.intervals(c) or [])]))', bw], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0 && /No module named 'pyBigWig'/.test(py.stderr)) {
    t.diagnostic('skipped the pyBigWig read-back: python3-pybigwig is not installed (apt-get install python3-pybigwig)');
  } else {
    assert.equal(py.status, 0, py.stderr);
    const got = JSON.parse(py.stdout) as [string, number, number, number][];
    assert.equal(got.length, expected.length);
    got.forEach((g, i) => assert.deepEqual([g[0], g[1], g[2], Math.fround(g[3])], [expected[i]![0], expected[i]![1], expected[i]![2], Math.fround(expected[i]![3] as number)]));
  }

  const list = await cli(['scans', 'list', ...p, ...data]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID +STATE +MODEL +GENOME +WINDOW +STRAND +DONE +RUNTIME +BACKEND +NAME$/m);
  assert.match(list.stdout, new RegExp(String.raw`^${id} +done +tiny-bpe on motif +toy +40/20 +both \(mean\) +100% +\d+ s +${BACKEND} +tiny-bpe on motif on toy$`, 'm'));
  const show = await cli(['scans', 'show', id, ...p, ...data]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^motif: \d+ region\(s\) at >= \d\.\d{4}/m);
  const bed = join(h.dir, 'regions.bed');
  const exBed = await cli(['scans', 'export', id, ...p, '--out', bed, '--threshold', '0', ...data]);
  assert.equal(exBed.code, 0, exBed.stderr);
  assert.deepEqual(readFileSync(bed, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t').slice(0, 3).join(':')), ['chrA:0:30000', 'chrB:0:12000']);
  const region = await cli(['scan', ...p, '--model', 'tiny-bpe on motif', '--region', 'chrA:1-999999', ...data]);
  assert.equal(region.code, 1);
  assert.match(region.stderr, /runs past the end of chrA \(30,000 bp\)/);
  const rm = await cli(['scans', 'remove', id, ...p, ...data]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.match((await cli(['scans', 'list', ...p, ...data])).stdout, /No scans in/);
});

test('Ctrl-C pauses loci scan (exit 130, says how to continue); loci scans resume finishes it from its last chunk', { timeout: 300_000 }, async (t) => {
  const home = tempHome(t, 'loci-cli-scan-');
  const project = join(home, 'p.loci');
  assert.equal((await runLoci(['project', 'create', 'P', '--path', project], home)).code, 0);
  const fasta = join(home, 'genome.fa');
  writeFileSync(fasta, genomeFasta({ chr1: 300_000 }));
  assert.equal((await runLoci(['import', 'genome', fasta, '--project', project, '--name', 'toy'], home)).code, 0);
  const clf = await writeKmerClassifier(join(home, 'clf'));
  assert.equal((await runLoci(['models', 'import', clf, '--project', project, '--name', 'clf'], home)).code, 0);

  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, 'scan', '--project', project, '--model', 'clf', '--window', '60', '--backend', BACKEND, '--quiet'], { cwd: repoRoot, env: { ...process.env, LOCI_HOME: home, LOCI_DEBUG: '' } });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  const onData = () => {
    // Past the first 100 kb chunk: interrupt as a user would.
    if (!interrupted && /step [1-9]\d{5}\/300000/.test(stdout + stderr)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  };
  child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), onData()));
  child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), onData()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(interrupted, true, stdout + stderr);
  assert.equal(code, 130, stdout + stderr);
  const id = /^Scan (\d+) \(job/m.exec(stdout)?.[1];
  assert.ok(id, stdout);
  assert.match(stdout, /^Scan: +\d+ ".*": paused$/m);
  assert.match(stdout, new RegExp(`^Continue it with: loci scans resume ${id} --project `, 'm'));

  const resumed = await runLoci(['scans', 'resume', id, '--project', project], home);
  assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
  assert.match(resumed.stdout + resumed.stderr, /resuming after chunk [12] of 3/);
  assert.match(resumed.stdout, /^Scan: +\d+ ".*": done$/m);
  assert.match(resumed.stdout, /^Progress: +300,000 of 300,000 bp$/m);
});
