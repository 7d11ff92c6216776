// scripts/gue-train-corpus.ts (the in-domain corpus of loci-6mer-mini's last pre-training stage):
// only training sequences are written, once each, and none that shares a 32-mer on either strand
// with a dev or test sequence of any task, the tasks' own or another's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../main/engine/train/prng';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'gue-train-corpus.ts');
const rng = new Prng(7);
const random = (n: number) => Array.from({ length: n }, () => 'ACGT'[rng.int(4)]).join('');
const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A' };
const revcomp = (s: string) => [...s].reverse().map((c) => COMPLEMENT[c]).join('');

function task(dir: string, split: Record<'train' | 'dev' | 'test', string[]>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, seqs] of Object.entries(split)) writeFileSync(join(dir, `${name}.csv`), ['sequence,label', ...seqs.map((s, i) => `${s},${i % 2}`)].join('\n') + '\n');
}

test('gue-train-corpus: training sequences only, once each, none overlapping any dev or test sequence', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-gue-corpus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [clean1, clean2, shared] = [random(100), random(100), random(100)];
  const testOfB = random(70);
  const devOfA = random(80);
  // Holds the reverse complement of task b's test sequence (another task's test set, other strand).
  const holdsTestOfB = random(20) + revcomp(testOfB) + random(10);
  // Shares 40 bases with task a's own dev sequence.
  const overlapsDevOfA = devOfA.slice(40) + random(60);
  task(join(dir, 'gue', 'a'), { train: [clean1, holdsTestOfB, shared, overlapsDevOfA], dev: [devOfA], test: [random(80)] });
  task(join(dir, 'gue', 'nested', 'b'), { train: [clean2, shared, shared.toLowerCase()], dev: [random(70)], test: [testOfB] });
  const out = join(dir, 'corpus.fa');
  const log = execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, join(dir, 'gue'), out], { encoding: 'utf8' });
  const written = readFileSync(out, 'utf8').split('\n').filter((l) => l && !l.startsWith('>'));
  assert.deepEqual(written.sort(), [clean1, shared, clean2].sort());
  assert.match(log, /^a: 2 kept, 2 left out .*, 0 duplicates$/m);
  assert.match(log, /^nested\/b: 1 kept, 0 left out .*, 2 duplicates$/m);
  assert.match(log, /: 3 sequences, 300 bp$/m);

  writeFileSync(join(dir, 'gue', 'a', 'train.csv'), 'sequence,label\nACGTXACGT,1\n');
  assert.throws(() => execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, join(dir, 'gue'), out], { stdio: 'pipe' }), /a\/train\.csv:2: not DNA/);
});
