#!/usr/bin/env bash
# One lent GPU's minutes spent the way the 2-core machine moves the default: many short seeded
# continuations of it and their uniform weight average (docs/training.md, stages 8-20). On 2 cores a
# 300-iteration run takes 6 minutes and a stage affords six; a GPU runs PAR of them side by side.
#
# The recipe is stage 14's, the best measured on the split (from the default, 300 iterations,
# 192² crops of a 480 px copy then 256² of a 640 px copy, lr 1e-4, 20 warm-up, EMA 0.99), with
# the data mix the pack holds: real scene-train photos 0.45, early smoke composited on them 0.30,
# SMOKE5K's synthetic images 0.25 when the pack has some (else composited 0.55, ablation row cS),
# and with MINED=DIR the hard negatives (DIR/false-alarms.json, 0.30) and hard positives
# (DIR/misses.json, 0.15) of `fosp train-mine` over the scene-train photos.
#
#   python bench/pack_training_data.py ../shared/data .pack/data --max-side 640 --synthetic 600
#   mkdir -p .pack/mined && cp ~/.cache/fosp/mined/stage8-real.json .pack/mined/false-alarms.json \
#       && cp ~/.cache/fosp/mined/stage8-real-misses.json .pack/mined/misses.json
#   SEEDS="0 1 2 3 4 5 6 7 8 9 10 11" PAR=6 MINED=.pack/mined OUT=$OUT bash bench/gpu_soup.sh
#
# The runs validate only on the SmokeSeg images (the pack's scene-train photos hold no validation
# split); the soups are scored on the CPU machine with bench/validate_checkpoint.py, on the original
# photos. Writes into $OUT: soup-all.safetensors (every seed), soup-a / soup-b (the first and second
# half of SEEDS, the soup-to-soup spread of docs/training.md stage 16), each fp16, and runs.tar.gz
# with every run's log.jsonl, metrics.csv, config.toml and console log.
set -u
OUT=${OUT:?set OUT to the folder the results go to}
SEEDS=${SEEDS:-0 1 2 3 4 5 6 7 8 9 10 11}
PAR=${PAR:-6}
ITERS=${ITERS:-300}
DEVICE=${DEVICE:-cuda}
WORKERS=${WORKERS:-2}
DATA=${DATA:-.pack/data}
INIT=${INIT:-resources/models/fosp-default.safetensors}
NAME=${NAME:-gpu-soup}
MINED=${MINED:-}
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-/tmp/fosp-cache}
RUNS=$XDG_CACHE_HOME/fosp/runs
PY=${PY:-python3}

if ls "$DATA/smoke5k-train/img" 2>/dev/null | grep -qE '^[0-9]+_[0-9]+\.jpg$'; then  # SMOKE5K synthetic names
    MIX='{path = "smoke5k-train", split = "scene-train", weight = 0.45}, {path = "smoke5k-train", subset = "synthetic", weight = 0.25}, {path = "smoke5k-train", split = "scene-train", kind = "synthetic", weight = 0.30}'
else
    MIX='{path = "smoke5k-train", split = "scene-train", weight = 0.45}, {path = "smoke5k-train", split = "scene-train", kind = "synthetic", weight = 0.55}'
fi
if [ -n "$MINED" ]; then
    MIX="$MIX, {path = \"smoke5k-train\", split = \"scene-train\", weight = 0.30, hard_negatives = \"$MINED/false-alarms.json\"}, {path = \"smoke5k-train\", split = \"scene-train\", weight = 0.15, hard_positives = \"$MINED/misses.json\"}"
fi
echo "data.train=[$MIX]"

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
run_one() {  # seed
    $PY -m fosp_core train small-cpu "name=$NAME-s$1" "data.root=$DATA" "data.train=[$MIX]" \
        'data.val=[{path = "smokeseg-samples", split = "val"}, {path = "smokeseg-samples", split = "train"}]' \
        "model.init_from=$INIT" data.crop=256 'data.crop_schedule=[[0, 192], [150, 256]]' \
        "data.workers=$WORKERS" "train.device=$DEVICE" train.threads=2 optim.lr=1e-4 optim.warmup_iters=20 \
        "train.seed=$1" train.ema_decay=0.99 "train.iterations=$ITERS" train.val_every=0 \
        "train.save_every=$ITERS" train.log_every=50 --quiet >"$OUT/$NAME-s$1.log" 2>&1
    echo "seed $1 exit $? $(date +%T)"
}
start=$(date +%s)
running=0
for seed in $SEEDS; do
    run_one "$seed" &
    running=$((running + 1))
    if [ "$running" -ge "$PAR" ]; then wait -n; running=$((running - 1)); fi
done
wait
echo "trained $(echo $SEEDS | wc -w) runs in $(( $(date +%s) - start )) s"

soup() {  # file, seeds...
    local out=$1 first=$2 args=()
    shift 2
    for seed in "$@"; do args+=(--soup "$RUNS/$NAME-s$seed"); done
    $PY -m fosp_core train-export "$RUNS/$NAME-s$first" "$OUT/$out" "${args[@]}" >/dev/null 2>&1 \
        && echo "exported $out" || echo "export of $out failed"
}
read -r -a all <<<"$SEEDS"
half=$(( ${#all[@]} / 2 ))
soup soup-all.safetensors "${all[@]}"
if [ "$half" -ge 2 ]; then
    soup soup-a.safetensors "${all[@]:0:half}"
    soup soup-b.safetensors "${all[@]:half}"
fi
stage=$(mktemp -d)
for seed in "${all[@]}"; do
    mkdir -p "$stage/$NAME-s$seed"
    cp "$RUNS/$NAME-s$seed"/{log.jsonl,metrics.csv,config.toml} "$stage/$NAME-s$seed/" 2>/dev/null
done
cp "$OUT"/*.log "$stage/" && rm -f "$OUT"/*.log
tar -czf "$OUT/runs.tar.gz" -C "$stage" .
ls -la "$OUT"
