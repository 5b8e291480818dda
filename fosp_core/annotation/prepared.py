"""A step computed away from the document, then committed to it in one go: how Accept Prediction on
a huge photo does its whole-image work (compare, changed rectangles, packing the undo patches) on a
worker thread while the GUI thread only writes the result (napari's and CVAT's way: the document's
state changes at once, on the thread that owns it).

`tile_patches` reads a mask's values in a rectangle and the new ones and returns the undo patches
the document's own step would store for that change: cut on the same `TILE` grid, each the changed
sub-rectangle of its tile, packed (`fosp_core.annotation.history`). It only reads the mask, so a
worker may call it while the GUI thread goes on. `PreparedStep` carries the patches with the
document's `mask_version` they were read at; `AnnotationDocument.commit_prepared` writes them,
records the step and announces it, or raises `StaleStep` when the mask changed since (a torn read
is never committed: every write to the mask changes the version; prepare again).

Rectangles are (y0, y1, x0, x1), end exclusive (``mask[y0:y1, x0:x1]``); masks uint8 (H, W).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from fosp_core.annotation.history import Patch, Rect, bounding_box, union_rect

__all__ = ["TILE", "PreparedStep", "StaleStep", "tile_patches"]

TILE = 256  # side of the tiles undo patches are cut on (the document's snapshot tiles)


class StaleStep(RuntimeError):
    """The mask changed since the step was prepared (or a step is open): prepare it again."""


@dataclass(frozen=True)
class PreparedStep:
    """One undo step computed from the mask at `version` (`AnnotationDocument.mask_version`).

    label: the step's name ("accept prediction"); patches: old and new values of each changed
    rectangle (empty: the step only sets `status`); status: the document status the step leaves
    (a `Status`; None: EDITED when pixels change, else as it was); values: None, or the new uint8
    values of `rect` (the patches' union) whole, which the commit then writes at once instead of
    unpacking each patch's (pixels of `rect` outside every patch hold the mask's own value).
    """

    label: str
    version: int
    patches: tuple[Patch, ...]
    status: enum.StrEnum | None = None
    values: np.ndarray | None = None

    @property
    def rect(self) -> Rect | None:
        """Union of the patches' rectangles (None when there is none)."""
        out: Rect | None = None
        for patch in self.patches:
            out = union_rect(out, patch.rect)
        return out

    @property
    def nbytes(self) -> int:
        """Bytes the step's patches hold (what the history will keep of it)."""
        return sum(p.nbytes for p in self.patches)


def tile_patches(mask: np.ndarray, rect: Rect, new: np.ndarray) -> list[Patch]:
    """The undo patches of writing `new` (uint8 of `rect`'s shape) into ``mask[rect]``: for each
    `TILE` x `TILE` tile of the image (row by row) that `rect` crosses, the bounding box of the pixels
    that change, old and new values, packed. Reads `mask`, never writes it; no whole-image copy
    (each tile is compared and packed on its own)."""
    y0, y1, x0, x1 = rect
    if new.shape != (y1 - y0, x1 - x0):
        raise ValueError(f"new values are {new.shape}, the rectangle {rect}")
    patches: list[Patch] = []
    for ty in range(y0 // TILE, (y1 - 1) // TILE + 1):
        top, bottom = max(y0, ty * TILE), min(y1, (ty + 1) * TILE)
        for tx in range(x0 // TILE, (x1 - 1) // TILE + 1):
            left, right = max(x0, tx * TILE), min(x1, (tx + 1) * TILE)
            old = mask[top:bottom, left:right]
            cur = new[top - y0:bottom - y0, left - x0:right - x0]
            sub = bounding_box(old != cur)
            if sub is None:
                continue
            a, b, c, d = sub
            patches.append(Patch.from_arrays((top + a, top + b, left + c, left + d), old[a:b, c:d], cur[a:b, c:d]))
    return patches
