// loci import genome|regions|table and loci dataset build|list|show|export as a user runs them (child
// processes through tsx), on generated files; then the real E. coli genome and GFF3 when present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { counts, writeGenome, writeSites } from '../unit/api/data-helpers';
import { cliEntry as cli, repoRoot as root, runLoci as loci, tempHome } from '../helpers/cli-process';

const ECOLI = '/work/shared/data/genomes/ecoli-k12-mg1655';

test('import a genome and regions, build, list, show and export a dataset; bad files exit 1 naming the line', async (t) => {
  const home = tempHome(t, 'loci-cli-data-');
  const project = join(home, 'p.loci');
  assert.equal((await loci(['project', 'create', 'P', '--path', project], home)).code, 0);
  const fasta = writeGenome(home);
  const g = await loci(['import', 'genome', fasta, '--project', project, '--name', 'toy'], home);
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /^Imported genome "toy" \(id 1\)/);
  assert.match(g.stdout, /^chr1 +30,000 bp +\d+\.\d% +0\.00% +0\.0% +first$/m, 'with the FASTA header description');
  // Lengths the one way people see them everywhere (shared/bp.ts).
  assert.match(g.stdout, /^Length: +42,000 bp in 2 sequences$/m);

  const bad = join(home, 'bad.bed');
  writeFileSync(bad, 'chr1\t10\t20\nchr9\t1\t5\n');
  const refused = await loci(['import', 'regions', bad, '--project', project, '--genome', 'toy', '--name', 'bad'], home);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`${bad}:2: chromosome 'chr9' is not in the genome`));
  assert.equal(counts(project).region_sets, 0);

  const sites = await loci(['import', 'regions', writeSites(home), '--project', project, '--genome', 'toy', '--name', 'site'], home);
  assert.equal(sites.code, 0, sites.stderr);
  assert.equal(sites.stdout, 'Imported 58 regions as region set "site" (id 1) on genome "toy"\n');

  const built = await loci(['dataset', 'build', '--project', project, '--name', 'sites', '--genome', 'toy', '--regions', 'site', '--window', '80', '--negatives', 'shuffled', '--split', 'chroms:test=chr2', '--rc', '--seed', '3'], home);
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stdout, /^Built dataset "sites" \(id 1\)/);
  assert.match(built.stdout, /^test +32 +80 /m); // chr2's 16 sites and their 16 shuffled copies
  assert.match(built.stdout, /^warning: The dev split is empty$/m);

  const list = await loci(['dataset', 'list', '--project', project, '--json'], home);
  const [d] = JSON.parse(list.stdout) as Array<{ name: string; splits: Record<string, { sequences: number; augmented: number }> }>;
  assert.equal(d?.name, 'sites');
  assert.equal(d.splits.test!.sequences, 32);
  assert.equal(d.splits.train!.augmented * 2, d.splits.train!.sequences);

  const out = join(home, 'out');
  const exp = await loci(['dataset', 'export', 'sites', '--project', project, '--format', 'csv', '--out', out], home);
  assert.equal(exp.code, 0, exp.stderr);
  assert.equal(readFileSync(join(out, 'test.csv'), 'utf8').trim().split('\n').length, 33);
  const twice = await loci(['dataset', 'export', 'sites', '--project', project, '--out', out], home);
  assert.equal(twice.code, 1, 'a second export into the same folder is refused');
  assert.match(twice.stderr, /already holds train\.csv.*--force/);
  assert.equal((await loci(['dataset', 'export', 'sites', '--project', project, '--out', out, '--force'], home)).code, 0);

  const usage = await loci(['dataset', 'build', '--project', project, '--name', 'x', '--genome', 'toy', '--regions', 'site', '--split', 'halves'], home);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--split must be blocks:TRAIN,DEV,TEST/);
});

test('Ctrl-C during an import cancels its job: the command says nothing was changed, and the project is unchanged', async (t) => {
  const home = tempHome(t, 'loci-cli-data-');
  const project = join(home, 'p.loci');
  assert.equal((await loci(['project', 'create', 'P', '--path', project], home)).code, 0);
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'import', 'genome', writeGenome(home), '--project', project], { cwd: root, env: { ...process.env, LOCI_HOME: home, LOCI_DEBUG: '' } });
  let stderr = '';
  let interrupted = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    // The first progress line means the job is running in its worker: interrupt as a user would.
    if (!interrupted && /loci: importing the genome/.test(stderr)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(interrupted, true, stderr);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /loci: cancelling \(Ctrl-C again to quit at once\); nothing will be changed/);
  assert.match(stderr, /^loci: Cancelled — nothing was changed$/m);
  assert.deepEqual(counts(project), { genomes: 0, region_sets: 0, regions: 0, datasets: 0, dataset_items: 0 });
  const jobs = await loci(['jobs', 'list', '--project', project, '--json'], home);
  assert.deepEqual((JSON.parse(jobs.stdout) as Array<{ kind: string; state: string }>).map((j) => [j.kind, j.state]), [['genome-index', 'cancelled']]);
});

test('real data: E. coli genome and RefSeq GFF3, CDS start sites vs GC-matched background with a block split', { skip: existsSync(ECOLI) ? false : `${ECOLI} is absent` }, async (t) => {
  const home = tempHome(t, 'loci-cli-data-');
  const project = join(home, 'ecoli.loci');
  assert.equal((await loci(['project', 'create', 'E. coli', '--path', project], home)).code, 0);
  const g = await loci(['import', 'genome', join(ECOLI, 'GCF_000005845.2_ASM584v2_genomic.fna.gz'), '--project', project, '--name', 'MG1655'], home);
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /^NC_000913\.3 +4,641,652 bp .* Escherichia coli str\. K-12 substr\. MG1655, complete genome$/m);
  const gff = join(ECOLI, 'GCF_000005845.2_ASM584v2_genomic.gff.gz');
  const preview = await loci(['import', 'regions', gff, '--project', project, '--genome', 'MG1655', '--preview', '--json'], home);
  const types = (JSON.parse(preview.stdout) as { gffTypes: Array<{ type: string; count: number }> }).gffTypes;
  const cds = types.find((x) => x.type === 'CDS')!.count;
  assert.ok(cds > 4000, `CDS features: ${cds}`);
  const r = await loci(['import', 'regions', gff, '--project', project, '--genome', 'MG1655', '--name', 'CDS start', '--types', 'CDS', '--start-sites'], home);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `Imported ${cds.toLocaleString('en-US')} start sites of CDS features as region set "CDS start" (id 1) on genome "MG1655"\n`);
  const ds = await loci(['dataset', 'build', '--project', project, '--name', 'CDS start vs background', '--genome', 'MG1655', '--regions', 'CDS start', '--window', '200', '--negatives', 'gc-matched', '--margin', '200', '--split', 'blocks:0.8,0.1,0.1', '--seed', '42'], home);
  assert.equal(ds.code, 0, ds.stderr);
  t.diagnostic(ds.stdout);
  assert.match(ds.stdout, /^Classes: +background, CDS start$/m);
  for (const split of ['train', 'dev', 'test']) assert.match(ds.stdout, new RegExp(`^${split} +[1-9]\\d* +200 `, 'm'));
});
