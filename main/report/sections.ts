// The sections of a run report, in order, following MultiQC/nf-core (a summary table first,
// software versions, methods with the exact commands) and model cards (model details, intended use,
// limitations, training and evaluation). Each is a SectionBuilder: a later feature adds its section
// (genome scan, annotations, interpretation) with one entry in RUN_SECTIONS.
import { formatBytes } from '../../shared/bytes';
import type { RunDetail, TrainingSettings } from '../../shared/contract/training';
import { cardSections, code, duration, esc, facts, int, markdownHtml, note, num, pct, shellArg, table } from './html';
import { genomeSection } from './genome';
import { figure, lineChart, PALETTE, type Series } from './svg';
import type { GcHistogram, RunReportData, SectionBuilder } from './types';

const SPLITS = ['train', 'dev', 'test'] as const;

function runSeconds(run: RunDetail, startedAt?: string | null): number | null {
  const from = Date.parse(startedAt ?? run.createdAt);
  const to = run.endedAt ? Date.parse(run.endedAt) : NaN;
  return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, (to - from) / 1000) : null;
}

/** Why a run has no test evaluation, in words, or null when it has one. */
export function whatIsMissing(run: RunDetail): string | null {
  if (run.test) return null;
  const at = run.step !== null ? ` at step ${int(run.step)}${run.totalSteps ? ` of ${int(run.totalSteps)}` : ''}` : ' before its first step';
  switch (run.state) {
    case 'failed':
      return `The run failed${at}${run.error ? `: ${run.error}` : ''}. It has no test evaluation and no fine-tuned model; resume it (loci runs resume ${run.id}) or start it again.`;
    case 'cancelled':
      return `The run was cancelled${at}. It was never evaluated on the test set and saved no fine-tuned model.`;
    case 'paused':
    case 'interrupted':
      return `The run is ${run.state}${at}; the test evaluation comes when it finishes (loci runs resume ${run.id}).`;
    case 'queued':
    case 'running':
      return `The run is still ${run.state}${at}; the test evaluation comes when it finishes.`;
    case 'done':
      return 'The run finished without a test evaluation (its dataset has no test examples).';
  }
}

// ---------------------------------------------------------------- summary

function summaryTable(d: RunReportData): string {
  const r = d.run;
  const ds = d.dataset?.summary;
  const t = r.test;
  const rows: [string, string][] = [
    ['Run', `${esc(r.name)} <span class="muted">(id ${esc(r.id)}, ${esc(r.state)})</span>`],
    ['What was trained', `${esc(r.modelName)}${d.baseModel ? ` <span class="muted">(${esc(d.baseModel.shape.architectureLabel)}, ${int(d.baseModel.shape.parameters)} parameters)</span>` : ''}, ${esc(r.mode)} fine-tuning into a ${r.classNames.length}-class classifier (${r.classNames.map(esc).join(', ')})`],
    ['On what', ds ? `${esc(ds.name)}: ${int(ds.total)} sequences (train ${int(ds.splits.train.sequences)}, dev ${int(ds.splits.dev.sequences)}, test ${int(ds.splits.test.sequences)})${d.genome ? ` from ${esc(d.genome.name)}` : ''}` : `${esc(r.datasetName)} <span class="muted">(removed from the project since)</span>`],
    ['Result on test', t ? `MCC <b>${num(t.mcc)}</b>, F1 ${num(t.f1Macro)}, accuracy ${num(t.accuracy)}, AUROC ${num(t.auroc)}, AUPRC ${num(t.auprc)}` : `<span class="muted">none: ${esc(whatIsMissing(r) ?? '')}</span>`],
    ['Model selection', r.bestStep !== null ? `lowest dev loss ${num(r.bestDevLoss, 4)} at step ${int(r.bestStep)} of ${int(r.step)}` : 'no dev evaluation'],
    ['Runtime', `${duration(runSeconds(r))} on ${esc(r.backend ?? 'n/a')}${r.throughput.tokensPerSecond ? `, ${int(r.throughput.tokensPerSecond)} tokens/s` : ''}`],
    ['Fine-tuned model', d.outputModel ? `${esc(d.outputModel.name)} <span class="muted">(project model ${d.outputModel.id}; SHA-256 of model.safetensors ${esc(d.outputModel.checksum.slice(0, 16))}…)</span>` : 'none saved'],
  ];
  return facts(rows);
}

