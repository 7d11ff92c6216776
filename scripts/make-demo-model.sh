#!/usr/bin/env bash
# Makes the demo's fine-tuned model and example annotations in resources/demo/, with the `loci`
# command alone, on a temporary data folder (the slow part of `scripts/make-demo.sh`; ~5-10 min on
# 2 CPU cores, wasm backend):
#   1. `loci demo --data-only`: the demo project exactly as the app makes it on first start
#      (genome, prodigal start sites, the dataset of dataset-spec.json);
#   2. `loci finetune`: loci-bpe-mini fine-tuned on that dataset with the model's card defaults
#      (lr 5e-4, batch 32, 600 steps, warm-up 30, dev every 50, lowest-dev-loss checkpoint), seed 42;
#   3. `loci scan`: the fine-tuned model over the first 200 kb (the region the app scans on first
#      start), threshold from the dev set;
#   4. example annotations picked from that scan: the prodigal start sites it misses most clearly
#      (class gene_start) and the called regions farthest from any start site (class background),
#      written by `loci annotations import` + `loci annotations export` (GFF3, notes say why);
#   5. `loci models export` into model/ (less loci_dnabert2.py, which every export takes from
#      resources/python), plus demo-model.json (test metrics, settings, commands) and the model
#      card README.md written from it (scripts/demo-model-card.mjs).
# Usage: bash scripts/make-demo-model.sh [out-dir]   (default: resources/demo next to this script)
# Needs: node (the repository's node_modules), awk, sort. LOCI_DEMO_WORK=DIR keeps the work folder
# there (and reuses a finished fine-tune found in it) instead of a temporary one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="${1:-$root/resources/demo}"
out="$(cd "$out" && pwd)"
if [[ -n "${LOCI_DEMO_WORK:-}" ]]; then
  work="$LOCI_DEMO_WORK"; mkdir -p "$work"
else
  work="$(mktemp -d /tmp/loci-demo-model.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
fi

BASE_MODEL=loci-bpe-mini
SEED=42
BACKEND=wasm            # the same on every machine (a GPU backend would give other floats)
SCAN_CHROM=K-12-MG1655
SCAN_END=200000         # the app's first-start scan: the first 200 kb (main/api/demo.ts, DEMO_SCAN_BP)
PICK=3                  # annotations of each kind
RUN_NAME="demo gene-start classifier"

loci() { (cd "$root" && node --import tsx main/cli.ts --data-dir "$work/home" "$@"); }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }

for f in ecoli-k12-mg1655.fa.gz prodigal-start-sites.bed dataset-spec.json; do
  [[ -f "$out/$f" ]] || { echo "make-demo-model: $out/$f is missing: run scripts/make-demo.sh first" >&2; exit 1; }
done

start=$(date +%s)
project="$(loci demo --data-only --resources "$out")"
echo "make-demo-model: project $project"
dataset="$(loci dataset list --project "$project" --json | json 'v[0].name')"

# 2. Fine-tune (skipped when a finished run of that name is there: LOCI_DEMO_WORK reuse).
run_id="$(loci runs list --project "$project" --json | json "(v.find(r => r.name === '$RUN_NAME' && r.state === 'done') || {}).id || ''")"
if [[ -z "$run_id" ]]; then
  loci models list --project "$project" --json | json "v.some(m => m.name === '$BASE_MODEL')" | grep -q true || loci models add "$BASE_MODEL" --project "$project" >/dev/null
  t0=$(date +%s)
  loci finetune --project "$project" --dataset "$dataset" --model "$BASE_MODEL" --name "$RUN_NAME" --seed "$SEED" --backend "$BACKEND" --quiet
  echo "make-demo-model: fine-tuned in $(( $(date +%s) - t0 )) s"
  run_id="$(loci runs list --project "$project" --json | json "v.find(r => r.name === '$RUN_NAME' && r.state === 'done').id")"
fi
loci runs show "$run_id" --project "$project" --json > "$work/run.json"

# 3. Scan the first 200 kb with the run's model (window and threshold from the run's dataset).
loci scan --project "$project" --run "$run_id" --region "$SCAN_CHROM:1-$SCAN_END" --backend "$BACKEND" --quiet --json > "$work/scan.json"
scan_id="$(json 'v.id' < "$work/scan.json")"
threshold="$(json 'v.thresholds[0].threshold' < "$work/scan.json")"
loci scans export "$scan_id" --project "$project" --out "$work/called.bed" >/dev/null
loci scans export "$scan_id" --project "$project" --out "$work/scores.bedgraph" >/dev/null

# 4. Example annotations. Missed: start sites in the region whose per-base score is lowest (below
#    the threshold). False positives: called regions with no start site within 150 bp (the
#    dataset's negative margin), highest peak first. Ties break on position, so the pick is stable.
awk -v end="$SCAN_END" -v chrom="$SCAN_CHROM" '$1 == chrom && $2 < end' "$out/prodigal-start-sites.bed" > "$work/sites.bed"
awk -F'\t' -v thr="$threshold" -v pick="$PICK" '
  FNR == 1 { file++ }
  file == 1 { s[++n] = $2; id[n] = $4; next }                  # sites (sorted by position)
  file == 2 { bs[++m] = $2; be[m] = $3; bv[m] = $4; next }       # bedGraph intervals (sorted)
  END {
    j = 1
    for (i = 1; i <= n; i++) {
      while (j <= m && be[j] <= s[i]) j++
      if (j <= m && bs[j] <= s[i] && bv[j] < thr) printf "%.6f\t%d\t%s\n", bv[j], s[i], id[i]
    }
  }' "$work/sites.bed" "$work/scores.bedgraph" | sort -k1,1g -k2,2n | head -n "$PICK" > "$work/missed.tsv"
