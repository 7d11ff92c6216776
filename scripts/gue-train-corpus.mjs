#!/usr/bin/env node
// In-domain pre-training corpus from GUE-format task folders: the unlabelled sequences of every
// task's train.csv, one FASTA record each, for `loci pretrain --genome` (task-adaptive
// pre-training, Gururangan et al. 2020). Labels are never read. It reproduces the experiment in
// docs/benchmarks.md ("Tried and not shipped"): a stage of loci-6mer-mini pre-trained with it
// scored lower on the GUE dev sets, so the shipped model does not use it.
//
// Decontaminated: the tasks overlap (prom_core_all holds prom_core_tata and _notata; a 70 bp core
// promoter lies inside a 300 bp one; ChIP-seq peaks of two tasks can overlap), so a training
// sequence of one task can hold a dev or test sequence of another. Every training sequence that
// shares a 32-mer, on either strand, with any dev or test sequence of any task is left out, and
// exact duplicates are written once. Dev and test sequences themselves are never written.
//
//   node scripts/gue-train-corpus.mjs [GUE_ROOT] OUT.fa
// GUE_ROOT defaults to ../shared/data/gue. Prints what it kept and dropped per task.
import { createReadStream, createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const K = 32;
const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2) {
  console.error('usage: node scripts/gue-train-corpus.mjs [GUE_ROOT] OUT.fa');
  process.exit(2);
}
const root = resolve(args.length === 2 ? args[0] : join(import.meta.dirname, '..', '..', 'shared', 'data', 'gue'));
const out = resolve(args[args.length - 1]);

/** Task folders: every folder under root that holds train.csv, dev.csv and test.csv. */
function findTasks(dir) {
  const found = [];
  const walk = (d) => {
    if (['train.csv', 'dev.csv', 'test.csv'].every((f) => existsSync(join(d, f)))) found.push(d);
    for (const e of readdirSync(d)) if (statSync(join(d, e)).isDirectory()) walk(join(d, e));
  };
  walk(dir);
  return found.sort();
}

/** The sequence column of a GUE csv (header `sequence,label`), upper-cased. */
async function* sequences(file) {
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

const complement = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };
const reverseComplement = (s) => Array.from(s, (c) => complement[c]).reverse().join('');
function* kmers(s) {
  for (let i = 0; i + K <= s.length; i++) yield s.slice(i, i + K);
}

const tasks = findTasks(root);
if (tasks.length === 0) throw new Error(`${root}: no GUE task folders (train.csv, dev.csv, test.csv) under it`);

// 1. Every 32-mer of every dev and test sequence, both strands.
const held = new Set();
let heldSequences = 0;
for (const t of tasks) {
  for (const split of ['dev.csv', 'test.csv']) {
    for await (const s of sequences(join(t, split))) {
      heldSequences++;
      if (s.length < K) held.add(s); // too short for a 32-mer: match it whole
      for (const seq of [s, reverseComplement(s)]) for (const k of kmers(seq)) held.add(k);
    }
  }
}
console.log(`${heldSequences} dev and test sequences in ${tasks.length} tasks: ${held.size} distinct ${K}-mers (both strands) held out`);

// 2. Training sequences that share none of them, each once.
const seen = new Set();
const fasta = createWriteStream(out);
let written = 0;
let bases = 0;
for (const t of tasks) {
  const name = relative(root, t) || '.';
  let kept = 0;
  let overlapping = 0;
  let duplicate = 0;
  for await (const s of sequences(join(t, 'train.csv'))) {
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
    written++;
    bases += s.length;
    if (!fasta.write(`>gue_${written} ${name}\n${s}\n`)) await new Promise((r) => fasta.once('drain', r));
  }
  console.log(`${name}: ${kept} kept, ${overlapping} left out (share a ${K}-mer with a dev or test sequence), ${duplicate} duplicates`);
}
await new Promise((r, j) => fasta.end((e) => (e ? j(e) : r())));
console.log(`${out}: ${written} sequences, ${bases} bp`);
