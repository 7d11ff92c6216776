import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, renameSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FastaReader, indexFasta, inspectFasta, verifyGenome } from '../../../main/genome/fasta/index';
import { InputError } from '../../../main/genome/errors';
import { gzip, hasTool, randomBases, tempDir, wrap } from './helpers';

const tmp = tempDir();
after(() => tmp.cleanup());

// Three sequences with different line widths, lower-case (soft-masked) runs and a short last line.
const chr1 = randomBases(1000, 1);
const chr2 = randomBases(733, 2).toLowerCase().slice(0, 300) + randomBases(433, 3);
const chrM = randomBases(61, 4);
const mixed = `>chr1 first one\n${wrap(chr1, 60)}>chr2\n${wrap(chr2, 80)}>chrM mito\n${wrap(chrM, 70)}`;
const crlf = `>a desc\r\n${wrap(chr1, 50, '\r\n')}>b\r\n${wrap(chr2, 77, '\r\n')}`;

/** Asserts `fn` rejects with an InputError whose message names the file and the line. */
async function rejectsAt(fn: () => Promise<unknown>, file: string, line: number | undefined | 'any', pattern: RegExp): Promise<InputError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  assert.equal(caught.file, file);
  if (line === 'any') assert.ok(Number.isInteger(caught.line) && caught.line! > 1, `line ${caught.line}`);
  else assert.equal(caught.line, line);
  assert.ok(caught.message.startsWith(line === undefined ? `${file}: ` : `${file}:${caught.line}`), caught.message);
  assert.match(caught.message, pattern);
  return caught;
}

describe('index: identical to samtools faidx', { skip: hasTool('samtools') ? false : 'samtools is not installed' }, () => {
  for (const [name, text] of [['mixed.fa', mixed], ['crlf.fa', crlf], ['nofinalnewline.fa', mixed.slice(0, -1)]] as const) {
    test(name, async () => {
      const fa = tmp.file(name, text);
      const rec = await indexFasta(fa, { indexDir: join(tmp.dir, 'idx') });
      const r = spawnSync('samtools', ['faidx', '--fai-idx', join(tmp.dir, `${name}.sam.fai`), fa]);
      assert.equal(r.status, 0, String(r.stderr));
      assert.equal(readFileSync(rec.faiPath, 'utf8'), readFileSync(join(tmp.dir, `${name}.sam.fai`), 'utf8'));
    });
  }
});

test('fai values, stats and region reads on a plain file', async () => {
  const fa = tmp.file('plain.fa', mixed);
  const rec = await indexFasta(fa);
  assert.equal(rec.faiPath, `${fa}.fai`);
  assert.equal(readFileSync(rec.faiPath, 'utf8').split('\n')[0], `chr1\t1000\t16\t60\t61`);
  assert.deepEqual(rec.sequences.map((s) => [s.name, s.length]), [['chr1', 1000], ['chr2', 733], ['chrM', 61]]);
  assert.equal(rec.totalLength, 1794);
  const s2 = rec.sequences[1]!;
  assert.equal(s2.softMaskedFraction, 300 / 733);
  const nCount = [...chr2].filter((c) => c === 'N' || c === 'n').length;
  assert.equal(s2.nCount, nCount);
  const gc = [...chr2.toUpperCase()].filter((c) => c === 'G' || c === 'C').length;
  assert.equal(s2.gcFraction, gc / (733 - nCount));
  assert.equal(rec.sequences[0]!.description, 'first one');
  assert.equal(rec.sha256, spawnSync('sha256sum', [fa], { encoding: 'utf8' }).stdout.split(' ')[0]);

  const reader = await FastaReader.open(fa);
  assert.equal(await reader.getSequence('chr1', 0, 1000), chr1);
  assert.equal(await reader.getSequence('chr2', 55, 305), chr2.slice(55, 305)); // crosses lines, keeps case
  assert.equal(await reader.getSequence('chrM', 60, 61), chrM.slice(60));
  await assert.rejects(reader.getSequence('chr1', 10, 1001), RangeError);
  await assert.rejects(reader.getSequence('chr9', 0, 1), /no sequence named 'chr9'/);
});

test('CRLF: region reads return bases without carriage returns', async () => {
  const fa = tmp.file('crlf-read.fa', crlf);
  const reader = await FastaReader.open(fa);
  assert.equal(await reader.getSequence('a', 45, 160), chr1.slice(45, 160));
  assert.equal(await reader.getSequence('b', 0, 733), chr2);
});