awk -F'\t' -v pick="$PICK" '
  FNR == 1 { file++ }
  file == 1 { s[++n] = $2; next }
  file == 2 {
    near = 0
    for (i = 1; i <= n; i++) if (s[i] >= $2 - 150 && s[i] < $3 + 150) { near = 1; break }
    if (!near) printf "%s\t%d\t%d\t%s\n", ($5 == "" ? 0 : $5), $2, $3, $4
  }' "$work/sites.bed" "$work/called.bed" | sort -k1,1gr -k2,2n | head -n "$PICK" > "$work/false-pos.tsv"

{
  echo "##gff-version 3"
  awk -F'\t' -v c="$SCAN_CHROM" -v thr="$threshold" 'BEGIN { OFS = "\t" }
    { printf "%s\tLoci\tregion\t%d\t%d\t.\t.\t.\tclass=gene_start;Note=prodigal start site %s%%2C scored %.3f by the demo model (threshold %.3f): missed\n", c, $2 - 99, $2 + 100, $3, $1, thr }' "$work/missed.tsv"
  awk -F'\t' -v c="$SCAN_CHROM" -v thr="$threshold" 'BEGIN { OFS = "\t" }
    { printf "%s\tLoci\tregion\t%d\t%d\t.\t.\t.\tclass=background;Note=called by the demo model (threshold %.3f) with no prodigal start site within 150 bp\n", c, $2 + 1, $3, thr }' "$work/false-pos.tsv"
} > "$work/picked.gff3"
[[ $(grep -vc '^#' "$work/picked.gff3") -ge 2 ]] || { echo "make-demo-model: the scan gave too few examples to annotate ($work/picked.gff3)" >&2; exit 1; }
# Through Loci itself, so the shipped file is what `loci annotations export` writes (and imports cleanly).
loci annotations list --project "$project" --json | json 'v.total' | grep -qx 0 || { echo "make-demo-model: the work project already has annotations: use a fresh LOCI_DEMO_WORK" >&2; exit 1; }
loci annotations import "$work/picked.gff3" --project "$project" >/dev/null
loci annotations export "$work/example-annotations.gff3" --project "$project" >/dev/null

# 5. The model folder and its figures.
model_name="$(json 'v.outputModel ? v.outputModel.name : v.name' < "$work/run.json")"
rm -rf "$work/model"
loci models export "$model_name" --project "$project" --out "$work/model" >/dev/null
node -e '
const fs = require("fs");
const [run, scan, seed, backend, base, scanEnd, chrom, secs] = [JSON.parse(fs.readFileSync(process.argv[1])), JSON.parse(fs.readFileSync(process.argv[2])), +process.argv[3], process.argv[4], process.argv[5], +process.argv[6], process.argv[7], +process.argv[8]];
const out = {
  name: "Demo gene-start classifier",
  baseModel: base,
  dataset: run.datasetName,
  classes: run.classNames,
  window: scan.settings.window,
  seed, backend,
  settings: run.settings,
  test: run.test && (({ roc, pr, ...t }) => t)(run.test),
  bestStep: run.bestStep,
  bestDevLoss: run.bestDevLoss,
  bestDevMcc: (run.dev.find((d) => d.step === run.bestStep) || {}).mcc ?? null,
  trainingSeconds: Math.round((Date.parse(run.endedAt) - Date.parse(run.createdAt)) / 1000),
  trainingTokensPerSecond: Math.round(run.throughput.tokensPerSecond),
  scan: { region: `${chrom}:1-${scanEnd}`, threshold: scan.thresholds[0] ?? null, runtimeSeconds: scan.runtimeSeconds },
  madeBy: "bash scripts/make-demo-model.sh",
  totalSeconds: secs,
};
fs.writeFileSync(process.argv[9], JSON.stringify(out, null, 2) + "\n");
' "$work/run.json" "$work/scan.json" "$SEED" "$BACKEND" "$BASE_MODEL" "$SCAN_END" "$SCAN_CHROM" "$(( $(date +%s) - start ))" "$work/model/demo-model.json"
# Its model card, from those figures (in place of the generated "no model card" text).
node "$here/demo-model-card.mjs" "$work/model" "$out/dataset-spec.json"

# Loci's PyTorch module is not kept in the demo folder: it is a byte copy of resources/python's,
# and `loci models export` adds that one to every DNABERT-2 export (config.json's auto_map names it).
rm -f "$work/model/loci_dnabert2.py"
rm -rf "$out/model"
cp -r "$work/model" "$out/model"
chmod 644 "$out/model"/*
cp "$work/example-annotations.gff3" "$out/example-annotations.gff3"
echo "make-demo-model: wrote $out/model and $out/example-annotations.gff3 in $(( $(date +%s) - start )) s"
node -e 'const m=require(process.argv[1]);console.log("  test:", JSON.stringify(m.test));console.log("  scan threshold:", JSON.stringify(m.scan.threshold))' "$out/model/demo-model.json"
du -ch "$out/model"/* "$out/example-annotations.gff3" | tail -1
