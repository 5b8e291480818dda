"""A shown layer held at the network's grid (Focus Map, background, hole, τ contour: GridMap) is
brought to the image's size off the GUI thread (app.analysis.deferred_overlays): switching results
with them shown runs no ``GridMap.full()`` on the GUI thread, a layer turned on later is made on a
worker (its row says it is being drawn) and shows the very pixels of ``full()``, a stale answer is
dropped, a hidden layer keeps no full array, and a result prepared with its shown layers drawn
(app.analysis.prepared) is drawn with no worker at all."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from app.analysis.layer_list import DRAWING_SUFFIX
from app.analysis.overlays import OVERLAY_PREFIX
from app.analysis.prepared import prepare_result
from tests.gui.grid_layer_helpers import (
    hold_full_of,
    images_set,
    letterboxed,
    on_gui,
    photo_window,
    record_full_threads,
)

SHOWN = ("focus map", "separated background")


@pytest.fixture
def full_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The thread of every GridMap.full() call."""
    return record_full_threads(monkeypatch)


def _image(window, name: str):  # noqa: ANN001, ANN202
    return window.canvas.overlay(OVERLAY_PREFIX + name).image


def _window_showing_grid_layers(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    """The photo window with the Focus Map and the separated background turned on."""
    window = photo_window(qtbot, make_window, tmp_path)
    for name in SHOWN:
        window.analysis.layers.set_visible(name, True)
    return window


def test_switching_results_with_focus_and_background_shown_upsamples_off_the_gui_thread(
        qtbot, make_window, tmp_path: Path, full_threads: list[threading.Thread]) -> None:  # noqa: ANN001
    window = _window_showing_grid_layers(qtbot, make_window, tmp_path)
    ctl = window.analysis
    first, second = letterboxed(1), letterboxed(2)
    wants = {id(p): (p.focus_map.full(), p.background.full(), p.hole.boundary().full()) for p in (first, second)}
    del full_threads[:]  # (the test's own calls, above)
    for prediction in (first, second, first):
        ctl._show(prediction)  # what switching to a cached result does (ShownResult.show)
        assert on_gui(full_threads) == 0
        qtbot.waitUntil(lambda: all(
            _image(window, n) is not None and not ctl.layer_list.item(n).text().endswith(DRAWING_SUFFIX)
            for n in (*SHOWN, "τ contour")), timeout=20000)
        focus, background, contour = wants[id(prediction)]
        np.testing.assert_array_equal(_image(window, "focus map"), focus)
        np.testing.assert_array_equal(_image(window, "separated background"), background)
        np.testing.assert_array_equal(ctl.shown.overlays.drawn["τ contour"], contour)
    assert full_threads and on_gui(full_threads) == 0  # every full() of the switches ran on a worker


def test_a_layer_turned_on_later_is_drawn_by_a_worker_with_the_same_pixels(
        qtbot, make_window, tmp_path: Path, full_threads: list[threading.Thread]) -> None:  # noqa: ANN001
    window = photo_window(qtbot, make_window, tmp_path)
    ctl = window.analysis
    prediction = letterboxed(3)
    ctl._show(prediction)
    qtbot.waitUntil(lambda: _image(window, "τ contour") is not None, timeout=20000)
    del full_threads[:]
    assert _image(window, "focus map") is None  # hidden: never made
    ctl.layers.set_visible("focus map", True)
    assert ctl.layer_list.item("focus map").text() == f"focus map {DRAWING_SUFFIX}"  # the row says so
    qtbot.waitUntil(lambda: _image(window, "focus map") is not None, timeout=20000)
    assert ctl.layer_list.item("focus map").text() == "focus map"
    assert len(full_threads) == 1 and full_threads[0] is not threading.main_thread()
    want = prediction.focus_map.full()  # (the test's own call, on this thread)
    np.testing.assert_array_equal(_image(window, "focus map"), want)
    assert window.canvas.overlay(OVERLAY_PREFIX + "focus map").isVisible()
    ctl.layers.set_visible("focus map", False)  # hidden: its full array let go
    assert _image(window, "focus map") is None and "focus map" not in ctl.shown.overlays.drawn


def test_a_stale_answer_is_dropped(qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = photo_window(qtbot, make_window, tmp_path)
    ctl = window.analysis
    for name in ("τ contour", "prediction mask"):
        ctl.layers.set_visible(name, False)
    first, second = letterboxed(4), letterboxed(5)
    started, release, real = hold_full_of(monkeypatch, first.focus_map)  # held on the worker until the user moved on
    ctl.layers.set_visible("focus map", True)
    ctl._show(first)
    assert started.wait(20)
    ctl._show(second)  # the user moved on while the first was being made
    item = window.canvas.overlay(OVERLAY_PREFIX + "focus map")
    drawn = images_set(monkeypatch, item)
    release.set()
    qtbot.waitUntil(lambda: _image(window, "focus map") is not None, timeout=20000)
    qtbot.wait(50)  # (the first answer, had it been kept, would be drawn by now too)
    want = real(second.focus_map)
    assert len(drawn) == 1
    np.testing.assert_array_equal(drawn[0], want)
    np.testing.assert_array_equal(_image(window, "focus map"), want)


def test_a_prepared_result_draws_its_shown_layers_with_no_worker(
        qtbot, make_window, tmp_path: Path, full_threads: list[threading.Thread]) -> None:  # noqa: ANN001
    window = _window_showing_grid_layers(qtbot, make_window, tmp_path)
    ctl = window.analysis
    prediction = letterboxed(6)
    path = Path(window.session.current_path)
    prepared = prepare_result(path, prediction, 0.5, "plain", shown=(*SHOWN, "τ contour"))
    assert set(prepared.drawn) == set(SHOWN)  # (the τ contour the inference thread makes as an array)
    del full_threads[:]
    ctl.shown.show(prediction, prepared)
    assert full_threads == []  # drawn at once, from what the inference thread made
    for name in SHOWN:
        np.testing.assert_array_equal(_image(window, name), prepared.drawn[name])
        assert not ctl.layer_list.item(name).text().endswith(DRAWING_SUFFIX)
    assert ctl.shown.overlays.pending == set()
