"""False-alarm measures away from labelled smoke (clouds, haze, terrain flagged as smoke).

- far-FP: the share of pixels at least `margin` px (Euclidean) from any labelled smoke pixel,
  ignore pixels excluded, that the prediction flags.
- smoke-free crops: `size` x `size` windows whose every pixel is at least `margin` px from smoke
  (and not ignored), `n` per image chosen by a seeded generator among the windows on a
  `stride`-pixel grid; a crop counts as flagged when more than `max_flagged` (0.5 %) of its
  pixels are predicted smoke.

Both return counts (flagged, total) so callers can pool them over a dataset; `*_rate` helpers
divide. Inputs: pred bool HxW, label uint8 HxW 0/1/255. OpenCV does the distance transform.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = [
    "far_region",
    "far_fp_counts",
    "far_fp_rate",
    "smoke_free_crops",
    "crop_flag_counts",
    "crop_flag_rate",
]

MARGIN = 32
CROP = 256
CROPS_PER_IMAGE = 2
MAX_FLAGGED = 0.005


def far_region(label: np.ndarray, margin: int = MARGIN) -> np.ndarray:
    """bool HxW: not ignored and at least `margin` px from the nearest smoke pixel."""
    label = np.asarray(label)
    smoke = label == 1
    valid = label != 255
    if not smoke.any():
        return valid
    dist = cv2.distanceTransform((~smoke).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    return (dist >= margin) & valid


def far_fp_counts(pred: np.ndarray, label: np.ndarray, margin: int = MARGIN) -> tuple[int, int]:
    """(flagged far pixels, far pixels) of a bool HxW prediction against a 0/1/255 label."""
    if pred.shape != label.shape:
        raise ValueError(f"pred {pred.shape} and label {label.shape} differ in size")
    far = far_region(label, margin)
    return int(np.count_nonzero(pred & far)), int(np.count_nonzero(far))


def far_fp_rate(pred: np.ndarray, label: np.ndarray, margin: int = MARGIN) -> float:
    """Share of far pixels flagged; NaN when the image has no far pixels."""
    flagged, total = far_fp_counts(pred, label, margin)
    return flagged / total if total else float("nan")


def smoke_free_crops(label: np.ndarray, size: int = CROP, margin: int = MARGIN, n: int = CROPS_PER_IMAGE,
                     seed: int = 0, stride: int = 16) -> list[tuple[int, int]]:
    """Top-left (y, x) of up to `n` distinct smoke-free size x size windows (see module doc)."""
    label = np.asarray(label)
    h, w = label.shape
    if h < size or w < size:
        return []
    bad = (~far_region(label, margin)).astype(np.uint8)
    integral = cv2.integral(bad, sdepth=cv2.CV_32S)  # (h+1, w+1) int32 running sums
    ys = np.arange(0, h - size + 1, stride)
    xs = np.arange(0, w - size + 1, stride)
    if ys[-1] != h - size:
        ys = np.append(ys, h - size)
    if xs[-1] != w - size:
        xs = np.append(xs, w - size)
    yy, xx = np.meshgrid(ys, xs, indexing="ij")
    sums = integral[yy + size, xx + size] - integral[yy, xx + size] - integral[yy + size, xx] + integral[yy, xx]
    candidates = np.flatnonzero(sums.ravel() == 0)
    if candidates.size == 0:
        return []
    rng = np.random.default_rng(seed)
    chosen = rng.choice(candidates, size=min(n, candidates.size), replace=False)
    return [(int(yy.ravel()[c]), int(xx.ravel()[c])) for c in sorted(chosen)]


def crop_flag_counts(pred: np.ndarray, label: np.ndarray, size: int = CROP, margin: int = MARGIN,
                     n: int = CROPS_PER_IMAGE, max_flagged: float = MAX_FLAGGED, seed: int = 0) -> tuple[int, int]:
    """(flagged crops, crops) among the smoke-free crops of one image."""
    if pred.shape != label.shape:
        raise ValueError(f"pred {pred.shape} and label {label.shape} differ in size")
    crops = smoke_free_crops(label, size, margin, n, seed)
    flagged = 0
    for y, x in crops:
        if np.count_nonzero(pred[y:y + size, x:x + size]) > max_flagged * size * size:
            flagged += 1
    return flagged, len(crops)


def crop_flag_rate(pred: np.ndarray, label: np.ndarray, **kwargs) -> float:
    """Share of an image's smoke-free crops that are flagged; NaN when it has none."""
    flagged, total = crop_flag_counts(pred, label, **kwargs)
    return flagged / total if total else float("nan")
