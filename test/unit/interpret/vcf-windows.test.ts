// Allele windows (centred, sliding inward at chromosome ends, exact length) and the VCF reader's
// checks: line-numbered errors for malformed lines, unknown chromosomes and REF mismatches;
// multi-allelic records split; symbolic, breakend, '*' and too-long alleles skipped with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { alleleWindow, windowSequence } from '../../../main/interpret/windows';
import { parseTypedVariants, readVcf } from '../../../main/interpret/vcf';
import { variantWindows } from '../../../main/interpret/variants';

const CHR1 = 'ACGTTGCAAC'.repeat(10); // 100 bp
const genome: Record<string, string> = { chr1: CHR1, chr2: 'GGGGCCCCAA' };
const opts = { chromSizes: { chr1: 100, chr2: 10 }, getSequence: async (c: string, s: number, e: number) => genome[c]!.slice(s, e), window: 20 };

test('alleleWindow centres the allele, keeps the window length and slides inward at the ends', () => {
  assert.deepEqual(alleleWindow(50, 1, 1, 20, 100), { start: 41, end: 61, left: 9, right: 10 }); // floor(19 / 2) bp before
  assert.deepEqual(alleleWindow(50, 1, 1, 21, 100), { start: 40, end: 61, left: 10, right: 10 });
  assert.deepEqual(alleleWindow(3, 1, 1, 20, 100), { start: 0, end: 20, left: 3, right: 16 });
  assert.deepEqual(alleleWindow(98, 1, 1, 20, 100), { start: 80, end: 100, left: 18, right: 1 });
  assert.deepEqual(alleleWindow(5, 1, 1, 20, 10), { start: 0, end: 10, left: 5, right: 4 }); // shorter chromosome: all of it
  // A 5 bp deletion's alternative window: 1 bp allele, 19 bp of flanks around the deleted bases.
  const w = alleleWindow(50, 6, 1, 20, 100);
  assert.deepEqual(w, { start: 41, end: 66, left: 9, right: 10 });
  assert.equal(windowSequence(CHR1, 0, 50, 6, 'A', w).length, 20);
  // Every window of a chromosome at least as long as the window has exactly the window's length.
  for (let pos = 0; pos < 100; pos++) for (const [r, a] of [[1, 1], [1, 7], [7, 1]] as const) if (pos + r <= 100) assert.equal(windowSequence(CHR1, 0, pos, r, 'A'.repeat(a), alleleWindow(pos, r, a, 20, 100)).length, 20, `pos ${pos} ref ${r} alt ${a}`);
});

test('variantWindows puts the alternative allele in the middle of its own window', async () => {
  const w = await variantWindows({ chrom: 'chr1', pos: 51, ref: 'A', alt: 'TTT' }, 20, 100, opts.getSequence);
  assert.equal(w.ref, CHR1.slice(41, 61));
  assert.equal(w.alt, CHR1.slice(42, 50) + 'TTT' + CHR1.slice(51, 60));
  assert.equal(w.alt.length, 20);
});

function vcf(lines: string[], gz = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'loci-vcf-'));
  const path = join(dir, gz ? 'v.vcf.gz' : 'v.vcf');
  const text = ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', ...lines].join('\n') + '\n';
  writeFileSync(path, gz ? gzipSync(text) : text);
  return path;
}

test('readVcf splits multi-allelic records and skips alleles it cannot score, with the reason', async (t) => {
  const path = vcf([
    'chr1\t3\trs1\tG\tA,T\t50\tPASS\tDP=3', // CHR1[2] = G
    'chr1\t10\t.\tC\t<DEL>\t.\t.\t.',
    'chr1\t11\t.\tA\tA[chr2:3[\t.\t.\t.',
    'chr1\t12\t.\tC\t*,CT\t.\t.\t.',
    `chr1\t20\t.\tCA\t${'C'.repeat(25)}\t.\t.\t.`,
    'chr2\t1\t.\tgggg\tg', // lowercase, 5 columns
  ], true);
  t.after(() => rmSync(join(path, '..'), { recursive: true, force: true }));
  const r = await readVcf(path, opts);
  assert.equal(r.errorCount, 0, r.errors.map((e) => e.message).join('\n'));
  assert.deepEqual(r.variants.map((v) => [v.line, v.chrom, v.pos, v.ref, v.alt, v.altIndex, v.altCount]), [
    [3, 'chr1', 3, 'G', 'A', 1, 2],
    [3, 'chr1', 3, 'G', 'T', 2, 2],
    [6, 'chr1', 12, 'C', 'CT', 2, 2],
    [8, 'chr2', 1, 'GGGG', 'G', 1, 1],
  ]);
  assert.equal(r.variants[0]!.info, 'DP=3');
  assert.deepEqual(r.skipped.map((s) => [s.line, s.alt]), [[4, '<DEL>'], [5, 'A[chr2:3['], [6, '*'], [7, 'C'.repeat(25)]]);
  assert.match(r.skipped[0]!.reason, /symbolic allele <DEL>/);
  assert.match(r.skipped[3]!.reason, /longer than the model's 20 bp window/);
  assert.equal(r.header.length, 2);
});

test('readVcf names the line of a REF mismatch, an unknown chromosome and a malformed line', async (t) => {
  const path = vcf(['chr1\t3\t.\tG\tA', 'chr1\t4\t.\tG\tA', 'chrX\t5\t.\tA\tC', 'chr1 5 . A C', 'chr1\tfive\t.\tA\tC', 'chr1\t99\t.\tCAG\tC', 'chr1\t5\t.\tT\tZ']);
  t.after(() => rmSync(join(path, '..'), { recursive: true, force: true }));
  const r = await readVcf(path, opts);
  assert.equal(r.errorCount, 6);
  const byLine = new Map(r.errors.map((e) => [e.line, e]));
  assert.equal(byLine.get(4)!.code, 'ref-mismatch');
  assert.match(byLine.get(4)!.message, /v\.vcf:4: REF is G but the genome has T at chr1:4/);
  assert.equal(byLine.get(5)!.code, 'unknown-chromosome');
  assert.match(byLine.get(6)!.message, /expected at least 5 columns .*separated by tabs/);
  assert.equal(byLine.get(7)!.code, 'bad-coordinate');
  assert.equal(byLine.get(8)!.code, 'beyond-chromosome');
  assert.equal(byLine.get(9)!.code, 'bad-field');
});

test('typed variants: chr:pos REF>ALT, checked like VCF lines', async () => {
  const ok = await parseTypedVariants(['chr1:3 G>A', 'chr1:1,0 C > T'], opts);
  assert.equal(ok.errorCount, 0, ok.errors.map((e) => e.message).join('\n'));
  assert.deepEqual(ok.variants.map((v) => [v.chrom, v.pos, v.ref, v.alt]), [['chr1', 3, 'G', 'A'], ['chr1', 10, 'C', 'T']]);
  const bad = await parseTypedVariants(['chr1:3 A>G', 'nonsense'], opts);
  assert.deepEqual(bad.errors.map((e) => [e.line, e.code]), [[1, 'ref-mismatch'], [2, 'bad-field']]);
});