test('bgzip round trip: .fai and .gzi equal to htslib, regions equal to the source', { skip: hasTool('bgzip') ? false : 'bgzip (tabix) is not installed' }, async () => {
  // 300 kb so the file spans several BGZF blocks.
  const big = randomBases(300_000, 9);
  const text = `>big\n${wrap(big, 60)}>small\n${wrap(chrM, 60)}`;
  const fa = tmp.file('bg.fa', text);
  const r = spawnSync('bgzip', ['-f', '-i', fa]);
  assert.equal(r.status, 0, String(r.stderr));
  const gz = `${fa}.gz`;
  const htslibGzi = readFileSync(`${gz}.gzi`);
  const rec = await indexFasta(gz, { indexDir: join(tmp.dir, 'bgidx') });
  assert.equal(rec.compression, 'bgzip');
  assert.ok(rec.gziPath);
  assert.deepEqual(readFileSync(rec.gziPath), htslibGzi);
  if (hasTool('samtools')) {
    spawnSync('samtools', ['faidx', '--fai-idx', join(tmp.dir, 'bg.sam.fai'), gz]);
    assert.equal(readFileSync(rec.faiPath, 'utf8'), readFileSync(join(tmp.dir, 'bg.sam.fai'), 'utf8'));
  }
  const reader = await FastaReader.open(gz, { faiPath: rec.faiPath, gziPath: rec.gziPath });
  assert.equal(await reader.getSequence('big', 123_456, 200_789), big.slice(123_456, 200_789));
  assert.equal(await reader.getSequence('small', 0, 61), chrM);
});

test('plain gzip: refused without a cache folder, decompressed once into it otherwise', async () => {
  const gz = tmp.file('plain.fa.gz', gzip(mixed));
  await rejectsAt(() => indexFasta(gz), gz, undefined, /plain gzip.*cannot be read by region.*bgzip/);
  const rec = await indexFasta(gz, { cacheDir: join(tmp.dir, 'cache') });
  assert.equal(rec.compression, 'gzip');
  assert.equal(rec.fastaPath, join(tmp.dir, 'cache', 'plain.fa'));
  assert.equal(readFileSync(rec.fastaPath, 'utf8'), mixed);
  assert.equal(rec.sha256, spawnSync('sha256sum', [gz], { encoding: 'utf8' }).stdout.split(' ')[0]);
  const reader = await FastaReader.openRecord(rec);
  assert.equal(await reader.getSequence('chr2', 700, 733), chr2.slice(700));
});

test('inspectFasta streams gzip and reports per-sequence stats', async () => {
  const gz = tmp.file('inspect.fa.gz', gzip(mixed));
  const seen: number[] = [];
  const info = await inspectFasta(gz, { onProgress: (done, total) => seen.push(done / total) });
  assert.equal(info.compression, 'gzip');
  assert.deepEqual(info.sequences.map((s) => s.length), [1000, 733, 61]);
  assert.equal(info.sequences[0]!.softMaskedFraction, 0);
  assert.equal(seen.at(-1), 1);
});

test('verifyGenome: ok, changed, moved, and found again by content', async () => {
  const fa = tmp.file('verify.fa', mixed);
  const rec = await indexFasta(fa);
  assert.equal((await verifyGenome(rec)).status, 'ok');
  utimesSync(fa, new Date(), new Date(Date.now() + 5000)); // touched, same content
  const touched = await verifyGenome(rec);
  assert.equal(touched.status, 'ok');
  assert.ok(touched.mtimeMs);
  writeFileSync(fa, mixed.replace('>chr2', '>chrX')); // same size, other content
  assert.equal((await verifyGenome(rec)).status, 'changed');
  writeFileSync(fa, mixed + wrap('ACGT', 60)); // other size
  assert.equal((await verifyGenome(rec)).status, 'changed');
  const moved = join(tmp.dir, 'moved.fa');
  writeFileSync(fa, mixed);
  renameSync(fa, moved);
  assert.equal((await verifyGenome(rec)).status, 'moved');
  const found = await verifyGenome(rec, { candidatePath: moved });
  assert.deepEqual([found.status, found.path], ['ok', moved]);
});

test('abort: a cancelled indexFasta rejects with AbortError', async () => {
  const fa = tmp.file('abort.fa', `>x\n${wrap(randomBases(200_000, 5), 60)}`);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(indexFasta(fa, { signal: ac.signal }), { name: 'AbortError' });
});

