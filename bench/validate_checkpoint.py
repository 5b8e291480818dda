"""Validate checkpoints exactly as training does, on a recipe's validation sources.

    python bench/validate_checkpoint.py CANDIDATE [CANDIDATE ...] [--recipe small-cpu]
        [--data ../shared/data] [--threads 2] [--json OUT] [--set KEY=VALUE ...]

A CANDIDATE is `label=FILE`, as in `bench/select_checkpoint.py` (a `.safetensors`, a training state
with `:raw` / `:average`, or `A+B` for the uniform average of several). Each is run through
`fosp_core.train.evaluate.validate` (long side `train.val_size`, threshold 0.5, fp32) on every
validation source of the recipe: for `small-cpu`, the scene-held-out SMOKE5K photos, the SmokeSeg
val images and the selection set. It prints the iteration tables and one summary line a candidate:
F_β by size, far-FP, crops flagged (pooled and per scene) and the SmokeSeg scores.

Use it to report a checkpoint that no training run validated (a weight average, an older default
scored with a newer metric). It does not choose: choosing on these numbers would be selecting on
the validation images; `bench/select_checkpoint.py` chooses on the selection set alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.select_checkpoint import load_candidate, open_validation  # noqa: E402

SCENE = "smoke5k-train[scene-val]"
SEG = "smokeseg-samples[val]"
SEL = "smokeseg-samples[train]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidates", nargs="+", metavar="CANDIDATE")
    parser.add_argument("--recipe", default="small-cpu")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="recipe override (repeatable), e.g. train.val_size=448: a measurement, not the recipe's")
    parser.add_argument("--json", type=Path, default=None, help="write {label: metrics} here")
    args = parser.parse_args()

    import torch

    from fosp_core.train.evaluate import validate

    cfg, sources = open_validation(args.recipe, args.data, args.threads, args.overrides)
    results = {}
    for spec in args.candidates:
        label, model = load_candidate(spec)
        metrics, tables = validate(model, sources, cfg, torch.device("cpu"))
        print(f"== {label}\n{tables}\n", flush=True)
        results[label] = metrics

    def pct(m: dict, key: str) -> str:
        v = m.get(key)
        return "–" if v is None or v != v else f"{100 * v:.1f}"

    print("| candidate | F_β scene-val | small | medium | large | far-FP % | crops flagged % | per scene % "
          "| F_β SmokeSeg val | F_β selection set |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, m in results.items():
        far = m.get(f"{SCENE}/total/far_fp")
        print(f"| {label} | **{pct(m, f'{SCENE}/total/f_beta')}** | {pct(m, f'{SCENE}/small/f_beta')} "
              f"| {pct(m, f'{SCENE}/medium/f_beta')} | {pct(m, f'{SCENE}/large/f_beta')} "
              f"| {'–' if far is None else f'{100 * far:.2f}'} | {pct(m, f'{SCENE}/total/crops_flagged')} "
              f"| {pct(m, f'{SCENE}/total/crops_flagged_scenes')} | {pct(m, f'{SEG}/total/f_beta')} "
              f"| {pct(m, f'{SEL}/total/f_beta')} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
