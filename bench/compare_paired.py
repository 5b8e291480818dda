"""Is candidate B better than A on the scene-held-out split, or is it noise? A paired comparison.

    python bench/compare_paired.py A_LABEL=FILE B_LABEL=FILE [--data ../shared/data] [--boot 2000] [--set KEY=VALUE ...]

Each CANDIDATE is `label=FILE`, as in `bench/validate_checkpoint.py` (a `.safetensors`, a training
state with `:raw` / `:average`, or `A+B` for a uniform soup). Both are run on the first validation
source of the recipe (for `small-cpu`, the 164 scene-held-out SMOKE5K photos) exactly as validation
runs them (long side `train.val_size`, threshold 0.5, fp32). For each photo it keeps F_β (β² = 0.3)
and the smoke-free crops flagged, then reports B − A: per-image F_β (overall and by size bucket)
and the pooled share of crops flagged, each with a 95 % interval from a bootstrap that resamples
**scenes**, not photos (the frames of one scene are not independent: the scene map of
`fosp_core/configs/splits/smoke5k-scene-val-scenes.txt`). An interval that holds 0 says the split
cannot tell A and B apart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.select_checkpoint import load_candidate, open_validation  # noqa: E402


def per_image(model, source, cfg) -> dict[str, tuple[str, float, int, int]]:  # noqa: ANN001
    """{image id: (bucket, F_β, crops flagged, crops)} of one model on one source."""
    import contextlib

    import torch

    from fosp_core.metrics import MetricAccumulator
    from fosp_core.train.data import iter_eval_samples, resize_for_eval
    from fosp_core.train.evaluate import predict_probability

    acc = MetricAccumulator("smokeseg", threshold=0.5, false_alarms=True, scene_of=source.scene_of)
    out = {}
    model.eval()
    for _, sample in iter_eval_samples([source]):
        h, w = sample.mask.shape
        prob = predict_probability(model, resize_for_eval(sample.image, cfg.train.val_size), (h, w),
                                   torch.device("cpu"), contextlib.nullcontext)
        rec = acc.add(prob, sample.mask, sample.id)
        crops = rec.get("crops")
        flagged, total = (int(crops[0]), int(crops[1])) if crops is not None else (0, 0)
        out[sample.id] = (rec["bucket"], float(rec["f_beta"]), flagged, total)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", metavar="A")
    parser.add_argument("b", metavar="B")
    parser.add_argument("--recipe", default="small-cpu")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--boot", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="recipe override (repeatable), e.g. train.val_size=448: a measurement, not the recipe's")
    args = parser.parse_args()

    cfg, sources = open_validation(args.recipe, args.data, args.threads, args.overrides)
    source = sources[0]
    labels, scores = [], []
    for spec in (args.a, args.b):
        label, model = load_candidate(spec)
        labels.append(label)
        scores.append(per_image(model, source, cfg))
    ids = [i for i in scores[0] if i in scores[1]]
    scene_of = source.scene_of or {}
    scenes = sorted({scene_of.get(i, i) for i in ids})
    index = {s: [i for i in ids if scene_of.get(i, i) == s] for s in scenes}
    rng = np.random.default_rng(0)
    draws = [rng.integers(len(scenes), size=len(scenes)) for _ in range(args.boot)]

    def stat(fn) -> tuple[float, float, float]:  # noqa: ANN001
        """(value, low, high): fn over a list of ids, on the split and on scene resamples."""
        value = fn(ids)
        boot = [fn([i for k in d for i in index[scenes[k]]]) for d in draws]
        boot = [b for b in boot if b == b]
        lo, hi = np.percentile(boot, [2.5, 97.5]) if boot else (np.nan, np.nan)
        return value, float(lo), float(hi)

    def fbeta_diff(bucket: str | None):  # noqa: ANN202
        def fn(sel: list[str]) -> float:
            sel = [i for i in sel if bucket is None or scores[0][i][0] == bucket]
            if not sel:
                return float("nan")
            return 100 * float(np.mean([scores[1][i][1] - scores[0][i][1] for i in sel]))
        return fn

    def crops_diff(sel: list[str]) -> float:
        tot = sum(scores[0][i][3] for i in sel)
        if not tot:
            return float("nan")
        return 100 * (sum(scores[1][i][2] for i in sel) - sum(scores[0][i][2] for i in sel)) / tot

    def mean_of(k: int, bucket: str | None) -> float:
        sel = [i for i in ids if bucket is None or scores[0][i][0] == bucket]
        return 100 * float(np.mean([scores[k][i][1] for i in sel])) if sel else float("nan")

    print(f"{len(ids)} photos in {len(scenes)} scenes; B = {labels[1]}, A = {labels[0]}; "
          f"95 % intervals from {args.boot} scene resamples\n")
    print(f"| score | {labels[0]} | {labels[1]} | B − A | 95 % interval |")
    print("|---|---|---|---|---|")
    for name, bucket in (("F_β", None), ("F_β small", "small"), ("F_β medium", "medium"), ("F_β large", "large")):
        v, lo, hi = stat(fbeta_diff(bucket))
        print(f"| {name} | {mean_of(0, bucket):.1f} | {mean_of(1, bucket):.1f} | {v:+.1f} | {lo:+.1f} … {hi:+.1f} |")
    v, lo, hi = stat(crops_diff)
    tot = sum(scores[0][i][3] for i in ids)
    shares = [100 * sum(scores[k][i][2] for i in ids) / tot if tot else float("nan") for k in (0, 1)]
    print(f"| crops flagged % | {shares[0]:.1f} | {shares[1]:.1f} | {v:+.1f} | {lo:+.1f} … {hi:+.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
