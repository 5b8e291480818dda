"""How one axis of a map held at the network's grid is brought to the image's pixels, as
:func:`~fosp_core.infer.tiling.maps_from_letterbox` does (grid -> canvas, crop, -> image), written as
the grid cells each output pixel is made of: for rows or columns of the image
(:func:`axis_weights`), for a single pixel (:func:`point_weights`: a few cells, O(1) whatever the
image), and torch's nearest source indices of a mask (:func:`nearest`, :func:`point_nearest`). Used
by :class:`~fosp_core.infer.gridmap.GridMap`."""

from __future__ import annotations

import numpy as np

__all__ = ["axis_weights", "nearest", "point_nearest", "point_taps", "point_weights", "taps"]


def taps(n_in: int, n_out: int, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PyTorch's bilinear taps (align_corners=False, no antialias) for output indices `idx` of an
    axis resized from `n_in` to `n_out`: (i0, i1, l1), the value being (1 - l1)*v[i0] + l1*v[i1]."""
    scale = np.float32(n_in / n_out)
    src = np.maximum(scale * (idx.astype(np.float32) + np.float32(0.5)) - np.float32(0.5), np.float32(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    return i0, i1, (src - i0).astype(np.float32)


def axis_weights(n_grid: int, canvas: int, new: int, src: int, idx: np.ndarray) -> np.ndarray:
    """float32 (len(idx), n_grid): output pixel `idx` of the axis as weights of the grid's cells
    (grid -> canvas, crop to `new`, -> `src`)."""
    j0, j1, m1 = taps(new, src, idx)  # step 3: the image's pixels from the cropped canvas
    out = np.zeros((len(idx), n_grid), np.float32)
    rows = np.arange(len(idx))
    for j, wj in ((j0, 1 - m1), (j1, m1)):
        k0, k1, l1 = taps(n_grid, canvas, j)  # step 1: canvas pixels from the grid
        np.add.at(out, (rows, k0), wj * (1 - l1))
        np.add.at(out, (rows, k1), wj * l1)
    return out


def nearest(n_in: int, n_out: int, idx: np.ndarray) -> np.ndarray:
    """PyTorch's nearest source indices (floor(dst * scale), scale = in / out in float32) for output
    indices `idx` of an axis resized from `n_in` to `n_out`."""
    if n_in == n_out:
        return idx.astype(np.int64)
    if n_out == 2 * n_in:
        return idx.astype(np.int64) >> 1
    scale = np.float32(np.float32(n_in) / np.float32(n_out))
    return np.minimum(np.floor(idx.astype(np.float32) * scale).astype(np.int64), n_in - 1)


def point_taps(n_in: int, n_out: int, i: int, antialias: bool) -> list[tuple[int, float]]:
    """Output pixel `i` of an axis resized from `n_in` to `n_out` as (input index, weight) pairs, the
    weights PyTorch's (align_corners=False): bilinear, or with `antialias` its triangle filter widened
    by the shrink and normalised (``_compute_index_ranges_weights``); a same-size axis is `i` itself."""
    if n_in == n_out:
        return [(i, 1.0)]
    scale = n_in / n_out
    if not antialias:
        src = max(scale * (i + 0.5) - 0.5, 0.0)
        i0 = min(int(src), n_in - 1)
        l1 = src - i0
        return [(i0, 1.0 - l1), (min(i0 + 1, n_in - 1), l1)]
    support, inv = (scale, 1.0 / scale) if scale >= 1.0 else (1.0, 1.0)
    center = scale * (i + 0.5)
    lo = max(int(center - support + 0.5), 0)
    hi = min(int(center + support + 0.5), n_in)
    pairs = [(j, max(0.0, 1.0 - abs((j - center + 0.5) * inv))) for j in range(lo, hi)]
    total = sum(w for _, w in pairs)
    return [(j, w / total) for j, w in pairs] if total else pairs


def point_weights(n_grid: int, canvas: int, new: int, src: int, i: int, aa_canvas: bool,
                   aa_image: bool) -> tuple[list[int], list[float]]:
    """Image pixel `i` of an axis as weights of the grid's cells (grid -> canvas, crop to `new`, ->
    `src`): the cells' indices and their weights, each cell once (a few: O(1) whatever the image)."""
    weights: dict[int, float] = {}
    for j, wj in point_taps(new, src, i, aa_image):
        for k, wk in point_taps(n_grid, canvas, j, aa_canvas):
            weights[k] = weights.get(k, 0.0) + wj * wk
    return list(weights), list(weights.values())


def point_nearest(n_in: int, n_out: int, i: int) -> int:
    """:func:`nearest` of one index (the same float32 arithmetic)."""
    return int(nearest(n_in, n_out, np.array([i]))[0])