const summary: SectionBuilder<RunReportData> = {
  id: 'summary',
  title: 'Summary',
  build(d) {
    const missing = whatIsMissing(d.run);
    return [summaryTable(d), missing ? note('warn', esc(missing)) : ''].join('\n');
  },
};

// ---------------------------------------------------------------- data

function gcCharts(gc: GcHistogram, classes: readonly string[]): string {
  const figs: string[] = [];
  for (const split of SPLITS) {
    const perClass = gc.counts[split];
    const series: Series[] = classes
      .map((c, i) => {
        const counts = perClass[c] ?? [];
        const total = counts.reduce((a, b) => a + b, 0);
        return { name: `${c} (${int(total)})`, color: PALETTE[i % PALETTE.length], points: total ? counts.map((n, b) => ({ x: (b + 0.5) / gc.bins, y: n / total })) : [], dots: true };
      })
      .filter((s) => s.points.length > 0);
    if (series.length === 0) continue;
    figs.push(figure(lineChart(series, { title: `GC content, ${split}`, xLabel: 'GC fraction of the window', yLabel: 'fraction of windows', width: 320, height: 220, xDomain: [0, 1] }), `${split}: share of each class's windows per GC bin (${gc.bins} bins). Matched negatives should follow the positives.`));
  }
  return figs.length ? `<div class="figs">${figs.join('')}</div>` : '';
}

function describeSpec(spec: Record<string, unknown> | undefined): [string, string][] {
  if (!spec) return [];
  const rows: [string, string][] = [];
  const w = spec.window as Record<string, unknown> | undefined;
  if (w) rows.push(['Windows', esc(`${String(w.mode)}, ${String(w.length)} bp${w.stride ? `, stride ${String(w.stride)}` : ''}${w.anchor ? `, anchored at the ${String(w.anchor)}` : ''}${w.perRegion ? `, ${String(w.perRegion)} per region` : ''}`)]);
  const n = spec.negatives as Record<string, unknown> | undefined;
  if (n) rows.push(['Negatives (requested)', esc(`${String(n.strategy)}${n.ratio !== undefined ? `, ${String(n.ratio)} per positive` : ''}${n.margin !== undefined ? `, at least ${String(n.margin)} bp from any region` : ''}`)]);
  if (spec.maxNFraction !== undefined) rows.push(['Max N fraction', esc(String(spec.maxNFraction))]);
  if (spec.rcAugment) rows.push(['Augmentation', 'reverse-complement copies of the training windows']);
  if (spec.orientByStrand) rows.push(['Orientation', 'windows on the minus strand reverse-complemented']);
  if (spec.overlapGuard) rows.push(['Overlap guard', esc(JSON.stringify(spec.overlapGuard))]);
  return rows;
}

