"""pyqtgraph's ``autoDownsample`` of an integer image, computed with integers (the same pixels).

An ImageItem with ``autoDownsample`` shows an image smaller than the screen as block means: it
averages ``xds`` columns, then ``yds`` rows, in float64 (``pyqtgraph.functions.downsample``), then
maps the means through the levels to lookup-table indices. For a 4000x3000 uint8 mask at zoom to fit
that takes 100-200 ms per layer (numpy's mean over a short inner axis is slow), on every threshold
move and zoom step.

:func:`block_mean_indices` returns the lookup-table indices those steps produce, for a 2-D unsigned
integer image, levels (0, 255) and a 256-entry table (what the analysis' binary and error layers
use), from integer block sums: index = floor(256·S / (255·N)) for a block of N pixels summing to S.
A float mean lies within 1e-12 of S/N, and a non-integer 256·S / (255·N) is at least 1/(255·N) from
an integer, so only blocks where it is an exact integer could round differently; those few are
computed with pyqtgraph's float64 operations in its order. ``tests/gui/test_canvas_paint.py``
checks the result against pyqtgraph's own.

:func:`block_mean_rgb` does the same for an RGB layer (the separated background) at levels (0, 255)
without a table, whose shown values are the truncated block means themselves: pyqtgraph's float64
operations in its order, vectorised over the blocks (20-40x faster than its strided means, which
took over 2 s for 4000x3000x3 on our CPUs).
"""

from __future__ import annotations

import numpy as np

__all__ = ["block_mean_indices", "block_mean_rgb"]

_COLORS = 256
_TOP = 255


def block_mean_indices(image: np.ndarray, xds: int, yds: int) -> np.ndarray:
    """uint8 (H // yds, W // xds): pyqtgraph's lookup-table indices of the (xds x yds) block means
    of `image` (2-D, unsigned integers of at most 8 bits, bool included) for levels (0, 255) and
    a 256-entry lookup table. Needs xds * yds > 1."""
    if image.ndim != 2 or image.dtype.kind not in "bu" or image.dtype.itemsize != 1:
        raise ValueError(f"expected a 2-D uint8 or bool image, got {image.dtype} {image.shape}")
    if xds < 1 or yds < 1 or xds * yds == 1:
        raise ValueError(f"expected a downsample, got {xds} x {yds}")
    data = image.view(np.uint8)
    height, width = data.shape[0] // yds, data.shape[1] // xds
    count = xds * yds
    acc = np.uint16 if count * _TOP < 2**16 else np.uint32
    block = data[: height * yds, : width * xds]
    column_sums = block[0::yds].astype(acc)  # rows first: contiguous adds
    for k in range(1, yds):
        column_sums += block[k::yds]
    total = column_sums[:, 0::xds].copy()
    for k in range(1, xds):
        total += column_sums[:, k::xds]
    # One table over every possible block sum: the index in the low byte, 1 in the high byte where
    # 256·S / (255·N) is a whole number (S > 0).
    sums = np.arange(count * _TOP + 1, dtype=np.int64) * _COLORS
    table = np.minimum(sums // (_TOP * count), _COLORS - 1).astype(np.uint16)
    table[(sums % (_TOP * count) == 0) & (sums > 0)] |= 1 << 8
    coded = np.take(table, total)
    indices = coded.astype(np.uint8)  # the low byte
    on_boundary = coded > _TOP
    if on_boundary.any():
        exact = np.nonzero(on_boundary)
        indices[exact] = _float_indices(block, exact, xds, yds)
    return indices


def _float_indices(block: np.ndarray, where: tuple[np.ndarray, np.ndarray], xds: int, yds: int) -> np.ndarray:
    """pyqtgraph's indices for the blocks at `where` of `block` (uint8), with its float64 operations
    in its order: each row's mean over xds columns (exact sum / xds; the uint8 data itself when xds
    is 1), those means summed one row after the other / yds, then ``(mean - 0) * (256 / 255)``
    clipped to 0..255 and truncated."""
    ys, xs = where
    columns = xs[:, None] * xds + np.arange(xds)
    row_sums = {k: block[(ys * yds + k)[:, None], columns].sum(axis=1) for k in range(yds)}
    if xds == 1:  # the rows' mean of the uint8 data: an exact integer sum / yds
        mean = sum(row_sums[k].astype(np.float64) for k in range(yds)) / yds
    else:
        column_means = [row_sums[k].astype(np.float64) / xds for k in range(yds)]
        if yds == 1:
            mean = column_means[0]
        else:
            total = column_means[0] + column_means[1]
            for k in range(2, yds):
                total += column_means[k]
            mean = total / yds
    scale = float(np.float64(_COLORS) / np.float64(_TOP))
    value = (mean - 0.0) * scale
    return np.clip(value, 0, _COLORS - 1).astype(np.uint8)


def block_mean_rgb(image: np.ndarray, xds: int, yds: int) -> np.ndarray:
    """uint8 (H // yds, W // xds, C): the values pyqtgraph shows for the (xds x yds) block means of
    `image` (uint8 (H, W, C)) at levels (0, 255) without a lookup table (the means truncated).

    pyqtgraph averages each row's xds columns (an exact integer sum / xds; the data itself when xds
    is 1), then adds those means one row after the other and divides by yds, in float64."""
    if image.ndim != 3 or image.dtype != np.uint8:
        raise ValueError(f"expected a uint8 (H, W, C) image, got {image.dtype} {image.shape}")
    if xds < 1 or yds < 1 or xds * yds == 1:
        raise ValueError(f"expected a downsample, got {xds} x {yds}")
    height, width = image.shape[0] // yds, image.shape[1] // xds
    out = np.empty((height, width, image.shape[2]), np.uint8)
    for channel in range(image.shape[2]):  # one contiguous plane at a time: long inner loops
        plane = np.ascontiguousarray(image[: height * yds, : width * xds, channel])
        out[..., channel] = _truncated_means(plane, xds, yds)
    return out


def _truncated_means(plane: np.ndarray, xds: int, yds: int) -> np.ndarray:
    """uint8: pyqtgraph's block means of a uint8 plane whose sides are multiples of the factors,
    truncated (see :func:`block_mean_rgb`)."""
    acc = np.uint16 if xds * _TOP < 2**16 else np.uint32
    mean: np.ndarray | None = None
    for k in range(yds):
        rows = plane[k::yds]
        sums = rows[:, 0::xds].astype(acc)
        for j in range(1, xds):
            sums += rows[:, j::xds]
        if xds == 1:  # the rows' mean of the uint8 data: exact integer sums, divided once
            mean = sums.astype(np.float64) if mean is None else np.add(mean, sums, out=mean)
        else:
            row_mean = sums / np.float64(xds)
            mean = row_mean if mean is None else np.add(mean, row_mean, out=mean)
    assert mean is not None
    if yds > 1:
        mean /= np.float64(yds)
    return np.clip(mean, 0, _TOP).astype(np.uint8)
