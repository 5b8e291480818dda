"""Fuzz of the record encoder's band kinds (`recovery_records._planes`, f623870: all background, smoke
without ignore, the rest): its bytes are the reference encoder's (`record_reference`) for every mask
shape - empty, full smoke, full ignore, ignore alone, one pixel in the last row or column, odd widths,
1 x N, N x 1 - random rectangles of them, uint8 (C and Fortran order) and bool masks, bands of 24 rows and the default size;
each record reads back to the rectangle's pixels (odd values as background)."""

from __future__ import annotations

import numpy as np
import pytest

from fosp_core.annotation import recovery_records
from fosp_core.annotation.recovery_records import _decode, encode_record
from tests.unit.record_reference import reference_record

SHAPES = [(1, 1), (1, 7), (1, 300), (300, 1), (7, 1), (25, 9), (48, 17), (97, 255), (130, 1025), (24, 8), (49, 3), (600, 1025)]


def _mask(rng: np.random.Generator, shape: tuple[int, int], kind: str) -> np.ndarray:
    h, w = shape
    mask = np.zeros(shape, np.uint8)
    if kind == "full":
        mask[:] = 1
    elif kind == "ignore":
        mask[:] = 255
    elif kind == "ignore alone":
        mask[rng.integers(0, h), rng.integers(0, w)] = 255
    elif kind == "last row":
        mask[h - 1, rng.integers(0, w)] = rng.choice([1, 255])
    elif kind == "last column":
        mask[rng.integers(0, h), w - 1] = rng.choice([1, 255])
    elif kind == "last pixel":
        mask[h - 1, w - 1] = rng.choice([1, 255])
    elif kind == "random":
        sets = [[0, 1], [0, 1, 255], [0, 255], [0, 1, 7, 255]]
        mask = rng.choice(np.array(sets[int(rng.integers(0, len(sets)))], np.uint8), shape)
    elif kind == "bands":  # runs of rows of each kind, cut anywhere
        for r in range(0, h, int(rng.integers(1, 30))):
            mask[r:r + int(rng.integers(1, 30))] = rng.choice([0, 1, 255, 7])
    return mask  # "empty": all background


def _rects(rng: np.random.Generator, shape: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    h, w = shape
    rects = [(0, h, 0, w), (h - 1, h, 0, w), (0, h, w - 1, w), (h - 1, h, w - 1, w)]
    for _ in range(6):
        y0, x0 = int(rng.integers(0, h)), int(rng.integers(0, w))
        rects.append((y0, int(rng.integers(y0 + 1, h + 1)), x0, int(rng.integers(x0 + 1, w + 1))))
    return rects


@pytest.mark.parametrize("band", [24, 48, None])
@pytest.mark.parametrize("kind", ["empty", "full", "ignore", "ignore alone", "last row", "last column",
                                  "last pixel", "random", "bands"])
def test_the_band_encoder_writes_the_reference_bytes(kind: str, band: int | None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if band is not None:
        monkeypatch.setattr(recovery_records, "_BAND", band)
    rng = np.random.default_rng(abs(hash((kind, band))) % 2**32)
    for shape in SHAPES:
        for _ in range(2):
            mask = _mask(rng, shape, kind)
            for rect in _rects(rng, shape):
                kinds = (mask, np.asfortranarray(mask), mask == 1) if kind in ("empty", "full", "random") else (mask,)
                for m in kinds:
                    got = encode_record(m, rect, "edited")
                    assert got == reference_record(m.astype(np.uint8) if m.dtype == bool else m, rect, "edited"), \
                        (kind, shape, rect, m.dtype)
                    y0, y1, x0, x1 = rect
                    crop = np.asarray(m[y0:y1, x0:x1], np.uint8)
                    want = np.where((crop == 1) | (crop == 255), crop, 0)
                    pixels = _decode(got.rstrip(b"\n")).pixels
                    assert pixels is not None and np.array_equal(pixels, want), (kind, shape, rect)