const data: SectionBuilder<RunReportData> = {
  id: 'data',
  title: 'Data',
  build(d) {
    const ds = d.dataset;
    if (!ds) return note('warn', `The dataset "${esc(d.run.datasetName)}" (id ${esc(d.run.datasetId)}) was removed from the project after this run: its build settings, class counts and GC distributions are no longer known.`);
    const s = ds.summary;
    const out: string[] = [];
    if (d.genome) {
      const g = d.genome;
      out.push('<h3>Genome</h3>');
      out.push(
        facts([
          ['Name', esc(g.name)],
          ['File', `<code>${esc(g.path)}</code>${g.status !== 'ok' ? ` <span class="muted">(${esc(g.statusDetail)})</span>` : ''}`],
          ['SHA-256', `<code>${esc(g.checksum)}</code>`],
          ['Size', `${formatBytes(g.size)} (${esc(g.compression)})`],
          ['Sequences', `${int(g.sequences.length)}, ${int(g.totalLength)} bp in all`],
        ]),
      );
    }
    const prov = s.provenance as { inputs?: { label?: string; file?: string; sha256?: string; regions?: number }[]; builder?: { name?: string; version?: string }; seed?: number; spec?: Record<string, unknown> };
    const inputs = prov.inputs ?? [];
    if (d.regionSets.length || inputs.length) {
      out.push('<h3>Input files</h3>');
      const rows = d.regionSets.length
        ? d.regionSets.map((r) => [esc(r.name), `<code>${esc(r.sourcePath)}</code>`, esc(r.format), int(r.count), esc(r.derive + (r.gffTypes.length ? ` (${r.gffTypes.join(', ')})` : '')), `<code>${esc(r.checksum)}</code>`])
        : inputs.map((i) => [esc(i.label ?? ''), `<code>${esc(i.file ?? '')}</code>`, '', int(i.regions ?? null), '', `<code>${esc(i.sha256 ?? '')}</code>`]);
      out.push(table(['Set (class)', 'File', 'Format', 'Records', 'Kept', 'SHA-256'], rows, { numeric: [3] }));
    }
    out.push('<h3>Dataset build</h3>');
    const neg = s.negatives;
    out.push(
      facts([
        ['Dataset', `${esc(s.name)} <span class="muted">(id ${s.id}, built ${esc(s.createdAt)})</span>`],
        ['Source', esc(s.source)],
        ['Classes', s.classes.map(esc).join(', ')],
        ...describeSpec(prov.spec),
        ...(neg ? ([['Negatives (made)', esc(`${neg.strategy}: ${int(neg.made)} of ${int(neg.wanted)} wanted, ratio ${neg.ratio}, margin ${neg.margin} bp${neg.ksDistance !== undefined ? `, GC KS distance to positives ${num(neg.ksDistance)}` : ''}`)]] as [string, string][]) : []),
        ['Split rule', esc(s.split)],
        ...(prov.seed !== undefined ? ([['Seed', esc(String(prov.seed))]] as [string, string][]) : []),
        ...(prov.builder ? ([['Builder', esc(`${prov.builder.name ?? ''} ${prov.builder.version ?? ''}`)]] as [string, string][]) : []),
        ...(Object.keys(s.dropped).length ? ([['Dropped', esc(Object.entries(s.dropped).map(([k, v]) => `${k}: ${v}`).join(', '))]] as [string, string][]) : []),
      ]),
    );
    out.push('<h3>Class counts per split</h3>');
    out.push(
      table(
        ['Split', ...s.classes.map(esc), 'Total', 'Length (bp)', 'Mean GC', 'RC copies'],
        SPLITS.map((sp) => {
          const x = s.splits[sp];
          return [sp, ...s.classes.map((c) => int(x.classCounts[c] ?? 0)), int(x.sequences), x.sequences ? `${x.lengthMin}–${x.lengthMax} (mean ${x.lengthMean.toFixed(0)})` : 'n/a', x.sequences ? pct(x.gcMean) : 'n/a', int(x.augmented)];
        }),
        { numeric: [...s.classes.map((_, i) => i + 1), s.classes.length + 1, s.classes.length + 3, s.classes.length + 4] },
      ),
    );
    out.push('<h3>GC distributions</h3>');
    out.push(gcCharts(ds.gc, s.classes) || '<p class="muted">No GC content was recorded for this dataset\'s sequences.</p>');
    if (s.warnings.length) out.push(note('warn', `Build warnings: ${s.warnings.map(esc).join('; ')}`));
    out.push(`<p class="muted">Test-set fingerprint (SHA-256 of the test sequences and labels, in order): <code>${esc(ds.testDigest)}</code>. Two runs with the same fingerprint were evaluated on the same test set.</p>`);
    return out.join('\n');
  },
};

// ---------------------------------------------------------------- model

