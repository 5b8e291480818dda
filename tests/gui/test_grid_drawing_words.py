"""The compare grid's `drawing` names the panels whose pictures are still coming (app.analysis.
compare_grid). With a ground truth and no prediction on a huge image, only the ground truth's outline
is made on the worker (drawn on the Focus Map & ground truth panel); `drawing` said the prediction
panel was being drawn, which has nothing coming."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.analysis import grid_masks
from app.analysis.compare_grid import COLUMNS, CompareGrid
from fosp_core.infer.result import Prediction

H, W = 90, 120


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Every image counts as huge; the worker's pictures wait for the event returned."""
    monkeypatch.setattr(grid_masks, "WORKER_PIXELS", 1)
    release = threading.Event()
    real = grid_masks.mask_pictures

    def waiting(*args, **kwargs) -> grid_masks.MaskPictures:  # noqa: ANN002, ANN003
        release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(grid_masks, "mask_pictures", waiting)
    return release


def _label() -> np.ndarray:
    label = np.zeros((H, W), np.uint8)
    label[20:60, 30:90] = 1
    return label


def test_a_pending_ground_truth_outline_is_not_the_prediction_panel(qtbot, held: threading.Event) -> None:
    grid = CompareGrid()
    qtbot.addWidget(grid)
    grid.set_content(np.zeros((H, W, 3), np.uint8), None, _label(), 0.5)
    assert grid.drawing == {COLUMNS[1]}  # the ground truth's outline's panel, not the prediction's
    assert not grid.mask_note.isVisible()
    held.set()
    qtbot.waitUntil(lambda: not grid.drawing, timeout=10000)
    assert len(grid.gt_outline.getData()[0]) > 0


def test_a_pending_prediction_names_both_panels(qtbot, held: threading.Event) -> None:
    grid = CompareGrid()
    qtbot.addWidget(grid)
    probability = np.zeros((H, W), np.float32)
    probability[10:50, 10:70] = 0.9
    grid.set_content(np.zeros((H, W, 3), np.uint8), Prediction(probability=probability), _label(), 0.5)
    assert {COLUMNS[1], COLUMNS[4]} <= grid.drawing
    grid.set_content(np.zeros((H, W, 3), np.uint8), Prediction(probability=probability), None, 0.5)
    assert grid.drawing == {COLUMNS[4]}  # no ground truth (nor Focus Map) asked for
    held.set()
    qtbot.waitUntil(lambda: not grid.drawing, timeout=10000)
