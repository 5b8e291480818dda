"""The banded record encoder (45715e7) gives the original encoder's bytes for odd inputs: 1xN and
Nx1 masks (one band wider than a band, many bands of one column), empty and out-of-range
rectangles, ignore pixels (255), Fortran-ordered, non-contiguous, transposed, bool and int64 masks."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from fosp_core.annotation import recovery


def _original(mask: np.ndarray, rect: tuple[int, int, int, int] | None, status: str) -> bytes:
    data: dict[str, object] = {"format": recovery.FORMAT, "shape": [int(mask.shape[0]), int(mask.shape[1])],
                               "rect": None, "status": status}
    if rect is not None:
        y0, y1, x0, x1 = rect
        data["rect"] = [y0, y1, x0, x1]
        crop = np.ascontiguousarray(mask[y0:y1, x0:x1])
        data["smoke"] = base64.b64encode(np.packbits(crop == 1)).decode("ascii")
        data["ignore"] = base64.b64encode(np.packbits(crop == 255)).decode("ascii")
    return json.dumps(data, separators=(",", ":")).encode("ascii") + b"\n"


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
            assert recovery.encode_record(variant, rect, "edited") == _original(variant, rect, "edited"), (name, rect)
