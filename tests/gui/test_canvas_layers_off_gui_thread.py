"""A huge photo's result switch makes the canvas's layer arrays and drawings off the GUI thread (task A,
session 29): `ShownResult.show` made the prediction mask, the ground truth's mask and the error map there
(`shown_layers`: 129-679 ms at 48 MP under load) and `DeferredOverlays._ready` the τ contour's outline
or speckled edge and the layers' display arrays (370-741 ms). Now they come from workers
(app.analysis.shown_work, app.analysis.layer_drawing); the canvas shows the very pictures the old
drawing made of the same arrays (a real demo photo and its label, two sizes), a stale answer is dropped,
a threshold move while the arrays are made asks them again at the new threshold, and nothing is taken
after close."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from app.analysis import layer_drawing, shown_work
from app.analysis.overlays import OVERLAY_PREFIX, outline_item
from app.analysis.ragged_edge import edge_item, edge_pixels
from app.analysis.render import contour_path, display_array, outline_path, too_ragged, trace_contours
from app.analysis.shown_work import ShownWork
from fosp_core.analysis.results import ResultKey, read_label
from fosp_core.infer.gridmap import GridMap
from fosp_core.infer.result import Prediction
from tests.gui.grid_layer_helpers import images_set, letterboxed
from tests.gui.thread_spies import record_threads

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"  # bundled: runs in a fresh clone too
PHOTO = DEMO / "JPEGImages" / "20200905_ValleyFire_sm-e-mobo-c__1599342149_+00780.jpg"
LABEL = DEMO / "SegmentationClass" / f"{PHOTO.stem}.png"
SHOWN = ("probability", "focus map", "hole", "prediction mask", "ground truth", "error map", "τ contour")


@pytest.fixture
def huge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every image counts as huge (its layer arrays made on the worker)."""
    monkeypatch.setattr(shown_work, "WORKER_PIXELS", 1)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[threading.Thread]]:
    """The threads that made prediction masks, speckled edges and traced outlines from here on."""
    return record_threads(monkeypatch, {"mask": [(Prediction, "mask")], "edge": [(layer_drawing, "edge_pixels")],
                                        "trace": [(layer_drawing, "outline_path"), (layer_drawing, "trace_contours")]})


