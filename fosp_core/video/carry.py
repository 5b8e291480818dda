"""Frame-to-frame helpers of a video's annotation (:mod:`fosp_core.video.timeline`): carrying a mask to the
next frame, temporal smoothing of probabilities. numpy only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from fosp_core.data.types import BACKGROUND, SMOKE

__all__ = ["CarryMode", "carry_mask", "smooth_probability"]

CarryMode = Literal["copy", "intersect", "merge"]


def carry_mask(previous: np.ndarray, probability: np.ndarray | None = None, mode: CarryMode = "copy",
               threshold: float = 0.5) -> np.ndarray:
    """The starting mask of the next frame from the previous frame's uint8 (H, W) 0/1/255 mask.

    copy: the previous mask as is; intersect: smoke only where the prediction (float (H, W)
    probability > threshold) agrees; merge: the union of both. Without a probability every mode
    copies. Ignore pixels (255) are kept.
    """
    out = previous.copy()
    if probability is None or mode == "copy":
        return out
    predicted = probability > threshold
    smoke = previous == SMOKE
    if mode == "intersect":
        out[smoke & ~predicted] = BACKGROUND
    elif mode == "merge":
        out[predicted & (previous != 255)] = SMOKE
    else:
        raise ValueError(f"unknown carry mode {mode!r}")
    return out


def smooth_probability(get: Callable[[int], np.ndarray | None], index: int, radius: int = 1,
                       frame_count: int | None = None) -> np.ndarray | None:
    """Temporal smoothing: the triangle-weighted mean of the probabilities of frames
    ``index - radius .. index + radius`` that `get` returns (None = not available). Returns None when
    frame `index` itself is unavailable; with radius 0 it returns it unchanged."""
    centre = get(index)
    if centre is None or radius <= 0:
        return centre
    total = centre.astype(np.float32) * (radius + 1)
    weight = float(radius + 1)
    for offset in range(1, radius + 1):
        for neighbour in (index - offset, index + offset):
            if neighbour < 0 or (frame_count is not None and neighbour >= frame_count):
                continue
            prob = get(neighbour)
            if prob is not None and prob.shape == centre.shape:
                w = float(radius + 1 - offset)
                total += prob * w
                weight += w
    return total / weight
