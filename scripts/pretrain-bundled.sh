#!/usr/bin/env bash
# Reproduces the two pre-trained models Loci ships in resources/models/ (loci-bpe-mini and
# loci-6mer-mini): fetches the corpus genomes (Debian's ragout-examples package + the shared data
# folder), pre-trains both models with `loci pretrain` (both at once: two wasm processes run side by
# side), then copies each model folder into resources/models/NAME.
#
#   scripts/pretrain-bundled.sh [bpe|6mer|6mer-more|both] [--resume]
# Environment: DATA (default ../shared/data), WORK (default /tmp/loci-pretrain), STEPS_BPE, STEPS_6MER,
# STEPS_6MER_MORE, BACKEND_MORE.
#
# loci-6mer-mini as shipped is two stages: `6mer` (240 steps from random weights, wasm) then
# `6mer-more` (continued pre-training of that folder for STEPS_6MER_MORE steps, human DNA weighted
# up; tfjs-node when it loads: `bash scripts/tfjs-node-from-wheel.sh` builds it, ~8x faster here).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHICH=${1:-both}
RESUME=${2:-}
DATA=${DATA:-$ROOT/../shared/data}
WORK=${WORK:-/tmp/loci-pretrain}
STEPS_BPE=${STEPS_BPE:-240}
STEPS_6MER=${STEPS_6MER:-240}
STEPS_6MER_MORE=${STEPS_6MER_MORE:-6000}
BACKEND_MORE=${BACKEND_MORE:-auto}
mkdir -p "$WORK"

# 1. Genomes of the corpus. ragout-examples (Debian, GPL-2+ package of public NCBI assemblies).
RAG=$WORK/ragout/usr/share/doc/ragout/examples
if [ ! -d "$RAG" ]; then
  (cd "$WORK" && apt-get download ragout-examples && dpkg-deb -x ragout-examples_*_all.deb ragout)
fi
. "$ROOT/scripts/corpus.sh"   # sets CORPUS (file:weight) and GENOMES (comma-joined)
# Record exactly what was used.
sha256sum "${CORPUS[@]%:*}" > "$WORK/corpus.sha256"

# The CLI (node + tsx from the checkout; `loci pretrain` in a built app is the same command).
LOCI=(node --import tsx "$ROOT/main/cli.ts")

run_bpe() {
  # DNABERT-2 architecture (ALiBi, GEGLU) with DNABERT-2's BPE tokenizer; random 15% token masking.
  "${LOCI[@]}" pretrain --genome "$GENOMES" --arch dnabert2 \
    --tokenizer "$DATA/tokenizers/dnabert2/tokenizer.json" \
    --layers 2 --hidden 128 --heads 4 --intermediate 512 --dropout 0 \
    --masking random --steps "$STEPS_BPE" --batch 32 --seq-len 128 --lr 1e-3 --warmup 12 \
    --eval-every 40 --eval-windows 64 --seed 42 --backend wasm \
    --out "$WORK/loci-bpe-mini" $RESUME > "$WORK/loci-bpe-mini.log" 2>&1
}
run_6mer() {
  # Classic BERT (learned positions) with DNABERT's overlapping 6-mers; RandomMask curriculum.
  "${LOCI[@]}" pretrain --genome "$GENOMES" --arch bert --tokenizer kmer:6 \
    --layers 2 --hidden 128 --heads 4 --intermediate 512 --dropout 0 \
    --masking randommask --steps "$STEPS_6MER" --batch 32 --seq-len 128 --lr 1e-3 --warmup 12 \
    --eval-every 40 --eval-windows 64 --seed 42 --backend wasm \
    --out "$WORK/loci-6mer-mini" $RESUME > "$WORK/loci-6mer-mini.log" 2>&1
}
run_6mer_more() {
  # Continued pre-training of the 240-step folder: the GUE tasks are human and mouse DNA, so the
  # one vertebrate genome of the corpus (1 Mb of human chr22) is drawn 4/12.6 of the time instead
  # of 1.5/10.1. One TensorFlow thread: the GUE runs beside it used the other core.
  [ -f "$WORK/loci-6mer-mini/model.safetensors" ] || run_6mer
  TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 "${LOCI[@]}" pretrain --genome "${GENOMES/22_20-21M.fa:1.5/22_20-21M.fa:4}" \
    --from "$WORK/loci-6mer-mini" --masking randommask --steps "$STEPS_6MER_MORE" --batch 32 --seq-len 128 \
    --lr 1e-3 --warmup 100 --eval-every 500 --checkpoint-every 250 --eval-windows 64 --seed 43 --backend "$BACKEND_MORE" \
    --out "$WORK/loci-6mer-mini-more" $RESUME > "$WORK/loci-6mer-mini-more.log" 2>&1
}
case "$WHICH" in
  bpe) run_bpe ;;
  6mer) run_6mer ;;
  6mer-more) run_6mer_more ;;
  both) run_bpe & { run_6mer && run_6mer_more; } & wait ;;
  install) ;;
  *) echo "usage: $0 [bpe|6mer|6mer-more|both|install] [--resume]" >&2; exit 2 ;;
esac

# 2. Copy the shipped files (no training state, no corpus cache) into resources/models.
for name in loci-bpe-mini loci-6mer-mini; do
  src=$WORK/$name
  # The 6-mer model ships after its continued stage when that ran.
  [ "$name" = loci-6mer-mini ] && [ -f "$WORK/loci-6mer-mini-more/model.safetensors" ] && src=$WORK/loci-6mer-mini-more
  [ -f "$src/config.json" ] || continue
  dst=$ROOT/resources/models/$name
  mkdir -p "$dst"
  for f in config.json model.safetensors tokenizer.json tokenizer_config.json vocab.txt loci-tokenizer.json loss_curve.csv; do
    [ -f "$src/$f" ] && cp "$src/$f" "$dst/$f"
  done
  cp "$WORK/corpus.sha256" "$dst/corpus.sha256"
done

# 3. Loss-curve pictures for the model cards (from each copied loss_curve.csv).
for name in loci-bpe-mini loci-6mer-mini; do
  dst=$ROOT/resources/models/$name
  [ -f "$dst/loss_curve.csv" ] || continue
  node --import tsx -e "
    import('$ROOT/main/engine/pretrain/loss-svg.ts').then(({ lossCurveSvg }) => {
      const fs = require('node:fs');
      fs.writeFileSync('$dst/loss_curve.svg', lossCurveSvg(fs.readFileSync('$dst/loss_curve.csv', 'utf8'), '$name: MLM pre-training'));
    });"
done
