#!/usr/bin/env bash
# Stage 34 of docs/training.md, resumable: the input size and stage 14's recipe chosen on the pick
# pool by the scene-fit lineage, then validated once on the product's lineage, then the report.
# Run after bench/lineage_fit.sh has written ~/.cache/fosp/lineage-fit/stage8-fit.safetensors:
#
#   bash bench/stages/stage34.sh [DATA]      (DATA: the shared data folder, default ../shared/data)
#
# About 45 min of 2 CPU cores for the four runs, 10 for the scores; every step skips what is done.
set -euo pipefail
cd "$(dirname "$0")/../.."
D=$(realpath "${1:-../shared/data}")
M=~/.cache/fosp/mined
R=~/.cache/fosp/runs
L=~/.cache/fosp/lineage-fit
F=$L/stage8-fit.safetensors
mkdir -p "$L"
[ -f "$F" ] || [ ! -f bench/lineage-fit/stage8-fit.safetensors ] || cp bench/lineage-fit/stage8-fit.safetensors "$F"
[ -f "$F" ] || { echo "no $F yet: finish bench/lineage_fit.sh first"; exit 1; }
[ -f $M/stage8-fit-real.json ] || python -m fosp_core train-mine "$F" $M/stage8-fit-real.json --data-root $D --source 0 --quiet
[ -f $M/stage8-fit-real-misses.json ] || python -m fosp_core train-mine "$F" $M/stage8-fit-real-misses.json --data-root $D --source 0 --misses --quiet
run() {  # $1 name, $2 seed
  [ -f $R/$1/last.pt ] && grep -q '"iteration": 300' $R/$1/log.jsonl 2>/dev/null && return
  local resume=(); [ -f $R/$1/last.pt ] && resume=(--resume)
  python -m fosp_core train "${resume[@]}" small-cpu name=$1 data.root=$D \
    model.init_from=$F data.crop=256 \
    "data.crop_schedule=[[0, 192], [150, 256]]" optim.lr=1e-4 optim.warmup_iters=20 train.seed=$2 \
    train.ema_decay=0.99 train.iterations=300 train.val_every=0 train.save_every=300 \
    "data.train=[{path=\"smoke5k-train\", split=\"scene-fit\", weight=0.45}, {path=\"smoke5k-train\", subset=\"synthetic\", weight=0.25}, {path=\"smoke5k-train\", split=\"scene-fit\", kind=\"synthetic\", weight=0.30}, {path=\"smoke5k-train\", split=\"scene-fit\", weight=0.30, hard_negatives=\"$M/stage8-fit-real.json\"}, {path=\"smoke5k-train\", split=\"scene-fit\", weight=0.15, hard_positives=\"$M/stage8-fit-real-misses.json\"}]" \
    >> ~/.cache/fosp/$1.log 2>&1
}
for K in 0 1 2 3; do run fosp-s-fit-s34-s$K $K; done
[ -f $L/s14-fit.safetensors ] || python -m fosp_core train-export $R/fosp-s-fit-s34-s0 $L/s14-fit.safetensors \
  --soup $R/fosp-s-fit-s34-s1 --soup $R/fosp-s-fit-s34-s2 --soup $R/fosp-s-fit-s34-s3 >> $L/s14-fit.log 2>&1
for W in stage8-fit s14-fit; do for N in 416 448 480 512; do
  J=~/.cache/fosp/s34-$W-$N-pick.json
  [ -f $J ] || python bench/decision_rules.py "$W-$N=$L/$W.safetensors@$N" --pool pick --rules plain \
    --data $D --json $J > ~/.cache/fosp/s34-$W-$N-pick.log 2>&1
done; done
touch ~/.cache/fosp/s34-pick.done
echo "stage 34 pick scores done"
python bench/stages/stage34_choose.py | tee ~/.cache/fosp/s34-choice.md
read -r W N < ~/.cache/fosp/s34-chosen.txt
S32A="$R/fosp-s-cpu-s32a-s0/last.pt:average+$R/fosp-s-cpu-s32a-s1/last.pt:average+$R/fosp-s-cpu-s32a-s2/last.pt:average+$R/fosp-s-cpu-s32a-s3/last.pt:average"
product() {  # $1 fit weights name -> the product-side spec
  if [ "$1" = stage8-fit ]; then echo resources/models/fosp-default.safetensors; else echo "$S32A"; fi
}
# rule 5: the chosen setting validated once (nothing when stage8-fit at 512 is chosen)
if ! { [ "$W" = stage8-fit ] && [ "$N" = 512 ]; }; then
  J=~/.cache/fosp/s34-chosen-val.json
  [ -f $J ] || python bench/decision_rules.py "s34-$W-$N=$(product $W)@$N" --pool val --pool seg-val --rules plain \
    --data $D --json $J > ~/.cache/fosp/s34-chosen-val.log 2>&1
fi
touch ~/.cache/fosp/s34-validated.done
# rule 6: the report, every product-side setting on scene-val (after the choice is validated)
for W2 in stage8-fit s14-fit; do for N2 in 416 448 480 512; do
  J=~/.cache/fosp/s34-report-$W2-$N2.json
  [ -f $J ] || python bench/decision_rules.py "p-$W2-$N2=$(product $W2)@$N2" --pool val --pool seg-val --rules plain \
    --data $D --json $J > ~/.cache/fosp/s34-report-$W2-$N2.log 2>&1
done; done
touch ~/.cache/fosp/s34-report.done
echo "stage 34 done"
