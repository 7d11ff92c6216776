// The demo model's card (README.md), from the figures scripts/make-demo-model.sh measured: its
// demo-model.json (settings, test metrics, the scan threshold) and config.json (shape, classes),
// so the card stays true when the model is made again. Nothing here is typed by hand but prose.
// Usage: node scripts/demo-model-card.mjs MODEL_DIR [DATASET_SPEC_JSON]   (writes MODEL_DIR/README.md)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, specPath] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/demo-model-card.mjs MODEL_DIR [DATASET_SPEC_JSON]');
  process.exit(2);
}
const m = JSON.parse(readFileSync(join(dir, 'demo-model.json'), 'utf8'));
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
const spec = specPath && existsSync(specPath) ? JSON.parse(readFileSync(specPath, 'utf8')) : null;

const f3 = (x) => (typeof x === 'number' ? x.toFixed(3) : 'n/a');
const int = (x) => x.toLocaleString('en-US');
/** A setting as people write it: 5e-4, not 0.0005. */
const num = (x) => (x !== 0 && Math.abs(x) < 0.001 ? x.toExponential() : String(x));
const s = m.settings;
const t = m.test;
const thr = m.scan.threshold;
const perClass = t.perClass ?? [];
const testWindows = perClass.reduce((a, c) => a + c.support, 0);
const classes = m.classes.map((c) => `\`${c}\``).join(' and ');
const thresholdLine = thr
  ? `${thr.className} ${f3(thr.threshold)}, ${thr.source === 'dev-mcc' ? `the probability that gave the best MCC on the dev set (dev MCC ${f3(thr.devMcc)})` : `from ${thr.source}`}`
  : 'none (the highest-scoring class wins)';

const card = `# ${m.name}

\`${m.baseModel}\` fine-tuned by \`scripts/make-demo-model.sh\` on the demo dataset to tell ${m.window} bp
windows centred on E. coli K-12 MG1655 gene start sites from background. The model of Loci's demo
project, a **demonstration only**: it shows the loop (fine-tune, scan, annotate, retrain) on a real
genome; it does not call genes.

| | |
| --- | --- |
| base model | \`${m.baseModel}\` (bundled with Loci): DNABERT-2 architecture, ${config.num_hidden_layers} layers, hidden ${config.hidden_size}, ${config.num_attention_heads} heads, intermediate ${config.intermediate_size}; DNABERT-2 BPE tokenizer (vocab ${int(config.vocab_size)}) |
| task | ${m.classes.length} classes, ${classes}: is a ${m.window} bp window centred on a gene start site? |
| dataset | "${m.dataset}" (\`resources/demo/dataset-spec.json\`)${spec?.description ? `: ${spec.description}` : ''} |
| fine-tuning | ${s.mode} fine-tuning with the base model card's defaults: AdamW, lr ${num(s.lr)}, batch ${s.batchSize}, ${s.maxSteps} steps, warm-up ${s.warmupSteps}, weight decay ${s.weightDecay}, dev set every ${s.evalEvery} steps, the lowest-dev-loss checkpoint kept (step ${m.bestStep}: dev loss ${f3(m.bestDevLoss)}, dev MCC ${f3(m.bestDevMcc)}) |
| seed, backend | ${m.seed}, tfjs ${m.backend} (another backend gives other floats, hence slightly other figures) |

## Results

On the dataset's test split (${int(testWindows)} windows${perClass.length ? `: ${perClass.map((c) => `${int(c.support)} ${c.name}`).join(', ')}` : ''}), each window
given the class with the highest probability:

| | test |
| --- | --- |
| MCC | ${f3(t.mcc)} |
| AUROC | ${f3(t.auroc)} |
| AUPRC | ${f3(t.auprc)} |
| accuracy | ${f3(t.accuracy)} |
| F1 (macro) | ${f3(t.f1Macro)} |
${perClass.map((c) => `| ${c.name}: precision / recall | ${f3(c.precision)} / ${f3(c.recall)} |`).join('\n')}

Scan threshold: ${thresholdLine}. The demo project's scan of ${m.scan.region} uses it.

Timings and every figure at full precision: \`demo-model.json\` in this folder.

## Intended use and limits

- Intended: a demonstration only: the model the demo project opens with, so that the Genome view
  shows real predictions, the example annotations have something to correct and "Retrain with my
  annotations" has a model to start from.
- Limits: test MCC ${f3(t.mcc)} is clearly above chance and far from a gene caller (prodigal, which
  made the labels, finds the genes). A 1 M-parameter, lightly pre-trained base model; one genome
  (E. coli K-12 MG1655, ~88% coding), so the GC-matched background is mostly coding sequence; the
  labels are prodigal's calls, not experimentally confirmed starts; ${m.window} bp windows only.
  Not for annotating genomes, not evaluated on any other organism or task.

## Reproduce

\`\`\`
bash scripts/make-demo-model.sh     # loci demo --data-only, loci finetune --model ${m.baseModel} --seed ${m.seed} --backend ${m.backend},
                                    # loci scan of ${m.scan.region}, loci models export; then this card
\`\`\`

The commands, the example annotations and the checksums of a from-scratch run:
\`resources/demo/README.md\` in the Loci repository.
`;
writeFileSync(join(dir, 'README.md'), card);
