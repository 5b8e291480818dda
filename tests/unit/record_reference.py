"""The recovery record encoder as first written, the format's definition: ``json.dumps`` of the whole
record (format 1), each plane's base64 of one `np.packbits` (`fosp_core.annotation.recovery.encode_record` must
write these very bytes)."""

from __future__ import annotations

import base64
import json

import numpy as np


def reference_record(mask: np.ndarray, rect: tuple[int, int, int, int] | None, status: str) -> bytes:
    """The record of `mask`'s `rect` (y0, y1, x0, x1; None: a status alone) with `status`."""
    data: dict[str, object] = {"format": 1, "shape": [int(mask.shape[0]), int(mask.shape[1])],
                               "rect": None, "status": status}
    if rect is not None:
        y0, y1, x0, x1 = rect
        data["rect"] = [y0, y1, x0, x1]
        crop = np.ascontiguousarray(mask[y0:y1, x0:x1])
        data["smoke"] = base64.b64encode(np.packbits(crop == 1)).decode("ascii")
        data["ignore"] = base64.b64encode(np.packbits(crop == 255)).decode("ascii")
    return json.dumps(data, separators=(",", ":")).encode("ascii") + b"\n"
