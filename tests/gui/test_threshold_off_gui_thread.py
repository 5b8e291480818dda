"""A threshold move (the τ slider) on a huge photo makes the prediction mask, the error map and the
shown mask's outline off the GUI thread (task N, session 29): `ShownResult.on_threshold` made them
there (`thresholded_arrays` then the outline's trace) at every move, 0.4-1 s at 48 MP; a result switch
no longer did (266ea48). Now they come from the switch's worker (app.analysis.shown_work): the same
pictures, the last mask shown until they come, a stale answer (an older threshold, another result)
dropped, and small images still done at once."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from app.analysis import layer_drawing, shown_work
from app.analysis.overlays import OVERLAY_PREFIX
from fosp_core.analysis.layers import thresholded_arrays
from fosp_core.infer.result import Prediction
from tests.gui.grid_layer_helpers import images_set
from tests.gui.test_canvas_layers_off_gui_thread import (
    _assert_old_pictures,
    _photo_window,
    _prediction,
    _settled,
)
from tests.gui.thread_spies import record_threads


@pytest.fixture
def huge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every image counts as huge (its layer arrays made on the worker)."""
    monkeypatch.setattr(shown_work, "WORKER_PIXELS", 1)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[threading.Thread]]:
    """The threads that made prediction masks and traced outlines from here on."""
    return record_threads(monkeypatch, {"mask": [(Prediction, "mask")],
                                        "trace": [(layer_drawing, "edge_pixels"), (layer_drawing, "outline_path"),
                                                  (layer_drawing, "trace_contours")]})


def _shown(qtbot, make_window, tmp_path: Path, shape: tuple[int, int], seed: int = 1):  # noqa: ANN001, ANN202
    window, label = _photo_window(qtbot, make_window, tmp_path, shape)
    prediction = _prediction(label, seed, True)
    window.analysis.settings.set_threshold(0.5)
    window.analysis._show(prediction)
    qtbot.waitUntil(lambda: _settled(window), timeout=20000)
    return window, label, prediction


def _hold_masks(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event, list[float]]:
    """Masks made off the GUI thread wait for `release`; `started` once one does; the thresholds asked."""
    started, release, asked = threading.Event(), threading.Event(), []
    real = Prediction.mask

    def mask(self: Prediction, threshold: float = 0.5, keep: str = "plain") -> np.ndarray:
        if threading.current_thread() is not threading.main_thread():
            asked.append(threshold)
            started.set()
            release.wait(20)
        return real(self, threshold, keep)

    monkeypatch.setattr(Prediction, "mask", mask)
    return started, release, asked


@pytest.mark.parametrize("shape", [(300, 400), (720, 960)])
def test_a_threshold_move_makes_the_mask_off_the_gui_thread_with_the_old_pictures(
        qtbot, make_window, tmp_path: Path, huge: None, calls: dict[str, list[threading.Thread]],
        shape: tuple[int, int]) -> None:  # noqa: ANN001
    window, label, prediction = _shown(qtbot, make_window, tmp_path, shape)
    ctl = window.analysis
    for threshold in (0.3, 0.7):
        for made in calls.values():
            del made[:]
        ctl.settings.set_threshold(threshold)  # what the slider's move does
        assert ctl.shown.pending  # made on the worker, not in the call
        qtbot.waitUntil(lambda: _settled(window), timeout=20000)
        assert calls["mask"] and calls["trace"]
        for key, made in calls.items():
            assert threading.main_thread() not in made, key
        _assert_old_pictures(window, prediction, label)
        want = thresholded_arrays(prediction, threshold, ctl.shown.label, ctl.settings.keep, ctl.shown.codes)
        for name, array in want.items():
            np.testing.assert_array_equal(ctl.shown.arrays[name], array)


def test_a_drag_shows_the_last_mask_until_the_settled_one_comes(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                huge: None, monkeypatch: pytest.MonkeyPatch) -> None:
    window, _label, prediction = _shown(qtbot, make_window, tmp_path, (300, 400))
    ctl = window.analysis
    before = ctl.shown.arrays["prediction mask"]
    item = window.canvas.overlay(OVERLAY_PREFIX + "prediction mask")
    drawn = images_set(monkeypatch, item)
    started, release, asked = _hold_masks(monkeypatch)
    ctl.settings.set_threshold(0.3)
    assert started.wait(20)
    for threshold in (0.35, 0.4, 0.45):  # the slider dragged on while the first move's mask is made
        ctl.settings.set_threshold(threshold)
        qtbot.wait(5)
    assert ctl.shown.arrays["prediction mask"] is before and drawn == []  # the last mask stays meanwhile
    release.set()
    qtbot.waitUntil(lambda: _settled(window), timeout=20000)
    qtbot.wait(50)  # (a stale answer, had it been taken, would be drawn by now too)
    assert asked == [0.3, 0.45]  # the moves queued behind the first were skipped, the last one made
    assert len(drawn) == 1
    np.testing.assert_array_equal(ctl.shown.arrays["prediction mask"], prediction.mask(0.45))


def test_a_switch_drops_the_threshold_moves_answer(qtbot, make_window, tmp_path: Path, huge: None,  # noqa: ANN001
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window, label, _first = _shown(qtbot, make_window, tmp_path, (300, 400))
    ctl = window.analysis
    second = _prediction(label, 2, True)
    started, release, _asked = _hold_masks(monkeypatch)
    ctl.settings.set_threshold(0.3)
    assert started.wait(20)
    ctl._show(second)  # another result while the move's mask is being made
    release.set()
    qtbot.waitUntil(lambda: _settled(window), timeout=20000)
    qtbot.wait(50)
    assert ctl.shown.prediction is second
    np.testing.assert_array_equal(ctl.shown.arrays["prediction mask"], second.mask(0.3))


def test_small_images_move_at_once(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window, _label, prediction = _shown(qtbot, make_window, tmp_path, (300, 400))
    window.analysis.settings.set_threshold(0.3)
    assert not window.analysis.shown.pending
    np.testing.assert_array_equal(window.analysis.shown.arrays["prediction mask"], prediction.mask(0.3))
