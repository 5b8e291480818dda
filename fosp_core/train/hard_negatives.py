"""Hard examples: where a model is wrong in its own training images (false alarms, or missed smoke).

The false alarms left in the default model are specific things (a hazy valley floor, a camera
mast, glare on water, bright cloud) that random crops rarely show; keeping all-background crops
did not help (second-round row `cH`). Mining finds them instead, as detectors have long done
(hard negative mining; Shrivastava et al., 2016, for its online form):

1. `fosp_core.train.mine.mine_source` runs a checkpoint over the fixed images of a **training** source exactly as
   validation does (long side `val_size`, fp32, threshold 0.5, probability upsampled to the label)
   and records, in every image where it is wrong, up to `max_points` of the wrong pixels at random,
   as (x, y) fractions of the image size (`mine_image`, one prediction). Two kinds of file:
   - `"false-alarms"` (hard negatives): pixels flagged at least `margin` px from labelled smoke
     (the far-FP region of `fosp_core.metrics.false_alarm`);
   - `"misses"` (hard positives): labelled smoke pixels the model does not flag. Training on false
     alarms alone makes a model cautious (stage 12 of docs/training.md lost recall on medium
     plumes); crops at its misses show it the smoke it gives up.
2. `write_file` saves the result as JSON (atomic); `read_file` reads it back, checked, and refuses
   a file of the other kind.
3. A training source with `hard_negatives = "FILE"` (false alarms) or `hard_positives = "FILE"`
   (misses) (`fosp_core.train.data`) then draws only the images of the file and centres each crop
   near one of its points (`TrainAugment(focus=...)`): the model is shown, with their true labels,
   the places where it was wrong.

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
FALSE_ALARMS = "false-alarms"
MISSES = "misses"
KINDS = (FALSE_ALARMS, MISSES)
# The training-source option that reads each kind of file (`fosp_core.train.config.DatasetSpec`).
OPTIONS = {FALSE_ALARMS: "hard_negatives", MISSES: "hard_positives"}
# The JSON names of a file's counts, per kind: (wrong pixels of an image, pixels looked at, pooled share).
_KEYS = {FALSE_ALARMS: ("flagged", "far", "far_fp"), MISSES: ("missed", "smoke", "missed_share")}

__all__ = ["FALSE_ALARMS", "FORMAT", "KINDS", "MISSES", "OPTIONS", "HardNegativeError", "MinedImage", "MiningResult",
           "mine_image", "read_file", "write_file"]


class HardNegativeError(ValueError):
    """A hard-negative file that cannot be used (missing, not JSON, wrong format, bad points)."""


@dataclass
class MinedImage:
    """One training image's mistakes: wrong pixels (`hits`: far pixels flagged, or smoke pixels
    missed), the pixels looked at (`pool`: far pixels, or smoke pixels), sampled (x, y) fractions."""

    hits: int
    pool: int
    points: list[tuple[float, float]] = field(default_factory=list)

    def to_json(self, kind: str = FALSE_ALARMS) -> dict[str, Any]:
        hits, pool, _ = _KEYS[kind]
        return {hits: self.hits, pool: self.pool,
                "points": [[round(x, 5), round(y, 5)] for x, y in self.points]}


@dataclass
class MiningResult:
    """The images of one or more sources with mistakes of one `kind`, plus how many were looked at."""

    images: dict[str, MinedImage] = field(default_factory=dict)
    scanned: int = 0
    pool_pixels: int = 0
    hit_pixels: int = 0
    kind: str = FALSE_ALARMS
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Pooled share of the looked-at pixels that were wrong over every scanned image (far-FP for
        false alarms, the share of smoke missed for misses; NaN when none)."""
        return self.hit_pixels / self.pool_pixels if self.pool_pixels else math.nan

    def merge(self, other: MiningResult) -> None:
        if other.kind != self.kind:
            raise ValueError(f"cannot merge {other.kind} into {self.kind}")
        self.images.update(other.images)
        self.scanned += other.scanned
        self.pool_pixels += other.pool_pixels
        self.hit_pixels += other.hit_pixels


def mine_image(prob: np.ndarray, label: np.ndarray, seed: int, threshold: float = 0.5,
               margin: int = MARGIN, max_points: int = 16, kind: str = FALSE_ALARMS) -> MinedImage:
    """The mistakes of one prediction: prob float HxW in [0, 1], label uint8 HxW 0/1/255.

    `kind` "false-alarms": flagged pixels (prob > threshold, the rule of validation, the metrics and
    the app's mask: a tie is background) at least `margin` px from labelled smoke; "misses":
    labelled smoke pixels (label 1) not flagged (prob <= threshold). Points are drawn without
    replacement among them with a generator seeded by `seed`, so mining is reproducible."""
    if prob.shape != label.shape:
        raise ValueError(f"probability {prob.shape} and label {label.shape} differ in size")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if kind == FALSE_ALARMS:
        pool = far_region(label, margin)
        hit = (prob > threshold) & pool
    else:
        pool = label == 1
        hit = (prob <= threshold) & pool
    ys, xs = np.nonzero(hit)
    h, w = label.shape
    points: list[tuple[float, float]] = []
    if ys.size:
        rng = np.random.default_rng(seed)
        pick = rng.choice(ys.size, size=min(max_points, ys.size), replace=False)
        points = [((float(xs[k]) + 0.5) / w, (float(ys[k]) + 0.5) / h) for k in sorted(pick)]
    return MinedImage(hits=int(ys.size), pool=int(np.count_nonzero(pool)), points=points)


def write_file(path: str | os.PathLike, result: MiningResult) -> Path:
    """Atomically write `result` as a hard-example JSON file of its kind; returns the path."""
    from fosp_core.train.model_io import save_json

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rate = _KEYS[result.kind][2]
    save_json(path, {
        "format": FORMAT, "version": VERSION, "kind": result.kind, **result.meta,
        "scanned": result.scanned, rate: None if math.isnan(result.rate) else round(result.rate, 6),
        "images": {k: v.to_json(result.kind) for k, v in sorted(result.images.items())},
    })
    return path


def read_file(path: str | os.PathLike, kind: str = FALSE_ALARMS) -> dict[str, list[tuple[float, float]]]:
    """{image id: [(x, y) fractions, ...]} of a hard-example file of `kind`; images without points
    left out. A file without a "kind" (the first files) holds false alarms.

    Raises HardNegativeError with the reason for a missing, malformed or foreign file, or one of
    the other kind."""
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
    found = data.get("kind", FALSE_ALARMS)
    if found != kind:
        use = f"; use it as {OPTIONS[found]}" if found in OPTIONS else ""
        raise HardNegativeError(f"{path}: a file of {found!r}, not {kind!r}{use}")
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
