"""The banded record encoder (45715e7) gives the original encoder's bytes for odd inputs: 1xN and
Nx1 masks (one band wider than a band, many bands of one column), empty and out-of-range
rectangles, ignore pixels (255), Fortran-ordered, non-contiguous, transposed, bool and int64 masks."""

from __future__ import annotations

import numpy as np
import pytest

from fosp_core.annotation import recovery
from tests.unit.record_reference import reference_record


@pytest.mark.parametrize("shape", [(1, 1), (1, 300_001), (300_001, 1), (5, 3), (1000, 1333), (30, 9000)])
def test_odd_masks_and_rectangles_give_the_original_bytes(shape: tuple[int, int]) -> None:
    mask = np.random.default_rng(sum(shape)).choice(np.array([0, 1, 255], np.uint8), size=shape)
    h, w = shape
    variants = {"c": mask, "fortran": np.asfortranarray(mask), "bool": mask == 1,
                "strided": np.repeat(np.repeat(mask, 2, 0), 2, 1)[::2, ::2],
                "transposed": np.ascontiguousarray(mask.T).T, "int64": mask.astype(np.int64)}
    rects = [(0, h, 0, w), (0, 0, 0, w), (h, h, 0, w), (0, h, w, w), (0, 1, 0, 1), (h - 1, h, 0, w),
             (0, h, w - 1, w), (0, h + 5, 0, w + 7), (h // 3, h, w // 4, w), None]
    for name, variant in variants.items():
        for rect in rects:
            assert recovery.encode_record(variant, rect, "edited") == reference_record(variant, rect, "edited"), (name, rect)