describe('bad FASTA input: typed errors naming the file and line', () => {
  test('truncated gzip', async () => {
    const full = gzip(`>x\n${wrap(randomBases(50_000, 7), 60)}`);
    const gz = tmp.file('trunc.fa.gz', full.subarray(0, Math.floor(full.length / 2)));
    // The line is where decompression stopped.
    const e = await rejectsAt(() => inspectFasta(gz), gz, 'any', /truncated/);
    assert.equal(e.code, 'truncated-gzip');
  });

  test('duplicate sequence names', async () => {
    const fa = tmp.file('dup.fa', '>a\nACGT\n>b\nAC\n>a\nGG\n');
    const e = await rejectsAt(() => indexFasta(fa), fa, 5, /duplicate sequence name 'a' \(first defined at line 1\)/);
    assert.equal(e.code, 'duplicate-name');
  });

  test('a device or a FIFO is not called empty: it is not a regular file (issue 9)', async () => {
    const dev = await rejectsAt(() => indexFasta('/dev/urandom'), '/dev/urandom', undefined, /this is a device, not a regular file/);
    assert.equal(dev.code, 'unsupported-format');
    const fifo = join(tmp.dir, 'pipe.fa');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const e = await rejectsAt(() => indexFasta(fifo), fifo, undefined, /named pipe \(FIFO\), not a regular file/);
    assert.doesNotMatch(e.message, /empty/);
  });

  test('empty sequence', async () => {
    const fa = tmp.file('emptyseq.fa', '>a\nACGT\n>b\n>c\nAC\n');
    await rejectsAt(() => indexFasta(fa), fa, 3, /sequence 'b' is empty/);
  });

  test('non-IUPAC character: which one, line and column', async () => {
    const fa = tmp.file('bad.fa', `>a\n${wrap(chr1.slice(0, 120), 60)}ACGTXACG\n`);
    const e = await rejectsAt(() => indexFasta(fa), fa, 4, /'X' is not a nucleotide code .*in sequence 'a'/);
    assert.equal(e.column, 5);
    assert.equal(e.message.split(':').slice(0, 3).join(':'), `${fa}:4:5`);
  });

  test('protein FASTA gets a hint', async () => {
    const fa = tmp.file('protein.fa', '>p\nMKTAYIAKQR\n');
    await rejectsAt(() => indexFasta(fa), fa, 2, /protein/);
  });

  test('empty file', async () => {
    const fa = tmp.file('empty.fa', '');
    const e = await rejectsAt(() => indexFasta(fa), fa, undefined, /empty/);
    assert.equal(e.code, 'empty-file');
    const blank = tmp.file('blank.fa', '\n\n');
    await rejectsAt(() => indexFasta(blank), blank, undefined, /no FASTA records/);
  });

  test('binary file', async () => {
    const bin = Buffer.alloc(4096);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 37) % 256;
    const fa = tmp.file('binary.fa', bin);
    const e = await rejectsAt(() => indexFasta(fa), fa, undefined, /binary file/);
    assert.equal(e.code, 'binary-file');
    const twobit = tmp.file('genome.2bit', Buffer.from([0x43, 0x27, 0x41, 0x1a, 0, 0, 0, 0]));
    await rejectsAt(() => indexFasta(twobit), twobit, undefined, /2bit/);
  });

  test('sequence data before the first header', async () => {
    const fa = tmp.file('nohead.fa', '\nACGT\n>a\nAC\n');
    await rejectsAt(() => indexFasta(fa), fa, 2, /before the first header/);
  });

  test('lines of different width inside one sequence', async () => {
    const fa = tmp.file('ragged.fa', '>a\nACGTAC\nACG\nACGTAC\n');
    await rejectsAt(() => indexFasta(fa), fa, 4, /line 3 is shorter/);
  });

  test('0-byte .fai: rebuilt by default, refused when rebuild is off', async () => {
    const fa = tmp.file('zero.fa', mixed);
    writeFileSync(`${fa}.fai`, '');
    await rejectsAt(() => FastaReader.open(fa, { rebuild: false }), `${fa}.fai`, undefined, /index is empty \(0 bytes\)/);
    const reader = await FastaReader.open(fa);
    assert.ok(statSync(`${fa}.fai`).size > 0);
    assert.equal(await reader.getSequence('chrM', 0, 5), chrM.slice(0, 5));
  });

  test('inconsistent .fai (from another file) is detected with its line', async () => {
    const fa = tmp.file('other.fa', mixed);
    const other = tmp.file('other2.fa', crlf);
    await indexFasta(other);
    copyFileSync(`${other}.fai`, `${fa}.fai`);
    const e = await rejectsAt(() => FastaReader.open(fa, { rebuild: false }), `${fa}.fai`, 1, /offset 9 of 'a' is not the start/);
    assert.equal(e.code, 'bad-index');
    const reader = await FastaReader.open(fa); // rebuilt
    assert.deepEqual(reader.names, ['chr1', 'chr2', 'chrM']);
  });

  test('malformed .fai line', async () => {
    const fa = tmp.file('malformed.fa', mixed);
    writeFileSync(`${fa}.fai`, 'chr1\t1000\t17\t60\t61\nchr2\t733\n');
    await rejectsAt(() => FastaReader.open(fa, { rebuild: false }), `${fa}.fai`, 2, /expected 5 tab-separated columns, found 2/);
  });

  test('a truncated plain FASTA with a stale .fai is caught', async () => {
    const fa = tmp.file('shrunk.fa', mixed);
    await indexFasta(fa);
    truncateSync(fa, 500);
    utimesSync(`${fa}.fai`, new Date(), new Date(Date.now() + 10_000)); // index looks newer
    await rejectsAt(() => FastaReader.open(fa, { rebuild: false }), `${fa}.fai`, 1, /'chr1' would end past the end/);
  });
});
