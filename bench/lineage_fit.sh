#!/usr/bin/env bash
# The default's lineage again, trained on scene-fit only, so that the pick pool (stage 32) ranks
# every continuation of it honestly, recall included (docs/training.md, "What the pick pool is
# good for now"). Resumable: run it again after a stop and it skips finished stages and resumes a
# partial one from its last.pt. About 3.5 h of 2 CPU cores in fp32; minutes on a GPU.
#
#   bash bench/lineage_fit.sh [DATA]      (DATA: the shared data folder, default ../shared/data)
#
# Stages as the default's (docs/training.md, "What this recipe measured"): the inpainter (800
# iterations), stage 1 (2000, lr 6e-4, 200 warm-up), stage 2 (900, 2e-4, 50, seed 1), stage 3 (500,
# 1e-4, 30, seed 2), stage 4 (1200, 1.5e-4, 50, seed 3), each from the previous stage's last raw
# weights; then stage 8's recipe, seven 300-iteration continuations of stage 4 (seeds 0-6), and
# their uniform soup in ~/.cache/fosp/lineage-fit/stage8-fit.safetensors.
#
# Progress that must outlive the machine is committed in bench/lineage-fit/ (fp16): when the cache
# lacks a stage's weights, the soup or the inpainter, the committed copy is used and nothing before
# it is trained again (see RESUME below). Since session 19 the soup itself is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(realpath "${1:-../shared/data}")
OUT=~/.cache/fosp/lineage-fit
RUNS=~/.cache/fosp/runs
RESUME=bench/lineage-fit
mkdir -p "$OUT"
FIT_MIX='[{path="smoke5k-train", split="scene-fit", weight=0.45}, {path="smoke5k-train", subset="synthetic", weight=0.25}, {path="smoke5k-train", split="scene-fit", kind="synthetic", weight=0.30}]'

finished() {  # $1 run name, $2 iterations: true when the run's log reached them
  [ -f "$RUNS/$1/last.pt" ] && grep -q "\"iteration\": $2" "$RUNS/$1/log.jsonl" 2>/dev/null
}

train() {  # $1 command (train | train-inpainter), $2 recipe, $3 run name, $4 iterations, rest: overrides
  local cmd=$1 recipe=$2 name=$3 iters=$4
  shift 4
  finished "$name" "$iters" && return 0
  local resume=()
  [ -f "$RUNS/$name/last.pt" ] && resume=(--resume)
  python -m fosp_core "$cmd" "${resume[@]}" "$recipe" name="$name" data.root="$DATA" train.iterations="$iters" \
    "$@" >> "$OUT/$name.log" 2>&1
}

raw_weights() {  # $1 run name -> $OUT/$1.safetensors, the last raw weights
  [ -f "$OUT/$1.safetensors" ] || python -m fosp_core train-export "$RUNS/$1" "$OUT/$1.safetensors" \
    --state "$RUNS/$1/last.pt" --weights raw >> "$OUT/$1.log" 2>&1
}

exported() {  # $1 stage run name: true when its weights are at hand, from the cache or committed
  [ -f "$OUT/$1.safetensors" ] && return 0
  [ -f "$RESUME/$1.safetensors" ] || return 1
  cp "$RESUME/$1.safetensors" "$OUT/$1.safetensors" && echo "$1: the committed weights in $RESUME"
}

if exported stage8-fit; then  # the soup at hand (cached, or committed in session 19): nothing to train
  echo "lineage on scene-fit done: $OUT/stage8-fit.safetensors"
  exit 0
fi

STAGES=(fosp-s-fit-l1 fosp-s-fit-l2 fosp-s-fit-l3 fosp-s-fit-l4)

stage() {  # like train, then raw_weights; skipped when its weights or a later stage's are at hand
  local later=0 name
  for name in "${STAGES[@]}"; do
    [ "$name" = "$3" ] && later=1
    [ "$later" = 1 ] && exported "$name" && return 0
  done
  train "$@"
  raw_weights "$3"
}

INPAINTER=$RUNS/inpainter-fit/best.safetensors
if [ ! -f "$INPAINTER" ] && [ -f "$RESUME/inpainter-fit.safetensors" ]; then
  INPAINTER=$(realpath "$RESUME/inpainter-fit.safetensors")
else
  train train-inpainter inpainter-small inpainter-fit 800 "data.train=[{path=\"smoke5k-train\", split=\"scene-fit\"}]"
fi

common=(data.crop=256 model.inpainter="$INPAINTER" "data.train=$FIT_MIX")
stage train small-cpu fosp-s-fit-l1 2000 "${common[@]}" optim.warmup_iters=200 train.val_every=1000
stage train small-cpu fosp-s-fit-l2 900 "${common[@]}" model.init_from="$OUT/fosp-s-fit-l1.safetensors" \
  optim.lr=2e-4 optim.warmup_iters=50 train.seed=1 train.val_every=900
stage train small-cpu fosp-s-fit-l3 500 "${common[@]}" model.init_from="$OUT/fosp-s-fit-l2.safetensors" \
  optim.lr=1e-4 optim.warmup_iters=30 train.seed=2 train.val_every=500
stage train small-cpu fosp-s-fit-l4 1200 "${common[@]}" model.init_from="$OUT/fosp-s-fit-l3.safetensors" \
  optim.lr=1.5e-4 optim.warmup_iters=50 train.seed=3 train.val_every=1200

soup=()
for K in 0 1 2 3 4 5 6; do
  train train small-cpu "fosp-s-fit-l8-s$K" 300 "${common[@]}" model.init_from="$OUT/fosp-s-fit-l4.safetensors" \
    "data.crop_schedule=[[0, 192], [150, 256]]" optim.lr=1e-4 optim.warmup_iters=20 train.seed=$K \
    train.ema_decay=0.99 train.val_every=0 train.save_every=300
  [ "$K" -gt 0 ] && soup+=(--soup "$RUNS/fosp-s-fit-l8-s$K")
done
[ -f "$OUT/stage8-fit.safetensors" ] || python -m fosp_core train-export "$RUNS/fosp-s-fit-l8-s0" \
  "$OUT/stage8-fit.safetensors" "${soup[@]}" >> "$OUT/stage8-fit.log" 2>&1
echo "lineage on scene-fit done: $OUT/stage8-fit.safetensors"
