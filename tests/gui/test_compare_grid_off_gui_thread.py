"""The compare grid's maps held at the network's grid (Focus Map, separated background, foreground
energies: GridMap) are brought to the image's size off the GUI thread: switching images with the grid's
dock shown runs no ``GridMap.full()`` on the GUI thread (it ran three to five there, 0.4-2.6 s at
12-48 MP), a panel says "drawing…" until its map comes, the panels show the very pixels ``full()``
makes, the arrays the canvas made are taken as they are, a stale answer is dropped, the export waits
for its maps, and the legend's maximum of an energy layer never drawn is made on the worker too."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from app.analysis.compare_grid import COLUMNS
from fosp_core.infer.result import Prediction
from tests.gui.grid_layer_helpers import hold_full_of, images_set, on_gui, photo_window, record_full_threads
from tests.gui.grid_layer_helpers import letterboxed as grid_letterboxed

STRIDES = (4, 8)


def letterboxed(seed: int) -> Prediction:
    """A letterboxed prediction: Focus Map, hole, background and two strides' energies at the grid."""
    return grid_letterboxed(seed, strides=STRIDES)


def old_foreground(prediction: Prediction) -> np.ndarray:
    """The separated-foreground panel as the grid made it before (each stride's energy over its max)."""
    tops = [(e.full(), float(e.full().max())) for e in prediction.foreground_energy.values()]
    total = np.zeros(prediction.shape, np.float32)
    for full, top in tops:
        total += full / np.float32(top)
    return total / np.float32(len(tops))


@pytest.fixture
def full_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The thread of every GridMap.full() call."""
    return record_full_threads(monkeypatch)


def _window(qtbot, make_window, tmp_path: Path, dock: bool = True):  # noqa: ANN001, ANN202
    window = photo_window(qtbot, make_window, tmp_path)
    if dock:
        window.analysis.grid_dock.show()
        qtbot.waitUntil(window.analysis.grid_dock.isVisible, timeout=5000)
    return window


def _panels(grid):  # noqa: ANN001, ANN202
    """The maps the panels show (a scalar panel draws their colour indices: app.analysis.grid_indexed)."""
    return [grid.maps.picture(c) for c in COLUMNS[1:4]]


def test_switching_images_with_the_grid_shown_upsamples_its_maps_off_the_gui_thread(
        qtbot, make_window, tmp_path: Path, full_threads: list[threading.Thread]) -> None:  # noqa: ANN001
    window = _window(qtbot, make_window, tmp_path)
    ctl = window.analysis
    ctl.layers.set_visible("focus map", True)  # one map the canvas draws too (taken from it)
    first, second = letterboxed(1), letterboxed(2)
    wants = {id(p): (p.focus_map.full(), p.background.full(), old_foreground(p)) for p in (first, second)}
    del full_threads[:]  # (the test's own calls, above)
    for prediction in (first, second, first):
        ctl._show(prediction)  # what switching to a cached result does
        assert on_gui(full_threads) == 0
        assert ctl.grid.drawing  # the panels say so until their maps come
        qtbot.waitUntil(lambda: not ctl.grid.drawing and not ctl.shown.overlays.pending, timeout=20000)
        for got, want in zip(_panels(ctl.grid), wants[id(prediction)], strict=True):
            np.testing.assert_array_equal(got, want)
        assert on_gui(full_threads) == 0
    assert full_threads and on_gui(full_threads) == 0  # every full() of the switches ran on a worker


def test_the_grid_takes_the_canvas_s_arrays(qtbot, make_window, tmp_path: Path,
                                           full_threads: list[threading.Thread]) -> None:  # noqa: ANN001
    window = _window(qtbot, make_window, tmp_path)
    ctl = window.analysis
    for name in ("focus map", "separated background"):
        ctl.layers.set_visible(name, True)
    prediction = letterboxed(3)
    ctl._show(prediction)
    qtbot.waitUntil(lambda: not ctl.grid.drawing and not ctl.shown.overlays.pending, timeout=20000)
    drawn = ctl.shown.overlays.drawn
    # the very arrays, not made again (the ImageItem holds a view of its array)
    assert np.shares_memory(ctl.grid.maps.picture(COLUMNS[1]), drawn["focus map"])
    assert np.shares_memory(ctl.grid.maps.picture(COLUMNS[2]), drawn["separated background"])
    assert len(full_threads) == 2 + 1 + len(STRIDES)  # focus, background, τ contour, the energies: each once


def test_a_stale_grid_answer_is_dropped(qtbot, make_window, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = _window(qtbot, make_window, tmp_path)
    ctl = window.analysis
    first, second = letterboxed(4), letterboxed(5)
    started, release, real = hold_full_of(monkeypatch, first.background)  # held on the worker until the user moved on
    ctl._show(first)
    assert started.wait(20)
    ctl._show(second)  # the user moved on while the first was being made
    item = ctl.grid.items[COLUMNS[2]]
    drawn = images_set(monkeypatch, item)
    release.set()
    qtbot.waitUntil(lambda: not ctl.grid.drawing, timeout=20000)
    qtbot.wait(50)  # (the first answer, had it been kept, would be drawn by now too)
    want = real(second.background)
    assert len(drawn) == 1
    np.testing.assert_array_equal(drawn[0], want)
    np.testing.assert_array_equal(item.image, want)


def test_the_export_waits_for_its_maps(qtbot, make_window, tmp_path: Path,
                                       full_threads: list[threading.Thread]) -> None:  # noqa: ANN001
    window = _window(qtbot, make_window, tmp_path, dock=False)
    ctl = window.analysis
    prediction = letterboxed(6)
    ctl._show(prediction)
    out = tmp_path / "grid.png"
    assert ctl.export_grid(out) and out.exists()  # (the dock hidden: the grid filled for the export)
    assert on_gui(full_threads) == 0
    np.testing.assert_array_equal(ctl.grid.items[COLUMNS[2]].image, prediction.background.full())


def test_the_legend_s_max_of_an_energy_never_drawn_is_made_on_the_worker(
        qtbot, make_window, tmp_path: Path, full_threads: list[threading.Thread]) -> None:  # noqa: ANN001
    window = _window(qtbot, make_window, tmp_path, dock=False)
    ctl = window.analysis
    prediction = letterboxed(7)
    ctl._show(prediction)
    qtbot.waitUntil(lambda: not ctl.shown.overlays.pending, timeout=20000)
    del full_threads[:]
    name = f"foreground energy /{STRIDES[0]}"
    ctl.layer_list.select(name)  # never drawn: its legend's range is its maximum
    assert on_gui(full_threads) == 0
    qtbot.waitUntil(lambda: "(max)" in ctl.layer_list.legend.text().splitlines()[0], timeout=20000)
    assert on_gui(full_threads) == 0
    want = f"{float(prediction.foreground_energy[STRIDES[0]].full().max()):.3g} (max)"
    assert ctl.layer_list.legend.text().splitlines()[0].endswith(want)
