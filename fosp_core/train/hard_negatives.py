"""Hard negatives: where a model flags smoke far from any labelled smoke in its own training images.

The false alarms left in the default model are specific things (a hazy valley floor, a camera
mast, glare on water, bright cloud) that random crops rarely show; keeping all-background crops
did not help (second-round row `cH`). Mining finds them instead, as detectors have long done
(hard negative mining; Shrivastava et al., 2016, for its online form):

1. `fosp_core.train.mine.mine_source` runs a checkpoint over the fixed images of a **training** source exactly as
   validation does (long side `val_size`, fp32, threshold 0.5, probability upsampled to the label)
   and, in every image where it flags pixels at least `margin` px from labelled smoke (the far-FP
   region of `fosp_core.metrics.false_alarm`), records up to `max_points` of them at random, as
   (x, y) fractions of the image size (`mine_image`, one prediction).
2. `write_file` saves the result as JSON (atomic); `read_file` reads it back, checked.
3. A training source with `hard_negatives = "FILE"` (`fosp_core.train.data`) then draws only the
   images of the file and centres each crop near one of its points (`TrainAugment(focus=...)`):
   the model is shown, with their true labels, the places where it was wrong.

Only training sources are mined (the validation images are never looked at), and only images the
source itself holds are drawn, so a file cannot smuggle validation images into training.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from fosp_core.metrics.false_alarm import MARGIN, far_region

FORMAT = "fosp-hard-negatives"
VERSION = 1

__all__ = ["FORMAT", "HardNegativeError", "MinedImage", "MiningResult", "mine_image", "read_file", "write_file"]


class HardNegativeError(ValueError):
    """A hard-negative file that cannot be used (missing, not JSON, wrong format, bad points)."""


@dataclass
class MinedImage:
    """One training image's false alarms: flagged far pixels, far pixels, sampled (x, y) fractions."""

    flagged: int
    far: int
    points: list[tuple[float, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"flagged": self.flagged, "far": self.far,
                "points": [[round(x, 5), round(y, 5)] for x, y in self.points]}


@dataclass
class MiningResult:
    """The images of one or more sources with false alarms, plus how many were looked at."""

    images: dict[str, MinedImage] = field(default_factory=dict)
    scanned: int = 0
    far_pixels: int = 0
    flagged_pixels: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def far_fp(self) -> float:
        """Pooled share of far pixels flagged over every scanned image (NaN when none)."""
        return self.flagged_pixels / self.far_pixels if self.far_pixels else math.nan

    def merge(self, other: MiningResult) -> None:
        self.images.update(other.images)
        self.scanned += other.scanned
        self.far_pixels += other.far_pixels
        self.flagged_pixels += other.flagged_pixels


def mine_image(prob: np.ndarray, label: np.ndarray, seed: int, threshold: float = 0.5,
               margin: int = MARGIN, max_points: int = 16) -> MinedImage:
    """The false alarms of one prediction: prob float HxW in [0, 1], label uint8 HxW 0/1/255.

    Points are drawn without replacement among the flagged far pixels with a generator seeded by
    `seed`, so mining is reproducible."""
    if prob.shape != label.shape:
        raise ValueError(f"probability {prob.shape} and label {label.shape} differ in size")
    far = far_region(label, margin)
    hit = (prob >= threshold) & far
    ys, xs = np.nonzero(hit)
    h, w = label.shape
    points: list[tuple[float, float]] = []
    if ys.size:
        rng = np.random.default_rng(seed)
        pick = rng.choice(ys.size, size=min(max_points, ys.size), replace=False)
        points = [((float(xs[k]) + 0.5) / w, (float(ys[k]) + 0.5) / h) for k in sorted(pick)]
    return MinedImage(flagged=int(ys.size), far=int(np.count_nonzero(far)), points=points)


def write_file(path: str | os.PathLike, result: MiningResult) -> Path:
    """Atomically write `result` as a hard-negative JSON file; returns the path."""
    from fosp_core.train.model_io import save_json

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_json(path, {
        "format": FORMAT, "version": VERSION, **result.meta,
        "scanned": result.scanned, "far_fp": None if math.isnan(result.far_fp) else round(result.far_fp, 6),
        "images": {k: v.to_json() for k, v in sorted(result.images.items())},
    })
    return path


def read_file(path: str | os.PathLike) -> dict[str, list[tuple[float, float]]]:
    """{image id: [(x, y) fractions, ...]} of a hard-negative file; images without points left out.

    Raises HardNegativeError with the reason for a missing, malformed or foreign file."""
    path = Path(path).expanduser()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HardNegativeError(f"{path}: no such hard-negative file (make one with `fosp train-mine`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HardNegativeError(f"{path}: not a readable JSON file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise HardNegativeError(f"{path}: not a hard-negative file (format {FORMAT!r} expected)")
    if data.get("version") != VERSION:
        raise HardNegativeError(f"{path}: version {data.get('version')!r}, this FoSp reads version {VERSION}")
    images = data.get("images")
    if not isinstance(images, dict):
        raise HardNegativeError(f"{path}: 'images' must map image ids to their points")
    out: dict[str, list[tuple[float, float]]] = {}
    for image_id, entry in images.items():
        points = entry.get("points") if isinstance(entry, dict) else None
        if not isinstance(points, list):
            raise HardNegativeError(f"{path}: image {image_id!r} has no 'points' list")
        clean: list[tuple[float, float]] = []
        for p in points:
            if (not isinstance(p, Sequence) or len(p) != 2
                    or not all(isinstance(v, (int, float)) and 0.0 <= v <= 1.0 for v in p)):
                raise HardNegativeError(f"{path}: image {image_id!r}: point {p!r} is not two fractions in [0, 1]")
            clean.append((float(p[0]), float(p[1])))
        if clean:
            out[str(image_id)] = clean
    return out
