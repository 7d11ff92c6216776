// Child process of scan-memory.test.ts: runs the scan job's own streaming path (main/scan/job.ts's
// runScan: FASTA reads by chunk, windows, both strands, per-base means, records files, bigWigs)
// over a FASTA with a stand-in scorer (a window's GC fraction is its class-1 probability; the
// model is not what is measured), then prints its peak RSS as JSON on the last line.
//   node --import tsx scan-memory-child.ts FASTA CHECKPOINT_DIR WINDOW STRIDE [STOP_AFTER_BP]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastaReader } from '../../main/genome/fasta/reader';
import { JobStopped, type JobContext } from '../../main/jobs/registry';
import { runScan, type WindowScorer } from '../../main/scan/job';
import type { ScanJobParams } from '../../main/scan/protocol';

const [fasta, dir, window, stride, stopAfter] = process.argv.slice(2) as [string, string, string, string, string | undefined];

const gcScorer: WindowScorer = {
  stats: { truncated: 0 },
  async score(sequences) {
    const out = new Float64Array(sequences.length * 2);
    sequences.forEach((s, i) => {
      let gc = 0;
      for (let j = 0; j < s.length; j++) {
        const c = s.charCodeAt(j);
        if (c === 67 || c === 71) gc++;
      }
      const p = s.length ? gc / s.length : 0;
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    });
    return out;
  },
};

const reader = await FastaReader.open(fasta);
const chroms = readFileSync(reader.faiPath, 'latin1').trim().split('\n').map((l) => l.split('\t')).map(([name, length]) => ({ name: name!, length: Number(length) }));
const intervalsPath = join(dir, 'intervals.json');
writeFileSync(intervalsPath, JSON.stringify(chroms.map((c, i) => ({ chrom: i, start: 0, end: c.length }))));
const params: ScanJobParams = {
  scanId: 1,
  modelId: 1,
  modelDir: '(stand-in scorer)',
  genome: { fastaPath: fasta, faiPath: reader.faiPath, gziPath: null },
  chroms,
  intervalsPath,
  window: Number(window),
  stride: Number(stride),
  strand: 'both',
  combine: 'mean',
  classes: [1],
  numLabels: 2,
  batchSize: 64,
  maxTokens: 512,
  chunkBp: 100_000,
  backend: 'cpu',
  workers: 1,
  devPath: null,
};
const controller = new AbortController();
const logs: string[] = [];
const ctx: JobContext<ScanJobParams> = {
  jobId: 'memory-test',
  params,
  checkpointDir: dir,
  attempt: 1,
  signal: controller.signal,
  report: (p) => {
    if (stopAfter !== undefined && (p.step ?? 0) >= Number(stopAfter)) controller.abort('pause');
  },
  log: (line) => void logs.push(line),
};
const t0 = performance.now();
let stopped = false;
try {
  await runScan(ctx, gcScorer, reader, 'stand-in');
} catch (e) {
  if (!(e instanceof JobStopped)) throw e;
  stopped = true;
}
const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { bpDone: number };
console.log(JSON.stringify({ stopped, bpDone: state.bpDone, seconds: (performance.now() - t0) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, logs }));
