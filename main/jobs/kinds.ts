// The product's job kinds. Each kind's module calls registerJobKind (or registerLazyJobKind) when
// imported; add one import line per module here, e.g. `import '../engine/jobs/finetune';`.
// Test-only kinds are never imported here: tests name their module in LOCI_JOB_MODULES.
import '../engine/pretrain/job';
// Fine-tuning runs (stored by main/api/training.ts).
import '../engine/finetune/job';
// Genome and region imports and dataset builds (their results are stored by main/api/data-jobs.ts).
import '../genome/job';
import '../datasets/job';
// Genome scans (stored by main/api/scans.ts).
import '../scan/job';
// GUE benchmarks from the Models page (main/api/benchmarks.ts).
import '../engine/gue/job';
// In-silico mutagenesis and variant effects (stored by main/api/interpret.ts).
import '../interpret/job';