function settingsRows(s: TrainingSettings): [string, string][] {
  const rows: [string, string][] = [
    ['Mode', esc(s.mode === 'full' ? 'full (every weight trained)' : s.mode === 'lora' ? 'LoRA (low-rank adapters; the base weights frozen)' : 'linear probe (frozen encoder, logistic regression on its embeddings)')],
    ['Learning rate', esc(String(s.lr))],
    ['Batch size', `${s.batchSize}${s.accumulate > 1 ? ` x ${s.accumulate} accumulated` : ''}`],
    ['Epochs', esc(String(s.epochs))],
    ['Max steps', s.maxSteps !== undefined ? String(s.maxSteps) : 'no limit'],
    ['Warm-up steps', s.warmupSteps !== undefined ? String(s.warmupSteps) : 'default'],
    ['Weight decay', String(s.weightDecay)],
    ['Evaluate every', s.evalEvery !== undefined ? `${s.evalEvery} steps` : 'default'],
    ['Max tokens', s.maxLength !== undefined ? String(s.maxLength) : 'chosen from the data'],
    ['Class weights', s.classWeights],
    ['Early stopping', s.earlyStoppingPatience !== null ? `after ${s.earlyStoppingPatience} evaluations without a better dev loss` : 'off'],
    ['Seed', String(s.seed)],
    ['Backend asked for', s.backend],
  ];
  if (s.lora) rows.push(['LoRA', esc(`rank ${s.lora.rank}, alpha ${s.lora.alpha}, dropout ${s.lora.dropout}${s.lora.targets ? `, targets ${s.lora.targets.join(', ')}` : ''}`)]);
  if (s.probe) rows.push(['Probe pooling', esc(s.probe.pooling)]);
  return rows;
}

