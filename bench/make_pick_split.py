"""A selection pool of training scenes that a stage's runs never see (stage 32, docs/training.md).

    python bench/make_pick_split.py [--data ../shared/data] [--fraction 0.2] [--seed 0]

Groups the real SMOKE5K images by scene exactly as the committed validation split did
(`fosp_core.data.splits.smoke5k_scene_split`, checked against the committed lists), then draws whole
scenes of the scene-train photos into a **pick** pool until `--fraction` of them, and writes

- `fosp_core/configs/splits/smoke5k-scene-pick.txt`: the held-out training scenes (choose on them);
- `fosp_core/configs/splits/smoke5k-scene-fit.txt`: the scene-train photos left to train on, minus a
  buffer of views that still look like a pick photo (as the validation split's buffer).

Runs that train on `fit` (a data source with `split = "scene-fit"`) can then be compared on `pick`
(`bench/decision_rules.py --pool pick`) without touching validation. The models they start from
may have trained on the pick photos; every run of one stage shares that start.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.data.splits import (  # noqa: E402
    SPLITS_DIR,
    hold_out_scenes,
    image_path,
    read_split_file,
    smoke5k_scene_split,
    view_signatures,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--fraction", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=SPLITS_DIR)
    args = parser.parse_args()
    root = args.data / "smoke5k-train"
    seg_val = args.data / "smokeseg-samples" / "ImageSets" / "Segmentation" / "val.txt"
    forced = seg_val.read_text().split() if seg_val.is_file() else []
    split = smoke5k_scene_split(root, 0.15, 0, force_val_fires=forced)
    train = read_split_file("train")
    if sorted(split.train) != sorted(train):
        raise SystemExit("the scene grouping no longer reproduces the committed scene-train list")
    edge, _ = view_signatures([image_path(root / "img", name) for name in train])
    fit, pick, buffer = hold_out_scenes(train, split.scene_of, edge, args.fraction, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for role, names in (("pick", pick), ("fit", fit)):
        (args.out / f"smoke5k-scene-{role}.txt").write_text("\n".join(names) + "\n")
    n_scenes = len({split.scene_of[n] for n in pick})
    print(f"scene-train {len(train)}: pick {len(pick)} ({n_scenes} scenes), fit {len(fit)}, "
          f"buffer (in neither) {len(buffer)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
