// In-domain pre-training corpus from GUE-format task folders: the unlabelled sequences of every
// task's train.csv, one FASTA record each, for `loci pretrain --genome` (task-adaptive
// pre-training, Gururangan et al. 2020). It reproduces the experiment in docs/benchmarks.md
// ("Tried and not shipped"): a stage of loci-6mer-mini pre-trained with it scored lower on the GUE
// dev sets, so the shipped model does not use it.
//
// Decontaminated: the tasks overlap (prom_core_all holds prom_core_tata and _notata; a 70 bp core
// promoter lies inside a 300 bp one; ChIP-seq peaks of two tasks can overlap), so a training
// sequence of one task can hold a dev or test sequence of another. Every training sequence that
// shares a 32-mer, on either strand, with any dev or test sequence of any task is left out, and
// exact duplicates are written once. Dev and test sequences themselves are never written.
//
//   node --import tsx scripts/gue-train-corpus.ts [GUE_ROOT] OUT.fa
// GUE_ROOT defaults to ../shared/data/gue. Prints what it kept and dropped per task.
import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { reverseComplement } from '../main/engine/corpus/windows';
import { findGueTasks } from '../main/engine/gue/tasks';
import { writeFileAtomic } from '../main/node/atomic';

const K = 32;
const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2) {
  console.error('usage: node --import tsx scripts/gue-train-corpus.ts [GUE_ROOT] OUT.fa');
  process.exit(2);
}
const root = resolve(args.length === 2 ? args[0]! : join(import.meta.dirname, '..', '..', 'shared', 'data', 'gue'));
const out = resolve(args[args.length - 1]!);

/**
 * The sequence column only, upper-cased. Not readGueTask: that one parses and checks the labels
 * too, and this corpus must not depend on them.
 */
async function* sequences(file: string): AsyncGenerator<string> {
  let line = 0;
  let column = -1;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    const cells = text.split(',');
    if (line === 1) {
      column = cells.indexOf('sequence');
      if (column < 0) throw new Error(`${file}:1: no "sequence" column in the header (${text.slice(0, 80)})`);
      continue;
    }
    const s = cells[column]?.trim().toUpperCase();
    if (!s) continue;
    if (!/^[ACGTN]+$/.test(s)) throw new Error(`${file}:${line}: not DNA (${s.slice(0, 40)})`);
    yield s;
  }
}

function* kmers(s: string): Generator<string> {
  for (let i = 0; i + K <= s.length; i++) yield s.slice(i, i + K);
}

const tasks = await findGueTasks(root);

// 1. Every 32-mer of every dev and test sequence, both strands.
const held = new Set<string>();
let heldSequences = 0;
for (const t of tasks) {
  for (const split of ['dev.csv', 'test.csv']) {
    for await (const s of sequences(join(t.dir, split))) {
      heldSequences++;
      if (s.length < K) held.add(s); // too short for a 32-mer: match it whole
      for (const seq of [s, reverseComplement(s)]) for (const k of kmers(seq)) held.add(k);
    }
  }
}
console.log(`${heldSequences} dev and test sequences in ${tasks.length} tasks: ${held.size} distinct ${K}-mers (both strands) held out`);

// 2. Training sequences that share none of them, each once.
const seen = new Set<string>();
const fasta: string[] = [];
let bases = 0;
for (const t of tasks) {
  let kept = 0;
  let overlapping = 0;
  let duplicate = 0;
  for await (const s of sequences(join(t.dir, 'train.csv'))) {
    if (seen.has(s)) {
      duplicate++;
      continue;
    }
    seen.add(s);
    if (held.has(s) || [...kmers(s)].some((k) => held.has(k))) {
      overlapping++;
      continue;
    }
    kept++;
    bases += s.length;
    fasta.push(`>gue_${fasta.length + 1} ${t.name}\n${s}\n`);
  }
  console.log(`${t.name}: ${kept} kept, ${overlapping} left out (share a ${K}-mer with a dev or test sequence), ${duplicate} duplicates`);
}
writeFileAtomic(out, fasta.join(''));
console.log(`${out}: ${fasta.length} sequences, ${bases} bp`);
