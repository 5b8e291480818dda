"""Smoke size buckets by the smoke pixel ratio delta (paper Eq. 10, SmokeSeg test_small/medium/large)."""

from __future__ import annotations

import numpy as np

__all__ = ["BUCKETS", "SMALL_MAX", "MEDIUM_MAX", "size_bucket", "smoke_ratio", "DELTA_BIN_EDGES"]

BUCKETS: tuple[str, str, str] = ("small", "medium", "large")
SMALL_MAX = 0.005   # small:  delta < 0.5 %
MEDIUM_MAX = 0.025  # medium: 0.5 % <= delta < 2.5 %; large: delta >= 2.5 %

# Histogram edges for delta (fractions), fine where early smoke lives; include both bucket limits.
DELTA_BIN_EDGES: tuple[float, ...] = (0.0, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


def size_bucket(delta: float) -> str:
    """"small" (delta < 0.005), "medium" (0.005 <= delta < 0.025) or "large" (delta >= 0.025)."""
    if delta < SMALL_MAX:
        return "small"
    if delta < MEDIUM_MAX:
        return "medium"
    return "large"


def smoke_ratio(label: np.ndarray) -> float:
    """delta of a uint8 HxW 0/1/255 label: smoke pixels / all pixels (ignore counts as not smoke)."""
    return float(np.count_nonzero(label == 1)) / float(label.size) if label.size else 0.0
