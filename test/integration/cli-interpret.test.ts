// loci ism and loci variants, in-process through runCli, on the scan tests' generated genome and tiny
// 3-mer classifier: the ISM table (.csv) and importance (.bedgraph) files, variant effects as TSV
// and VCF with INFO fields, skipped alleles named; bad VCFs (REF mismatch, unknown chromosome,
// malformed line) give their line-numbered errors and store nothing.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../main/cli/run';
import { scanHarness } from './scan-fixture';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { io: { out: (s) => void (stdout += s + '\n'), err: (s) => void (stderr += s + '\n') }, env: {} });
  return { code, stdout, stderr };
}

test('loci ism and loci variants: exports, skipped alleles, and bad VCFs refused with line numbers', { timeout: 300_000 }, async (t) => {
  const h = await scanHarness(t, { chr1: 3000, chr2: 500 });
  const data = ['--data-dir', join(h.dir, 'cli-data')];
  const p = ['--project', h.project, '--model', String(h.modelId), '--window', '40', '--backend', 'wasm', '--quiet', ...data];
  const seq = seqOf(h.fasta, 'chr1');

  // ISM of chr1:2,491-2,520 (1-based): 30 bases x 4 windows x 2 strands.
  const csv = join(h.dir, 'ism.csv');
  const r = await cli(['ism', ...p, '--region', 'chr1:2,491-2,520', '--out', csv]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^Progress: +30 of 30 bases$/m);
  assert.match(r.stdout, /240 forward passes/);
  const rows = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(rows[0], 'chrom,position,ref,ref_prob_forward,ref_prob_reverse,A,C,G,T,A_forward,C_forward,G_forward,T_forward,A_reverse,C_reverse,G_reverse,T_reverse,importance,max_abs_change');
  assert.equal(rows.length, 31);
  rows.slice(1).forEach((line, i) => {
    const f = line.split(',');
    assert.equal(f[1], String(2491 + i));
    assert.equal(f[2], seq[2490 + i]);
    const b = 'ACGT'.indexOf(f[2]!);
    assert.equal(Number(f[5 + b]), 0, 'the reference cell is 0');
  });
  const id = Number(/^ISM (\d+) /m.exec(r.stdout)![1]);
  const bg = join(h.dir, 'ism.bedgraph');
  assert.equal((await h.call('interpret.export', { project: h.project, id, format: 'bedgraph', out: bg })).path, bg);
  const bgLines = readFileSync(bg, 'utf8').trim().split('\n');
  assert.match(bgLines[0]!, /^track type=bedGraph/);
  assert.deepEqual(bgLines[1]!.split('\t').slice(0, 3), ['chr1', '2490', '2491']);
  const table = await h.call('interpret.ismTable', { project: h.project, id });
  assert.equal(table.deltaCombined.length, 120);

  // A good VCF: an SNV, a multi-allelic record, an indel, a symbolic allele (skipped).
  const at = (pos: number, n = 1) => seq.slice(pos - 1, pos - 1 + n).toUpperCase();
  const other = (b: string) => (b === 'A' ? 'C' : 'A');
  const vcf = join(h.dir, 'good.vcf');
  const chr2 = seqOf(h.fasta, 'chr2');
  writeFileSync(vcf, ['##fileformat=VCFv4.2', '##source=test', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', `chr1\t2500\trs1\t${at(2500)}\t${other(at(2500))}\t50\tPASS\tDP=9`, `chr1\t2600\t.\t${at(2600)}\tG,T\t.\t.\t.`, `chr2\t100\t.\t${chr2.slice(99, 102)}\t${chr2[99]}\t.\t.\t.`, `chr1\t10\t.\t${at(10)}\t<DEL>\t.\t.\t.`].join('\n') + '\n');
  const tsv = join(h.dir, 'effects.tsv');
  const v = await cli(['variants', ...p, '--vcf', vcf, '--out', tsv]);
  assert.equal(v.code, 0, v.stderr + v.stdout);
  assert.match(v.stdout, /skipped line 7 chr1:10 \w><DEL>: symbolic allele <DEL>/);
  const expectedAlleles = 1 + 2 - (at(2600) === 'G' || at(2600) === 'T' ? 1 : 0) + 1;
  assert.match(v.stdout, new RegExp(`^Progress: +${expectedAlleles} of ${expectedAlleles} variant alleles; 1 allele\\(s\\) skipped$`, 'm'));
  const tsvLines = readFileSync(tsv, 'utf8').trim().split('\n');
  assert.equal(tsvLines.length, expectedAlleles + 1);
  assert.equal(tsvLines[0]!.split('\t').slice(0, 9).join(' '), 'chrom pos id ref alt ref_prob alt_prob diff log2fc');
  const first = tsvLines[1]!.split('\t');
  assert.ok(Math.abs(Number(first[6]) - Number(first[5]) - Number(first[7])) < 1e-6, 'diff = alt - ref');
  assert.ok(Math.abs(Math.log2((Number(first[6]) + 1e-6) / (Number(first[5]) + 1e-6)) - Number(first[8])) < 1e-5, 'log2fc with epsilon 1e-6');
  const vid = Number(/^Variants (\d+) /m.exec(v.stdout)![1]);
  const outVcf = join(h.dir, 'effects.vcf');
  await h.call('interpret.export', { project: h.project, id: vid, format: 'vcf', out: outVcf });
  const vcfLines = readFileSync(outVcf, 'utf8').trim().split('\n');
  assert.ok(vcfLines.includes('##source=test'));
  assert.ok(vcfLines.some((l) => l.startsWith('##INFO=<ID=LOCI_DIFF,')));
  const rec = vcfLines.find((l) => l.startsWith('chr1\t2500\t'))!;
  assert.match(rec, /\tDP=9;LOCI_REF_P=[\d.e-]+;LOCI_ALT_P=[\d.e-]+;LOCI_DIFF=[-\d.e]+;LOCI_LOG2FC=/);
  const sorted = await h.call('interpret.variantEffects', { project: h.project, id: vid, sort: 'diff' });
  assert.deepEqual(sorted.rows.map((x) => x.diff), [...sorted.rows.map((x) => x.diff)].sort((a, b) => a - b));

  // Bad VCFs: each problem named with its line; nothing stored.
  const before = (await h.call('interpret.list', { project: h.project })).length;
  const bad = join(h.dir, 'bad.vcf');
  writeFileSync(bad, ['#CHROM\tPOS\tID\tREF\tALT', `chr1\t2500\t.\t${other(at(2500))}\tG`, 'chrZ\t5\t.\tA\tC', 'chr1 5 . A C', `chr1\t2600\t.\t${at(2600)}\tT`].join('\n') + '\n');
  const b = await cli(['variants', ...p, '--vcf', bad]);
  assert.notEqual(b.code, 0);
  assert.match(b.stderr, /3 line\(s\) of .*bad\.vcf cannot be scored on genome "toy"; nothing was stored/);
  assert.match(b.stderr, /bad\.vcf:2: REF is \w but the genome has \w at chr1:2500/);
  assert.match(b.stderr, /bad\.vcf:3: chromosome 'chrZ' is not in the genome/);
  assert.match(b.stderr, /bad\.vcf:4: expected at least 5 columns/);
  assert.equal((await h.call('interpret.list', { project: h.project })).length, before);
});

function seqOf(fasta: string, name: string): string {
  const part = readFileSync(fasta, 'utf8').split('>').find((x) => x.startsWith(`${name}\n`))!;
  return part.split('\n').slice(1).join('').toUpperCase();
}