const model: SectionBuilder<RunReportData> = {
  id: 'model',
  title: 'Model',
  build(d) {
    const out: string[] = [];
    const m = d.baseModel;
    out.push('<h3>Base model</h3>');
    if (!m) out.push(note('warn', `The base model "${esc(d.run.modelName)}" was removed from the project after this run; its card is no longer available.`));
    else {
      const sh = m.shape;
      out.push(
        facts([
          ['Name', `${esc(m.name)} <span class="muted">(${esc(m.kind)}: ${esc(m.source)})</span>`],
          ['Architecture', esc(sh.architectureLabel)],
          ['Size', `${int(sh.parameters)} parameters; ${sh.layers} layers, hidden ${sh.hidden}, ${sh.heads} heads, intermediate ${sh.intermediate}; ${formatBytes(sh.sizeBytes)}`],
          ['Tokenizer', esc(sh.tokenizer.label)],
          ['Input length', `${int(sh.maxLength)} tokens${sh.architecture === 'bert' ? ' (learned positions)' : ' (ALiBi: trained length, no hard limit)'}`],
          ['SHA-256 of model.safetensors', `<code>${esc(m.checksum)}</code>`],
        ]),
      );
      const card = d.baseCard;
      if (card && !card.generated) {
        const corpus = cardSections(card.markdown, /corpus|pre-?train|training data/i);
        const limits = cardSections(card.markdown, /limit|intended|bias|risk/i);
        const first = card.markdown.split('\n## ')[0]!.split('\n').filter((l) => !/^#\s/.test(l)).join('\n').trim();
        if (first) out.push(`<h3>From the model card</h3>${markdownHtml(first)}`);
        if (corpus) out.push(markdownHtml(corpus, 1));
        if (limits) out.push(markdownHtml(limits, 1));
        if (!corpus) out.push('<p class="muted">The model card does not describe the pre-training corpus.</p>');
      } else out.push('<p class="muted">The base model has no model card (README.md): its pre-training corpus and limits are not documented.</p>');
    }
    out.push('<h3>Fine-tuning</h3>');
    out.push(facts(settingsRows(d.run.settings)));
    return out.join('\n');
  },
};

// ---------------------------------------------------------------- training

const training: SectionBuilder<RunReportData> = {
  id: 'training',
  title: 'Training',
  build(d) {
    const r = d.run;
    const out: string[] = [];
    if (r.train.length === 0 && r.dev.length === 0) out.push(note('warn', `No training step was logged: ${esc(whatIsMissing(r) ?? 'the run has no curves')}`));
    else {
      const loss: Series[] = [
        { name: 'train loss', points: r.train.map((p) => ({ x: p.step, y: p.loss })) },
        { name: 'dev loss', points: r.dev.map((p) => ({ x: p.step, y: p.loss })), dots: true },
      ];
      const figs = [figure(lineChart(loss, { title: 'Loss', xLabel: 'step', yLabel: 'cross-entropy' }), `Training loss (${int(r.train.length)} logged steps) and dev loss (${r.dev.length} evaluations).${r.bestStep !== null ? ` The model kept is the one of step ${r.bestStep} (lowest dev loss).` : ''}`)];
      const dev: Series[] = [
        { name: 'dev MCC', points: r.dev.filter((p) => p.mcc !== null).map((p) => ({ x: p.step, y: p.mcc! })), dots: true },
        { name: 'dev F1', points: r.dev.filter((p) => p.f1 !== null).map((p) => ({ x: p.step, y: p.f1! })), dots: true },
        { name: 'dev accuracy', points: r.dev.filter((p) => p.accuracy !== null).map((p) => ({ x: p.step, y: p.accuracy! })), dots: true },
      ].filter((s) => s.points.length > 0);
      if (dev.length) figs.push(figure(lineChart(dev, { title: 'Dev metrics', xLabel: 'step', yLabel: 'metric', yDomain: [Math.min(0, ...dev.flatMap((s) => s.points.map((p) => p.y))), 1] }), 'Dev-set MCC, macro F1 and accuracy at each evaluation.'));
      if (r.train.some((p) => p.lr > 0)) figs.push(figure(lineChart([{ name: 'learning rate', points: r.train.map((p) => ({ x: p.step, y: p.lr })) }], { title: 'Learning-rate schedule', xLabel: 'step', yLabel: 'learning rate' }), 'Warm-up then linear decay.'));
      out.push(`<div class="figs">${figs.join('')}</div>`);
      if (r.dev.length) {
        out.push('<h3>Dev evaluations</h3>');
        out.push(table(['Step', 'Dev loss', 'MCC', 'F1', 'Accuracy', 'Kept'], r.dev.map((e) => [int(e.step), num(e.loss, 4), num(e.mcc), num(e.f1), num(e.accuracy), e.step === r.bestStep ? 'best' : '']), { numeric: [0, 1, 2, 3, 4] }));
      }
    }
    out.push('<h3>Runtime</h3>');
    out.push(
      facts([
        ['Created', esc(r.createdAt)],
        ['Ended', esc(r.endedAt ?? 'not yet')],
        ['Wall time', duration(runSeconds(r))],
        ['Steps', `${int(r.step)}${r.totalSteps ? ` of ${int(r.totalSteps)}` : ''}`],
        ['Backend', esc(r.backend ?? 'n/a')],
        ['Throughput', `${r.throughput.tokensPerSecond ? `${int(r.throughput.tokensPerSecond)} tokens/s` : 'n/a'}${r.throughput.secondsPerEpoch ? `, ${duration(r.throughput.secondsPerEpoch)} per epoch` : ''}`],
      ]),
    );
    out.push('<h3>Software versions</h3>');
    out.push(table(['Software', 'Version'], d.software.map(([k, v]) => [esc(k), `<code>${esc(v)}</code>`])));
    return out.join('\n');
  },
};

// ---------------------------------------------------------------- evaluation

export function confusionTable(classes: readonly string[], confusion: readonly (readonly number[])[]): string {
  return table(
    ['true \\ predicted', ...classes.map(esc), 'Total'],
    confusion.map((row, i) => [`<b>${esc(classes[i] ?? String(i))}</b>`, ...row.map((n) => int(n)), int(row.reduce((a, b) => a + b, 0))]),
    { numeric: [...classes.map((_, i) => i + 1), classes.length + 1], className: 'confusion' },
  );
}

function examplesTable(rows: RunDetail['mostWrong']): string {
  return table(
    ['#', 'True', 'Predicted', 'Probability', 'Sequence'],
    rows.map((e) => [int(e.index), esc(e.label), esc(e.predicted), num(e.confidence), `<span class="seq">${esc(e.sequence.length > 240 ? `${e.sequence.slice(0, 240)}… (${e.sequence.length} bp)` : e.sequence)}</span>`]),
    { numeric: [0, 3] },
  ).replace(/<td><span class="seq">/g, '<td class="seq"><span>');
}

const evaluation: SectionBuilder<RunReportData> = {
  id: 'evaluation',
  title: 'Evaluation on the test set',
  build(d) {
    const r = d.run;
    const t = r.test;
    if (!t) return note('warn', esc(whatIsMissing(r) ?? ''));
    const out: string[] = [];
    const n = t.confusion.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
    out.push(`<p>${int(n)} test sequences, never seen in training or model selection; the model evaluated is the one kept at step ${int(r.bestStep)}.</p>`);
    out.push(
      table(
        ['MCC', 'F1 (macro)', 'Accuracy', 'Precision (macro)', 'Recall (macro)', 'AUROC', 'AUPRC'],
        [[num(t.mcc), num(t.f1Macro), num(t.accuracy), num(t.precisionMacro), num(t.recallMacro), num(t.auroc), num(t.auprc)]],
        { numeric: [0, 1, 2, 3, 4, 5, 6], className: 'summary' },
      ),
    );
    out.push('<h3>Per class</h3>');
    out.push(table(['Class', 'Precision', 'Recall', 'F1', 'Support'], t.perClass.map((c) => [esc(c.name), num(c.precision), num(c.recall), num(c.f1), int(c.support)]), { numeric: [1, 2, 3, 4] }));
    out.push('<h3>Confusion matrix</h3>');
    out.push(confusionTable(r.classNames, t.confusion));
    const positive = r.classNames.length === 2 ? r.classNames[1] : r.classNames[1] ? `${r.classNames[1]} vs rest` : '';
    const figs: string[] = [];
    if (t.roc.length) figs.push(figure(lineChart([{ name: `AUROC ${num(t.auroc)}`, points: t.roc }], { title: 'ROC curve', xLabel: 'false positive rate', yLabel: 'true positive rate', xDomain: [0, 1], yDomain: [0, 1], reference: [{ x: 0, y: 0 }, { x: 1, y: 1 }], width: 340, height: 300 }), `Positive class: ${esc(positive)}.`));
    if (t.pr.length) figs.push(figure(lineChart([{ name: `AUPRC ${num(t.auprc)}`, points: t.pr }], { title: 'Precision-recall curve', xLabel: 'recall', yLabel: 'precision', xDomain: [0, 1], yDomain: [0, 1], width: 340, height: 300 }), `Positive class: ${esc(positive)}.`));
    if (figs.length) out.push(`<div class="figs">${figs.join('')}</div>`);
    const wrong = r.mostWrong.filter((e) => e.label !== e.predicted);
    const confident = r.mostConfident;
    if (confident.length) {
      out.push('<h3>Most confident correct predictions</h3>');
      out.push(examplesTable(confident));
    }
    out.push('<h3>Most wrong predictions</h3>');
    out.push(wrong.length ? examplesTable(wrong) : '<p>The model got every test sequence right.</p>');
    return out.join('\n');
  },
};

// ---------------------------------------------------------------- limitations and reproduction

/** `loci finetune` flags for the settings that differ from the defaults, or null when one has no flag. */
export function reproduceCommands(d: RunReportData): string {
  const P = shellArg(d.project.path);
  const lines: string[] = [`# Loci ${d.software.find(([k]) => k === 'Loci')?.[1] ?? ''}; run in a new project to repeat this run, or in this one to add a run`, `loci project create ${P}`];
  if (d.genome) lines.push(`loci import genome ${shellArg(d.genome.path)} --project ${P} --name ${shellArg(d.genome.name)}   # sha256 ${d.genome.checksum}`);
  for (const r of d.regionSets) {
    const extra = r.derive === 'start-sites' ? ' --start-sites' : '';
    const types = r.format === 'gff3' && r.gffTypes.length ? ` --types ${shellArg(r.gffTypes.join(','))}` : '';
    lines.push(`loci import regions ${shellArg(r.sourcePath)} --project ${P} --genome ${shellArg(d.genome?.name ?? String(r.genomeId ?? ''))} --name ${shellArg(r.name)} --format ${r.format}${types}${extra}   # sha256 ${r.checksum}`);
  }
  const ds = d.dataset?.summary;
  const spec = (ds?.provenance as { spec?: unknown } | undefined)?.spec;
  if (ds && spec) {
    lines.push(`cat > dataset-spec.json <<'EOF'\n${JSON.stringify(spec, null, 2)}\nEOF`);
    lines.push(`loci dataset build --project ${P} --name ${shellArg(ds.name)} --spec dataset-spec.json`);
  }
  const m = d.baseModel;
  if (m?.kind === 'bundled') lines.push(`loci models add ${shellArg(m.source)} --project ${P}`);
  else if (m?.kind === 'imported') lines.push(`loci models import ${shellArg(m.source)} --project ${P} --name ${shellArg(m.name)}`);
  else if (m?.kind === 'baseline') {
    const p = m.params as { arch?: string; size?: string; tokenizer?: string; seed?: number };
    lines.push(`loci models baseline --project ${P} --name ${shellArg(m.name)}${p.arch ? ` --arch ${p.arch}` : ''}${p.size ? ` --size ${p.size}` : ''}${p.tokenizer ? ` --tokenizer ${p.tokenizer}` : ''}${p.seed !== undefined ? ` --seed ${p.seed}` : ''}`);
  }
  // Every setting travels in a file: several (warmup, weight decay, LoRA targets, probe) have no flag.
  lines.push(`cat > finetune-settings.json <<'EOF'\n${JSON.stringify(d.run.settings, null, 2)}\nEOF`);
  lines.push(`loci finetune --project ${P} --dataset ${shellArg(d.run.datasetName)} --model ${shellArg(d.run.modelName)} --name ${shellArg(d.run.name)} --settings finetune-settings.json`);
  lines.push(`loci report --project ${P} --run ${d.run.id} --format html --out run-${d.run.id}.html`);
  return lines.join('\n');
}

const limitations: SectionBuilder<RunReportData> = {
  id: 'limitations',
  title: 'Intended use and limitations',
  build(d) {
    const r = d.run;
    const ds = d.dataset?.summary;
    const items: string[] = [
      `Intended use: ranking or flagging sequences of the kind in "${esc(r.datasetName)}" (${r.classNames.map(esc).join(' vs ')}) for follow-up by a biologist. It is a research model, not a diagnostic.`,
      `The model only knows the classes it was trained on; a sequence of another kind still receives one of them, with a probability that does not measure how unusual it is.`,
    ];
    if (ds?.negatives) items.push(`Negatives were made by the "${esc(ds.negatives.strategy)}" strategy: test figures measure how well the model separates the positives from such negatives, which can be easier than real genomic background.`);
    if (ds) items.push(`Test figures are from ${int(ds.splits.test.sequences)} held-out sequences split by: ${esc(ds.split)}. A random split of overlapping or related sequences overstates performance on a new genome.`);
    if (r.mode !== 'full') items.push(`Fine-tuned with ${esc(r.mode)}: ${r.mode === 'probe' ? 'the encoder is unchanged, so the figures show what the pre-trained embeddings carry.' : 'only the adapters were trained.'}`);
    if (d.baseModel && d.baseModel.shape.parameters < 20e6) items.push(`The base model is small (${int(d.baseModel.shape.parameters)} parameters); a larger pre-trained model may do better.`);
    const missing = whatIsMissing(r);
    if (missing) items.push(`<b>Incomplete run:</b> ${esc(missing)}`);
    return [`<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`, '<h3>Reproduce this run</h3>', '<p>The exact commands (the same API the app uses) that rebuild the data, the model and the run from the original files:</p>', code(reproduceCommands(d))].join('\n');
  },
};

/** The run report's sections, in order. A new feature adds its builder here (before limitations). */
export const RUN_SECTIONS: readonly SectionBuilder<RunReportData>[] = [summary, data, model, training, evaluation, genomeSection, limitations];