def _photo_window(qtbot, make_window, tmp_path: Path, shape: tuple[int, int]):  # noqa: ANN001, ANN202
    """A shown window on a demo photo and its label (SMOKE5K layout) resized to `shape`."""
    h, w = shape
    rgb = cv2.resize(np.asarray(Image.open(PHOTO).convert("RGB")), (w, h))
    gt = cv2.resize(read_label(LABEL), (w, h),
                    interpolation=cv2.INTER_NEAREST)
    (tmp_path / "img").mkdir()
    (tmp_path / "gt").mkdir()
    Image.fromarray(rgb).save(tmp_path / "img" / "photo.png")
    Image.fromarray(gt).save(tmp_path / "gt" / "photo.png")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([tmp_path / "img" / "photo.png"], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    for name in SHOWN:
        window.analysis.layers.set_visible(name, True)
    return window, read_label(tmp_path / "gt" / "photo.png")


def _prediction(label: np.ndarray, seed: int, real_hole: bool) -> Prediction:
    """A letterboxed prediction whose probability is the label blurred (+ a little noise) and whose hole
    is the label's at the grid (a smooth τ contour, traced) or random (a speckled one: its edge pixels)."""
    base = letterboxed(seed, label.shape)
    smoke = (label == 1).astype(np.float32)
    noise = np.random.default_rng(seed).random(label.shape, np.float32) * 0.1
    probability = np.clip(cv2.GaussianBlur(smoke, (0, 0), 4) * 0.9 + noise, 0, 1).astype(np.float32)
    hole = base.hole
    if real_hole:
        assert isinstance(hole, GridMap) and hole.geom is not None
        g = hole.geom
        grid = np.zeros(hole.grid.shape, bool)
        small = cv2.resize(smoke, (g.new_w, g.new_h), interpolation=cv2.INTER_NEAREST) > 0
        grid[:g.new_h, :g.new_w] = small  # (the image at the canvas's top left)
        hole = GridMap(grid, g, kind="mask", banded=False)
    return Prediction(probability=probability, focus_map=base.focus_map, hole=hole, background=base.background,
                      tau=0.5 + seed / 100)


def _settled(window) -> bool:  # noqa: ANN001
    shown = window.analysis.shown
    return not shown.pending and not shown.overlays.pending


def _assert_old_pictures(window, prediction: Prediction, label: np.ndarray) -> None:  # noqa: ANN001
    """Each shown layer's ImageItem, outline curve and speckled edge are what the old drawing made of
    the same arrays (render.display_array, outline_path / trace_contours, ragged_edge.edge_pixels)."""
    ctl = window.analysis
    threshold = ctl.settings.threshold
    want = {"prediction mask": prediction.mask(threshold), "ground truth": label == 1}
    for name in SHOWN:
        layer, source = ctl.layers[name], ctl.shown.arrays[name]
        full = source.full() if isinstance(source, GridMap) else source
        if name in want:
            np.testing.assert_array_equal(full, want[name])
        item = window.canvas.overlay(OVERLAY_PREFIX + name)
        data, levels = display_array(layer, full)
        np.testing.assert_array_equal(item.image, data)
        assert item.image.dtype == data.dtype
        assert tuple(item.levels) == tuple(levels)
        if layer.outline is None:
            continue
        mask = full.astype(bool)
        curve, edge = outline_item(item), edge_item(item)
        if too_ragged(mask):
            np.testing.assert_array_equal(edge.image, edge_pixels(mask))
            assert len(curve.getData()[0] if curve.getData()[0] is not None else []) == 0
            continue
        x, y, connect = (outline_path(mask, line=True) if layer.outline.line
                         else contour_path(trace_contours(mask)[0]))
        got = curve.getData()
        np.testing.assert_array_equal(got[0], x)
        np.testing.assert_array_equal(got[1], y)
        assert edge is None or edge.image is None


@pytest.mark.parametrize("shape", [(300, 400), (720, 960)])
def test_a_switch_makes_the_layers_off_the_gui_thread_with_the_old_pictures(
        qtbot, make_window, tmp_path: Path, huge: None, calls: dict[str, list[threading.Thread]],
        shape: tuple[int, int]) -> None:  # noqa: ANN001
    window, label = _photo_window(qtbot, make_window, tmp_path, shape)
    results = [_prediction(label, 1, True), _prediction(label, 2, False)]
    for prediction in (*results, results[0]):
        for made in calls.values():
            del made[:]
        window.analysis._show(prediction)
        assert window.analysis.shown.pending  # made on the worker, not in the call
        qtbot.waitUntil(lambda: _settled(window), timeout=20000)
        assert calls["mask"] and calls["edge"] + calls["trace"]
        for key, made in calls.items():
            assert threading.main_thread() not in made, key
        _assert_old_pictures(window, prediction, label)


def test_small_images_are_shown_at_once(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window, label = _photo_window(qtbot, make_window, tmp_path, (300, 400))
    prediction = _prediction(label, 3, True)
    window.analysis._show(prediction)
    assert not window.analysis.shown.pending
    np.testing.assert_array_equal(window.analysis.shown.arrays["prediction mask"],
                                  prediction.mask(window.analysis.settings.threshold))


def _hold_mask_of(monkeypatch: pytest.MonkeyPatch, held: Prediction) -> tuple[threading.Event, threading.Event]:
    started, release = threading.Event(), threading.Event()
    real = Prediction.mask

    def mask(self: Prediction, *args, **kwargs) -> np.ndarray:  # noqa: ANN002, ANN003
        if self.probability is held.probability:  # (shown_layers masks a copy without the hole)
            started.set()
            release.wait(20)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Prediction, "mask", mask)
    return started, release


def test_a_stale_answer_is_dropped(qtbot, make_window, tmp_path: Path, huge: None,
                                   monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window, label = _photo_window(qtbot, make_window, tmp_path, (300, 400))
    first, second = _prediction(label, 4, True), _prediction(label, 5, False)
    started, release = _hold_mask_of(monkeypatch, first)
    window.analysis._show(first)
    assert started.wait(20)
    window.analysis._show(second)  # the user moved on while the first was being made
    drawn = images_set(monkeypatch, window.canvas.overlay(OVERLAY_PREFIX + "prediction mask"))
    release.set()
    qtbot.waitUntil(lambda: _settled(window), timeout=20000)
    qtbot.wait(50)  # (the first answer, had it been kept, would be drawn by now too)
    assert window.analysis.shown.prediction is second
    assert len(drawn) == 1
    _assert_old_pictures(window, second, label)


def test_a_threshold_move_while_made_asks_again(qtbot, make_window, tmp_path: Path, huge: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window, label = _photo_window(qtbot, make_window, tmp_path, (300, 400))
    prediction = _prediction(label, 6, True)
    started, release = _hold_mask_of(monkeypatch, prediction)
    ctl = window.analysis
    window.analysis._show(prediction)
    assert started.wait(20)
    ctl.settings.threshold = 0.3
    ctl.shown.on_threshold()
    assert ctl.shown.pending
    release.set()
    qtbot.waitUntil(lambda: _settled(window), timeout=20000)
    np.testing.assert_array_equal(ctl.shown.arrays["prediction mask"], prediction.mask(0.3))


def test_nothing_is_taken_after_close(qtbot) -> None:  # noqa: ANN001
    taken: list[object] = []
    work = ShownWork(taken.append)
    started, release = threading.Event(), threading.Event()
    work.request(lambda: (started.set(), release.wait(20), "made")[-1])
    assert started.wait(20)
    work.close()  # the window closes while the worker makes the arrays
    release.set()
    qtbot.wait(100)
    work.ready.emit(work.lane.current, "queued before close")  # an answer queued before, delivered now
    qtbot.wait(10)
    assert taken == [] and not work.pending


def test_a_result_run_on_the_image_comes_with_its_outlines_traced(
        qtbot, make_window, tmp_path: Path, huge: None, calls: dict[str, list[threading.Thread]]) -> None:  # noqa: ANN001
    """The model's run on the image shown comes prepared by the inference thread (result_preparer: its
    layer arrays, the τ contour's at the image's size): the outlines of the shown layers (the τ
    contour's trace or speckled edge, the masks') are traced there too, none when it is shown."""
    from app.analysis.prepared import result_preparer

    window, label = _photo_window(qtbot, make_window, tmp_path, (300, 400))
    ctl = window.analysis
    for seed, real_hole in ((7, True), (8, False)):
        prediction = _prediction(label, seed, real_hole)
        preparer = result_preparer(ctl.layers, ctl.settings.threshold, ctl.settings.keep, draw=True)
        path = Path(window.session.current_path)
        prepared = preparer(path, prediction)  # (the inference thread's, in the app)
        ctl.scores.score(ResultKey.make(path, "test", prediction.tau), prediction, prepared)  # as runs.py takes it
        assert {"τ contour", "prediction mask", "ground truth"} <= set(prepared.outlines)
        for made in calls.values():
            del made[:]
        ctl.shown.show(prediction, prepared)
        qtbot.waitUntil(lambda: _settled(window), timeout=20000)
        assert calls["edge"] + calls["trace"] == []  # none traced when shown
        _assert_old_pictures(window, prediction, label)
