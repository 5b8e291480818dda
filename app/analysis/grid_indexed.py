"""The compare grid's scalar panels (Focus Map, separated foreground) as colour indices made off the
GUI thread.

pyqtgraph draws a float map through a lookup table by rescaling it to the table's indices at its
first paint, on the GUI thread, in Python-driven chunks (`functions.rescaleData`): 0.3-1.0 s for a
48 MP panel under load (session 28, C, ``bench/bench_huge_turns.py``). :class:`IndexedMap` makes those
indices on the grid's worker, with pyqtgraph's own function and arguments
(:func:`colour_indices`), and the panel is handed the uint8 indices without levels: pyqtgraph's
levels table of a uint8 image is then the identity and the picture is the same, byte for byte,
colour table included (``tests/gui/test_grid_masks_off_gui_thread.py``). A map holding NaN (drawn
transparent there by pyqtgraph) gets no indices: it is drawn as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyqtgraph import functions_qimage

from app.analysis.upsampler import deferred, upsample

__all__ = ["COLOURS", "IndexedMap", "IndexedPicture", "colour_indices"]

#: Entries of the grid's lookup tables (`app.analysis.render.lookup_table`).
COLOURS = 256


def colour_indices(values: np.ndarray, levels: tuple[float, float], colours: int = COLOURS) -> np.ndarray | None:
    """uint8 (H, W): the indices into a lookup table of `colours` entries that pyqtgraph draws float
    (H, W) `values` with between `levels` (its own rescale: the same calls); None where `values`
    holds NaN or `colours` does not fit a byte. Any thread."""
    if values.ndim != 2 or values.dtype.kind != "f" or not 0 < colours <= 256 or np.isnan(values.min()):
        return None
    table = np.zeros((colours, 3), np.uint8)  # only its length counts here
    indices, _ = functions_qimage._rescale_and_lookup_float(np, values, np.asarray(levels), table,
                                                            forceApplyLut=False)
    return indices if indices.dtype == np.uint8 else None


@dataclass(frozen=True)
class IndexedPicture:
    """A panel's picture: the map's full array (`values`) and its :func:`colour_indices` between
    `levels` (None: drawn from `values`)."""

    values: np.ndarray | None
    indices: np.ndarray | None
    levels: tuple[float, float]


class IndexedMap:
    """What the grid asks of the worker for a scalar panel: `source`'s full array (an ndarray, a map
    upsampled: :func:`~app.analysis.upsampler.upsample`, shared with the canvas) and its indices."""

    def __init__(self, source: object, levels: tuple[float, float]) -> None:
        self.source = source
        self.levels = (float(levels[0]), float(levels[1]))

    def full(self) -> IndexedPicture:
        """The picture (any thread: the worker's)."""
        values = upsample(self.source) if deferred(self.source) else self.source  # type: ignore[arg-type]
        if not isinstance(values, np.ndarray):
            return IndexedPicture(None, None, self.levels)
        return IndexedPicture(values, colour_indices(values, self.levels), self.levels)
