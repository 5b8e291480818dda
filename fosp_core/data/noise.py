"""Procedural noise in numpy/OpenCV for synthetic smoke: fractal value noise and domain warping.

All fields are float32 arrays of shape (H, W) (or (N,) for the 1-D variant); every function takes
a `numpy.random.Generator`, so results are reproducible from a seed.
"""

from __future__ import annotations

import cv2
import numpy as np


def value_noise(shape: tuple[int, int], cells: float, rng: np.random.Generator) -> np.ndarray:
    """Smooth random field: uniform values on a coarse lattice, bicubically interpolated.

    shape: (H, W) of the output. cells: lattice cells across the longer side (feature size is
    about max(H, W) / cells pixels). Returns float32 (H, W), values about in [-1, 1].
    """
    h, w = int(shape[0]), int(shape[1])
    longer = max(h, w)
    ch = max(1, int(np.ceil(cells * h / longer)))
    cw = max(1, int(np.ceil(cells * w / longer)))
    # One extra lattice row/column beyond each edge so the border is not a corner of the lattice.
    lattice = rng.uniform(-1.0, 1.0, size=(ch + 3, cw + 3)).astype(np.float32)
    big = cv2.resize(lattice, (w * (cw + 3) // cw + 1, h * (ch + 3) // ch + 1), interpolation=cv2.INTER_CUBIC)
    oy = int(rng.integers(0, max(1, big.shape[0] - h)))
    ox = int(rng.integers(0, max(1, big.shape[1] - w)))
    return np.ascontiguousarray(big[oy : oy + h, ox : ox + w])


def fractal_noise(
    shape: tuple[int, int],
    rng: np.random.Generator,
    *,
    base_cells: float = 3.0,
    octaves: int = 4,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
    turbulence: bool = False,
) -> np.ndarray:
    """Multi-octave (fBm) value noise.

    Octave k has `base_cells * lacunarity**k` lattice cells and amplitude `persistence**k`; the sum
    is divided by the total amplitude. With `turbulence=True` each octave is |noise| (billowy,
    values in [0, 1]); otherwise values lie about in [-1, 1] (std about 0.3).
    Returns float32 (H, W).
    """
    h, w = int(shape[0]), int(shape[1])
    total = np.zeros((h, w), np.float32)
    amp, norm, cells = 1.0, 0.0, float(base_cells)
    for _ in range(max(1, octaves)):
        if cells > max(h, w) / 1.5:  # finer than the pixel grid: nothing left to add
            break
        n = value_noise((h, w), cells, rng)
        total += amp * (np.abs(n) if turbulence else n)
        norm += amp
        amp *= persistence
        cells *= lacunarity
    return total / np.float32(norm)


def fractal_noise_1d(n: int, rng: np.random.Generator, *, base_cells: float = 3.0, octaves: int = 3) -> np.ndarray:
    """1-D fBm value noise of length n (e.g. meander of a plume's centre line); float32, about [-1, 1]."""
    return fractal_noise((1, n), rng, base_cells=base_cells, octaves=octaves)[0]


def domain_warp(field: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Resample `field` at (x + dx, y + dy): float32 (H, W) in, float32 (H, W) out (zero outside)."""
    h, w = field.shape
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(
        field.astype(np.float32), gx + dx.astype(np.float32), gy + dy.astype(np.float32),
        interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0.0,
    )
