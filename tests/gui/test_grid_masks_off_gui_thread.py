"""The compare grid's prediction panel and outlines are made off the GUI thread on huge photos
(app.analysis.grid_masks, session 28 C): switching images with the grid's dock shown thresholded the
probability and traced the prediction's and the ground truth's outlines on the GUI thread (0.3-1.2 s
at 48 MP). The panel shows the very pixels and outlines it showed before, a stale answer is dropped,
a threshold move keeps the last mask until the new one comes, the export waits for them, and the
same image shown again is not set on its panel again."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from app.analysis import grid_masks
from app.analysis.compare_grid import COLUMNS, CompareGrid
from app.analysis.render import outline_path
from fosp_core.infer.result import Prediction
from tests.gui.grid_layer_helpers import images_set

H, W = 120, 160


@pytest.fixture
def huge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every image counts as huge (its masks made on the worker)."""
    monkeypatch.setattr(grid_masks, "WORKER_PIXELS", 1)


@pytest.fixture
def mask_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The thread of every Prediction.mask call from here on."""
    threads: list[threading.Thread] = []
    real = Prediction.mask

    def mask(self: Prediction, *args, **kwargs) -> np.ndarray:  # noqa: ANN002, ANN003
        threads.append(threading.current_thread())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Prediction, "mask", mask)
    return threads


def _prediction(seed: int) -> Prediction:
    """A smooth probability (a mask of a few regions, outlined)."""
    y, x = np.mgrid[0:H, 0:W]
    centre = np.random.default_rng(seed).uniform((20, 20), (H - 20, W - 20))
    prob = np.exp(-((y - centre[0]) ** 2 + (x - centre[1]) ** 2) / 900.0).astype(np.float32)
    return Prediction(probability=prob)


def _label(prediction: Prediction) -> np.ndarray:
    return (prediction.probability > 0.3).astype(np.uint8)


def _grid(qtbot) -> CompareGrid:  # noqa: ANN001
    grid = CompareGrid()
    qtbot.addWidget(grid)
    return grid


def _drawn(grid: CompareGrid) -> bool:
    return grid.items[COLUMNS[4]].image is not None and COLUMNS[4] not in grid.drawing


def _assert_shows(grid: CompareGrid, prediction: Prediction, label: np.ndarray | None, threshold: float) -> None:
    mask = prediction.mask(threshold)
    np.testing.assert_array_equal(grid.items[COLUMNS[4]].image, mask * np.uint8(255))
    for curve, source in ((grid.prediction_outline, mask), (grid.gt_outline, None if label is None else label == 1)):
        x, y = curve.getData()
        if source is None:
            assert x is None or len(x) == 0
            continue
        want = outline_path(source)
        assert len(want[0]) > 0
        np.testing.assert_array_equal(x, want[0])
        np.testing.assert_array_equal(y, want[1])


def test_a_switch_makes_the_mask_and_outlines_off_the_gui_thread(qtbot, huge: None,
                                                                 mask_threads: list[threading.Thread]) -> None:
    grid = _grid(qtbot)
    rgb = np.zeros((H, W, 3), np.uint8)
    for seed in (1, 2, 1):
        prediction = _prediction(seed)
        label = _label(prediction)
        del mask_threads[:]
        grid.set_content(rgb, prediction, label, 0.5)
        assert threading.main_thread() not in mask_threads
        qtbot.waitUntil(lambda: _drawn(grid), timeout=10000)
        assert mask_threads and threading.main_thread() not in mask_threads
        _assert_shows(grid, prediction, label, 0.5)


def test_small_images_are_drawn_at_once(qtbot) -> None:
    grid = _grid(qtbot)
    prediction = _prediction(3)
    grid.set_content(np.zeros((H, W, 3), np.uint8), prediction, None, 0.5)
    assert not grid.drawing
    _assert_shows(grid, prediction, None, 0.5)


def test_a_stale_answer_is_dropped(qtbot, huge: None, monkeypatch: pytest.MonkeyPatch) -> None:
    grid = _grid(qtbot)
    first, second = _prediction(4), _prediction(5)
    started, release = threading.Event(), threading.Event()
    real = Prediction.mask

    def held(self: Prediction, *args, **kwargs) -> np.ndarray:  # noqa: ANN002, ANN003
        if self is first:
            started.set()
            release.wait(20)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Prediction, "mask", held)
    rgb = np.zeros((H, W, 3), np.uint8)
    grid.set_content(rgb, first, None, 0.5)
    assert started.wait(20)
    grid.set_content(rgb, second, None, 0.5)  # the user moved on while the first was being made
    drawn = images_set(monkeypatch, grid.items[COLUMNS[4]])
    release.set()
    qtbot.waitUntil(lambda: _drawn(grid), timeout=10000)
    qtbot.wait(50)  # (the first answer, had it been kept, would be drawn by now too)
    assert len(drawn) == 1
    _assert_shows(grid, second, None, 0.5)


def test_a_threshold_move_keeps_the_last_mask_until_the_new_one(qtbot, huge: None) -> None:
    grid = _grid(qtbot)
    prediction, rgb = _prediction(6), np.zeros((H, W, 3), np.uint8)
    grid.set_content(rgb, prediction, None, 0.5)
    qtbot.waitUntil(lambda: _drawn(grid), timeout=10000)
    grid.set_content(rgb, prediction, None, 0.2)
    assert grid.items[COLUMNS[4]].image is not None and not grid.mask_note.isVisible()  # no empty panel
    qtbot.waitUntil(lambda: _drawn(grid), timeout=10000)
    _assert_shows(grid, prediction, None, 0.2)
    grid.set_content(rgb, _prediction(7), None, 0.5)  # another result: the last one's mask goes at once
    assert grid.items[COLUMNS[4]].image is None and grid.mask_note.isVisible()


def test_the_export_waits_for_the_outlines(qtbot, huge: None, tmp_path: Path) -> None:
    grid = _grid(qtbot)
    prediction = _prediction(8)
    label = _label(prediction)
    grid.set_content(np.zeros((H, W, 3), np.uint8), prediction, label, 0.5)
    assert grid.export_png(tmp_path / "grid.png")
    _assert_shows(grid, prediction, label, 0.5)


def test_the_same_image_is_not_set_again(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    grid = _grid(qtbot)
    rgb = np.zeros((H, W, 3), np.uint8)
    drawn = images_set(monkeypatch, grid.items[COLUMNS[0]])
    for threshold in (0.5, 0.6):  # a threshold move: the image panel's picture stays
        grid.set_content(rgb, _prediction(9), None, threshold)
    assert len(drawn) == 1
    grid.set_content(rgb.copy(), _prediction(9), None, 0.5)  # another image
    assert len(drawn) == 2


def _rendered(item) -> bytes:  # noqa: ANN001 - an ImageItem
    item.render()
    qimage = item.qimage
    return bytes(qimage.constBits())[: qimage.sizeInBytes()] + repr(qimage.format()).encode()


def test_uint8_rgb_pictures_are_drawn_without_pyqtgraph_s_rescale(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The image and separated-background panels (uint8 RGB between 0 and 255) are handed to pyqtgraph
    without levels: the same picture, without its whole-image rescale (0.7-2.9 s at 48 MP)."""
    import pyqtgraph as pg
    import pyqtgraph.functions as fn

    from app.analysis.grid_maps import item_levels

    rgb = np.random.default_rng(0).integers(0, 256, (H, W, 3), dtype=np.uint8)
    with_levels, without = pg.ImageItem(axisOrder="row-major"), pg.ImageItem(axisOrder="row-major")
    with_levels.setImage(rgb, autoLevels=False, levels=(0, 255))
    without.setImage(rgb, autoLevels=False, levels=item_levels(rgb, (0.0, 255.0)))
    assert without.levels is None
    assert _rendered(with_levels) == _rendered(without)
    grey = rgb[..., 0].astype(np.float32)
    assert item_levels(grey, (0.0, 255.0)) == (0.0, 255.0)  # a scalar map keeps its levels
    assert item_levels(rgb, (0.0, 128.0)) == (0.0, 128.0)

    rescaled: list[tuple[int, ...]] = []
    real = fn.rescaleData
    monkeypatch.setattr(fn, "rescaleData", lambda data, *a, **k: (rescaled.append(data.shape), real(data, *a, **k))[1])
    grid = _grid(qtbot)
    background = np.asarray(rgb, np.uint8)
    grid.set_content(rgb, Prediction(probability=np.zeros((H, W), np.float32), background=background), None, 0.5)
    for column in (COLUMNS[0], COLUMNS[2]):
        assert grid.items[column].levels is None
        grid.items[column].render()
    assert (H, W, 3) not in rescaled  # neither picture went through the rescale
