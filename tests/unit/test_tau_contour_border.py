"""The τ contour closes along the image's border (as napari's and matplotlib's contours do, and as the
canvas's traced outlines and ragged edges already did): a Focus region touching the border is edged
along it, and one covering the whole image is edged by the image's border pixels. Before, the border
counted as inside the region, so the layer drew no line there and nothing at all for a whole-image
region. Real arrays: a SMOKE5K ground-truth mask that runs off the image's right side, as the hole
(measured with the border inside: 2 of its 143 right-column pixels in the contour, 0 of those rows
under the traced line, 0 contour pixels for a whole 768x1024 hole; now 143, 143 and 3580)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.analysis.layer_drawing import trace_outline
from app.analysis.ragged_edge import edge_pixels
from fosp_core.analysis.layers import TAU_OUTLINE
from fosp_core.analysis.results import read_label, tau_contour
from fosp_core.infer.gridmap import GridMap

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "SegmentationClass"  # bundled


@pytest.fixture(scope="module")
def hole() -> np.ndarray:
    """A real smoke label (the bundled ValleyFire demo) cut at its smoke's middle column, so the region
    runs into the image's right border (the figures in the module doc came from a SMOKE5K mask that did)."""
    label = read_label(DEMO / "20200905_ValleyFire_sm-e-mobo-c__1599342149_+00780.png")
    assert label is not None
    smoke = label == 1
    columns = np.flatnonzero(smoke.any(axis=0))
    mask = smoke[:, : (columns[0] + columns[-1]) // 2 + 1]
    assert mask[:, -1].sum() > 10 and not mask.all()
    return mask


def test_a_region_touching_the_border_is_edged_along_it(hole: np.ndarray) -> None:
    edge = tau_contour(hole)
    np.testing.assert_array_equal(edge[:, -1], hole[:, -1])  # every region pixel on the border
    # the same pixels as the canvas's edge of a ragged mask (border outside); unchanged off the border
    np.testing.assert_array_equal(edge, edge_pixels(hole) > 0)
    padded = np.pad(hole, 1, mode="edge")
    old = hole & ~(padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:])
    np.testing.assert_array_equal(edge[:, :-1], old[:, :-1])


def test_the_traced_tau_line_runs_along_the_border(hole: np.ndarray) -> None:
    width = hole.shape[1]
    x, y, connect = trace_outline(TAU_OUTLINE, tau_contour(hole)).path
    covered = np.zeros(hole.shape[0], bool)  # rows the line's segments along the right border pass
    for i in np.flatnonzero(connect[:-1] & (x[:-1] == width - 0.5) & (x[1:] == width - 0.5)):
        lo, hi = sorted((int(y[i] - 0.5), int(y[i + 1] - 0.5)))
        covered[lo:hi + 1] = True
    np.testing.assert_array_equal(covered, hole[:, -1])


def test_a_region_covering_the_whole_image_is_edged_by_the_border(hole: np.ndarray) -> None:
    whole = np.ones_like(hole)
    height, width = whole.shape
    edge = tau_contour(whole)
    assert edge.sum() == 2 * (height + width) - 4 and not edge[1:-1, 1:-1].any()
    x, y, connect = trace_outline(TAU_OUTLINE, edge).path
    assert len(x) > 0 and not connect[-1]
    assert (x.min(), x.max(), y.min(), y.max()) == (0.5, width - 0.5, 0.5, height - 0.5)


def test_a_hole_held_at_the_grid_has_the_same_border_edge(hole: np.ndarray) -> None:
    held = GridMap(hole, None, kind="mask", banded=False)
    np.testing.assert_array_equal(held.boundary().full()[:, -1], hole[:, -1])
    np.testing.assert_array_equal(held.boundary().full(), tau_contour(hole))
    whole = GridMap(np.ones_like(hole), None, kind="mask", banded=False)
    np.testing.assert_array_equal(whole.boundary().full(), tau_contour(np.ones_like(hole)))
