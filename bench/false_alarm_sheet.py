"""What a model flags where there is no smoke: a contact sheet of the flagged smoke-free crops.

    python bench/false_alarm_sheet.py [--checkpoint resources/models/fosp-default.safetensors]
        [--data ../shared/data] [--out docs/images/false-alarms.jpg] [--threads 2]

Runs the model on the scene-held-out validation photos exactly as validation does (long side 512,
threshold 0.5), takes the same smoke-free 256 px crops that the "crops flagged" score counts
(`fosp_core.metrics.false_alarm.smoke_free_crops`), and draws every flagged one with its flagged
pixels tinted red, sorted by the share flagged; prints a table of them, and the flagged share per
scene (`fosp_core/configs/splits/smoke5k-scene-val-scenes.txt`), whose mean is the per-scene score.
Use it to see what the false alarms are (cloud, haze, glare, terrain) before choosing how to train
them away.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.metrics.false_alarm import CROP, MAX_FLAGGED, smoke_free_crops  # noqa: E402

TILE = 192


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", type=Path, default=ROOT / "resources" / "models" / "fosp-default.safetensors")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "false-alarms.jpg")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--columns", type=int, default=6)
    args = parser.parse_args()

    import torch

    from fosp_core.checkpoint import load_checkpoint
    from fosp_core.data.splits import read_scene_map
    from fosp_core.train.config import load_config
    from fosp_core.train.data import iter_eval_samples, open_sources, resize_for_eval
    from fosp_core.train.evaluate import predict_probability

    if not (args.data / "smoke5k-train").is_dir():
        print(f"no SMOKE5K folder under {args.data} (pass --data)", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    cfg = load_config("small-cpu", [f"data.root={args.data.resolve()}"])
    cfg.data.val = cfg.data.val[:1]  # the scene-held-out SMOKE5K photos
    model = load_checkpoint(args.checkpoint).eval()
    flagged: list[tuple[float, str, np.ndarray]] = []
    total = 0
    scene_of = read_scene_map()
    per_scene: dict[str, list[int]] = {}  # scene -> [flagged crops, crops, images]
    with torch.no_grad():
        for index, (_, sample) in enumerate(iter_eval_samples(open_sources(cfg, "val"))):
            assert sample.mask is not None
            h, w = sample.mask.shape
            prob = predict_probability(model, resize_for_eval(sample.image, cfg.train.val_size), (h, w),
                                       torch.device("cpu"), contextlib.nullcontext)
            pred = prob > 0.5
            counts = per_scene.setdefault(scene_of.get(sample.id, sample.id), [0, 0, 0])
            counts[2] += 1
            # the crops validation counts: MetricAccumulator seeds image k's draw with k
            for y, x in smoke_free_crops(sample.mask, seed=index):
                total += 1
                counts[1] += 1
                share = float(pred[y:y + CROP, x:x + CROP].mean())
                if share > MAX_FLAGGED:
                    counts[0] += 1
                    tile = sample.image[y:y + CROP, x:x + CROP].copy()
                    hit = pred[y:y + CROP, x:x + CROP]
                    tile[hit] = (0.45 * tile[hit] + 0.55 * np.array([255, 40, 40])).astype(np.uint8)
                    flagged.append((share, f"{sample.id} ({x},{y})", cv2.resize(tile, (TILE, TILE))))
    flagged.sort(key=lambda t: -t[0])
    print(f"{args.checkpoint.name}: {len(flagged)} of {total} smoke-free crops flagged "
          f"({100 * len(flagged) / max(total, 1):.1f} %)\n")
    print("| share flagged | image (crop x, y) |\n|---|---|")
    for share, name, _ in flagged:
        print(f"| {100 * share:.1f} % | {name} |")
    scored = {k: v for k, v in per_scene.items() if v[1]}
    print(f"\nper scene ({len(scored)} scenes with smoke-free crops; mean of the flagged shares "
          f"{100 * float(np.mean([f / n for f, n, _ in scored.values()])):.1f} %)\n")
    print("| scene (first image) | images | crops | flagged |\n|---|---|---|---|")
    for scene, (f, n, k) in sorted(scored.items(), key=lambda kv: (-kv[1][0] / kv[1][1], kv[0])):
        print(f"| {scene} | {k} | {n} | {f} ({100 * f / n:.0f} %) |")
    if flagged:
        cols = args.columns
        rows = (len(flagged) + cols - 1) // cols
        sheet = np.full((rows * (TILE + 4), cols * (TILE + 4), 3), 32, np.uint8)
        for k, (share, _, tile) in enumerate(flagged):
            r, c = divmod(k, cols)
            y0, x0 = r * (TILE + 4), c * (TILE + 4)
            sheet[y0:y0 + TILE, x0:x0 + TILE] = tile
            cv2.putText(sheet, f"{100 * share:.1f}%", (x0 + 4, y0 + 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                        (255, 255, 255), 1, cv2.LINE_AA)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(args.out), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
