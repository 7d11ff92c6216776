// The CLI side of issue 10's small items, in-process through runCli: the project's only genome is
// used without --genome, dataset build's margin matches the wizard's, problems of a preview are
// grouped, and loci are 1-based.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../main/cli/run';
import { DEFAULT_NEGATIVE_MARGIN } from '../../shared/contract/data';
import { writeGenome, writeSites } from '../unit/api/data-helpers';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { io: { out: (s) => void (stdout += s + '\n'), err: (s) => void (stderr += s + '\n') }, env: {} });
  return { code, stdout, stderr };
}

test('one genome needs no --genome; margins agree with the wizard; grouped problems and 1-based loci', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-cli-first-hour-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = ['--data-dir', join(dir, 'data')];
  const project = join(dir, 'p.loci');
  assert.equal((await cli(['project', 'create', 'P', '--path', project, ...data])).code, 0);
  assert.equal((await cli(['import', 'genome', writeGenome(dir), '--project', project, '--name', 'toy', ...data])).code, 0);

  // 12 lines on a chromosome the genome lacks: one grouped line with the count.
  const bed = join(dir, 'odd.bed');
  writeFileSync(bed, ['chr1\t10\t20\tok\t0\t+', ...Array.from({ length: 12 }, (_, i) => `chrUn\t${i}\t${i + 5}`)].join('\n') + '\n');
  const preview = await cli(['import', 'regions', bed, '--project', project, '--preview', ...data]);
  assert.equal(preview.code, 1);
  assert.match(preview.stdout, /^12 lines with problems in .*odd\.bed:$/m);
  assert.match(preview.stdout, /^ {2}12 lines: chromosome 'chrUn' is not in the genome \(lines 2, 3, 4, 5, 6, …\)$/m);
  assert.equal(preview.stdout.match(/chrUn' is not in the genome/g)?.length, 1, 'one line for the twelve');
  assert.match(preview.stdout, /^1 +chr1:11-20 \(\+\) +ok$/m, 'BED 10-20 is shown as 11-20');

  const sites = await cli(['import', 'regions', writeSites(dir), '--project', project, '--name', 'site', ...data]);
  assert.equal(sites.code, 0, sites.stderr);
  assert.match(sites.stdout, /on genome "toy"/);

  const built = await cli(['dataset', 'build', '--project', project, '--name', 'ds', '--regions', 'site', '--window', '80', '--seed', '3', '--json', ...data]);
  assert.equal(built.code, 0, built.stderr);
  const summary = JSON.parse(built.stdout) as { negatives?: { margin: number } };
  assert.equal(summary.negatives?.margin, DEFAULT_NEGATIVE_MARGIN, 'the wizard and the CLI use the same margin');
  assert.equal(DEFAULT_NEGATIVE_MARGIN, 100);

  const shown = await cli(['dataset', 'show', 'ds', '--project', project, '--examples', '1', ...data]);
  assert.match(shown.stdout, /chr[12]:[\d,]+-[\d,]+ \([+-]\)/, 'loci as chr:start-end (strand), 1-based');

});
