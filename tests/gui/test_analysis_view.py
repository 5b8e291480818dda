"""The analysis view offscreen: load a tiny checkpoint, run it on a bundled sample, check every
layer against the predictor's arrays, live thresholds, τ re-runs, caching, compare-grid export and
bad input (a broken checkpoint, an unreadable image)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.analysis.controller import OVERLAY_PREFIX, AnalysisController
from fosp_core.analysis.results import ResultKey
from fosp_core.infer import Predictor
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import INPUT, WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised fosp-s saved as a real checkpoint."""
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors",
                                {"training_data": "nothing (random init)"})


def _run(qtbot, ctl: AnalysisController) -> None:
    request = ctl.run_current()
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)


def test_panel_without_model_says_so(make_window) -> None:
    ctl = make_window(default_model=None).analysis
    assert "no default model" in ctl.panel.status_label.text()
    assert not ctl.panel.run_button.isEnabled()
    assert ctl.run_current() is None and not ctl.run_all()  # usable, nothing happens


def test_run_layers_threshold_tau_cache_grid(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    sample = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    window, ctl = ready_window(qtbot, make_window, checkpoint, [sample])
    assert "fosp-s" in ctl.panel.info_label.text() and "random init" in ctl.panel.info_label.text()
    _run(qtbot, ctl)
    rgb = window.session.current_image.rgb
    expected = Predictor(checkpoint, device="cpu", input_size=INPUT).predict(rgb, tau=ctl.settings.tau, need="all")

    # every layer holds the predictor's arrays
    for name in ctl.layers.names:
        ctl.layers.set_visible(name, True)
    # a map held at the network's grid is upsampled on a worker when its layer is turned on
    qtbot.waitUntil(lambda: not ctl.shown.overlays.pending, timeout=WAIT_MS)
    shown = {name: ctl.canvas.overlay(OVERLAY_PREFIX + name).image for name in ctl.layers.names}
    np.testing.assert_allclose(shown["probability"], expected.probability, atol=1e-5)
    np.testing.assert_allclose(shown["focus map"], expected.focus_map, atol=1e-5)
    np.testing.assert_array_equal(shown["hole"].astype(bool), expected.hole)
    np.testing.assert_array_equal(shown["separated background"], expected.background)
    for stride, energy in expected.foreground_energy.items():
        np.testing.assert_allclose(shown[f"foreground energy /{stride}"], energy, rtol=1e-4, atol=1e-5)
    threshold = ctl.settings.threshold
    np.testing.assert_array_equal(shown["prediction mask"], expected.mask(threshold))
    assert ctl.label is not None  # the demo dataset is labelled
    np.testing.assert_array_equal(shown["ground truth"].astype(bool), ctl.label == 1)
    errors = shown["error map"]
    assert set(np.unique(errors)) <= {0, 1, 2}
    np.testing.assert_array_equal(errors == 1, (expected.mask(threshold) == 1) & (ctl.label == 0))
    np.testing.assert_array_equal(errors == 2, (expected.mask(threshold) == 0) & (ctl.label == 1))
    qtbot.waitUntil(lambda: ctl.metrics.value("this image", "IoU") not in ("", "–"), timeout=WAIT_MS)

    # opacity and keyboard toggles reach the ImageItem
    ctl.layers.set_opacity("probability", 0.25)
    assert ctl.canvas.overlay(OVERLAY_PREFIX + "probability").opacity() == pytest.approx(0.25)
    ctl.layer_actions["probability"].trigger()
    assert not ctl.canvas.overlay(OVERLAY_PREFIX + "probability").isVisible()

    # dragging the threshold changes the mask at once, with no inference call
    calls = ctl.worker.calls
    before = ctl.canvas.overlay(OVERLAY_PREFIX + "prediction mask").image.copy()
    new_threshold = float(np.median(expected.probability))
    ctl.panel.threshold.slider.setValue(round(new_threshold * 1000))
    after = ctl.canvas.overlay(OVERLAY_PREFIX + "prediction mask").image
    np.testing.assert_array_equal(after, expected.mask(ctl.settings.threshold))
    assert not np.array_equal(before, after)
    assert ctl.worker.calls == calls

    # τ re-runs the model (decode only, cached encodings) and the hole follows
    with qtbot.waitSignal(ctl.worker.result, timeout=WAIT_MS):
        ctl.panel.tau.spin.setValue(0.6)
    qtbot.waitUntil(lambda: ctl.prediction is not None and ctl.prediction.tau == pytest.approx(0.6), timeout=WAIT_MS)
    assert ctl.worker.calls == calls + 1
    # back to the first τ: served from the cache, no new call
    ctl.settings.set_tau(expected.tau)
    qtbot.waitUntil(lambda: ctl.prediction.tau == pytest.approx(expected.tau), timeout=WAIT_MS)
    assert ctl.worker.calls == calls + 1

    # compare grid exports one PNG, five panels wide
    out = tmp_path / "grid.png"
    assert ctl.export_grid(out)
    from PySide6.QtGui import QImage

    png = QImage(str(out))
    assert png.width() > 4 * png.height() / 2 and png.width() >= 1000
    # five equal panels: runs of non-background pixels along a row through the images
    y = int(png.height() * 0.6)
    filled = [png.pixelColor(x, y).name() != "#202020" for x in range(png.width())]
    runs, start = [], None
    for x, on in enumerate([*filled, False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            runs.append(x - start)
            start = None
    panels = [r for r in runs if r > 50]
    assert len(panels) == 5 and max(panels) - min(panels) <= 4, runs


def test_run_all_caches_and_switching_is_instant(qtbot, make_window, checkpoint, demo_dir) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir])
    count = len(window.session)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    assert len(ctl.cache) == count
    qtbot.waitUntil(lambda: ctl.metrics.value("total", "n") == str(count), timeout=WAIT_MS)
    calls = ctl.worker.calls
    window.session.next()
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    key = ResultKey.make(window.session.current_path, ctl.model.model_id, ctl.settings.tau)
    assert ctl.prediction is ctl.cache.get(key)  # shown from the cache...
    assert ctl.worker.calls == calls  # ...without running the model

    # the metrics note under the table is laid out in full: the table is not cut and the note
    # (which wraps to two lines in the dock's width) is not drawn over its last row
    window.resize(1600, 900)  # a laptop screen; before the fix the note fell under the dock's edge here
    window.show()
    qtbot.waitExposed(window)
    box = ctl.metrics
    scroll = ctl.model_dock.widget()

    def note_in_view() -> bool:
        bottom = box.note.mapTo(scroll.viewport(), box.note.rect().bottomLeft()).y()
        return box.note.geometry().top() >= box.table.geometry().bottom() and bottom <= scroll.viewport().height()

    qtbot.waitUntil(note_in_view, timeout=WAIT_MS)
    assert box.height() >= box.heightForWidth(box.width()) > 0
    last = box.table.rowViewportPosition(box.table.rowCount() - 1) + box.table.rowHeight(box.table.rowCount() - 1)
    assert last <= box.table.viewport().height()
    # every layer is in view below it, without scrolling the list
    layers = ctl.layer_list.list
    assert layers.verticalScrollBar().maximum() == 0
    assert layers.visualItemRect(layers.item(layers.count() - 1)).bottom() <= layers.viewport().height()


def test_bad_checkpoint_and_unreadable_image(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    sample = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    window, ctl = ready_window(qtbot, make_window, checkpoint, [sample])
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a checkpoint at all")
    with qtbot.waitSignal(ctl.worker.failed, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(broken)
    assert "cannot open broken.safetensors" in ctl.panel.status_label.text()
    assert ctl.reports.dialog is not None and ctl.reports.dialog.isVisible()
    assert ctl.settings.checkpoint == checkpoint  # back to the model that works
    assert ctl.panel.run_button.isEnabled()
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8 truncated")
    window.session.add([bad])
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS)
    # the unreadable image is the session's to drop and the window's to tell, once (not the analysis')
    assert [e.path.name for e in window.services.error_reporter.errors] == ["bad.jpg"]
    assert not any("bad.jpg" in e for e in ctl.errors), ctl.errors
    assert bad not in window.session.paths
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)  # the readable one still ran
    assert len(ctl.cache) == 1


def test_prediction_reaches_the_annotation_tools(qtbot, make_window, checkpoint, demo_dir) -> None:
    """Model-assisted labeling: after a run, the annotation document holds the model's probability,
    so accept prediction / wand / threshold brush work on it; switching images hands it over again."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir])
    annot = window.annotation.controller
    qtbot.waitUntil(lambda: annot.document is not None, timeout=WAIT_MS)
    assert annot.document.probability is None
    _run(qtbot, ctl)
    np.testing.assert_array_equal(annot.document.probability, ctl.prediction.probability)
    first = window.session.current_path
    window.session.set_current(1)
    qtbot.waitUntil(lambda: annot.document is not None and annot.image_path != first.resolve(), timeout=WAIT_MS)
    assert annot.document.probability is None  # no result for the second image yet
    window.session.set_current(0)
    qtbot.waitUntil(lambda: annot.document is not None and annot.document.probability is not None,
                    timeout=WAIT_MS)
    np.testing.assert_array_equal(annot.document.probability, ctl.prediction.probability)
    assert annot.accept_prediction()
    np.testing.assert_array_equal(annot.document.mask == 1, ctl.prediction.probability > 0.5)


def test_input_choice_reloads_the_model_and_keeps_results_apart(qtbot, make_window, checkpoint, demo_dir) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir])
    _run(qtbot, ctl)
    first = ctl.model.model_id
    assert len(ctl.cache) == 1
    combo = ctl.panel.input_combo
    # tiles of the worker's input size: 25 tiles of 128 px over the 512 px image (0.6 s), not 121 of 64 px (2.7 s)
    ctl.worker.set_input_size(128)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findData("tiled"))  # the user picks tiles at native resolution
    assert ctl.settings.input == "tiled"
    # the id names what the network runs at (tiles of 128 px, their overlap), not the choice's name (ebf22251)
    assert ctl.model.network_input.startswith("tiled 128/"), ctl.model.network_input
    assert ctl.model.model_id != first and ctl.model.model_id.endswith("|" + ctl.model.network_input)
    assert ctl.prediction is None  # the 512-px result is not shown as the tiled one
    _run(qtbot, ctl)
    assert ctl.prediction.shape == window.session.current_image.rgb.shape[:2]
    assert len(ctl.cache) == 2
    ctl.settings.set_input("default")  # the model -> the widget, too
    assert combo.currentData() == "default"


def test_accept_prediction_accepts_the_mask_shown(qtbot, make_window, checkpoint, demo_dir) -> None:
    """One threshold: the Model panel's and the Annotate dock's follow each other both ways, so
    Accept Prediction gives exactly the prediction mask the analysis view draws."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir])
    _run(qtbot, ctl)
    tools = window.annotation.controller.state
    dock = window.annotation.tool_dock
    assert tools.threshold == ctl.settings.threshold
    threshold = round(float(np.quantile(ctl.prediction.probability, 0.8)), 3)
    ctl.settings.set_threshold(threshold)  # the Model panel -> the tools and their slider
    assert tools.threshold == threshold and dock.threshold.value() == round(threshold * 1000)
    annot = window.annotation.controller
    qtbot.waitUntil(lambda: annot.document is not None and annot.document.probability is not None, timeout=WAIT_MS)
    assert annot.accept_prediction()
    shown = ctl.prediction.mask(ctl.settings.threshold, ctl.settings.keep)
    np.testing.assert_array_equal(annot.document.mask == 1, shown == 1)
    dock.threshold.setValue(350)  # the Annotate dock -> the Model panel
    assert ctl.settings.threshold == 0.35 and ctl.panel.threshold.spin.value() == 0.35


def test_region_rule_changes_mask_scores_and_lent_probability(qtbot, make_window, checkpoint, demo_dir) -> None:
    """Picking "Regions: with a core above T" re-draws the mask at once (no inference call), and the
    annotation tools get the probability with the dropped regions at 0."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir])
    _run(qtbot, ctl)
    prob = ctl.prediction.probability
    calls = ctl.worker.calls
    # a core above the map's 99th percentile keeps only some regions of the mask at its median
    ctl.settings.set_threshold(float(np.median(prob)))
    core = round(float(np.quantile(prob, 0.99)), 3)
    ctl.layers.set_visible("prediction mask", True)
    combo = ctl.panel.keep_combo
    combo.addItem(f"core {core}", f"core:{core:g}")
    combo.setCurrentIndex(combo.count() - 1)
    assert ctl.settings.keep == f"core:{core:g}"
    expected = ctl.prediction.mask(ctl.settings.threshold, ctl.settings.keep)
    shown = ctl.canvas.overlay(OVERLAY_PREFIX + "prediction mask").image
    np.testing.assert_array_equal(shown, expected)
    assert expected.sum() < ctl.prediction.mask(ctl.settings.threshold).sum()
    assert ctl.worker.calls == calls
    annot = window.annotation.controller
    qtbot.waitUntil(lambda: annot.document is not None and annot.document.probability is not None, timeout=WAIT_MS)
    lent = annot.document.probability
    np.testing.assert_array_equal(lent > ctl.settings.threshold, expected == 1)
    qtbot.waitUntil(lambda: "regions with a core above" in ctl.metrics.note.text(), timeout=WAIT_MS)
    ctl.settings.set_keep("plain")  # the model -> the widget, and back to the model's own map
    assert combo.currentData() == "plain"
    np.testing.assert_array_equal(annot.document.probability, prob)


def test_a_threshold_move_recomputes_only_the_mask_and_the_error_map(qtbot, make_window, checkpoint, demo_dir,
                                                                     monkeypatch) -> None:
    """Moving the threshold recomputed every layer's array (the τ contour, the ground truth, ...: ~28 ms
    at 1920×1080, see bench/bench_threshold.py) when only the mask and the error map depend on it."""
    from fosp_core.analysis import layers as layers_module
    from fosp_core.analysis.layers import threshold_dependent

    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir])
    _run(qtbot, ctl)
    for name in ("prediction mask", "error map", "τ contour", "ground truth"):
        ctl.layers.set_visible(name, True)
    before = dict(ctl.arrays)
    contours: list[object] = []
    real = layers_module.tau_contour
    monkeypatch.setattr(layers_module, "tau_contour", lambda hole: contours.append(hole) or real(hole))
    ctl.settings.set_threshold(0.3)
    assert contours == []  # the τ contour was not computed again
    assert set(ctl.arrays) == set(before)
    for name, array in ctl.arrays.items():
        assert (array is before[name]) != threshold_dependent(name), name
    np.testing.assert_array_equal(ctl.arrays["prediction mask"], ctl.prediction.mask(0.3))
    errors = ctl.arrays["error map"]
    np.testing.assert_array_equal(errors == 1, (ctl.prediction.probability > 0.3) & (ctl.label == 0))
    np.testing.assert_array_equal(errors == 2, (ctl.prediction.probability <= 0.3) & (ctl.label == 1))
    shown = ctl.canvas.overlay(OVERLAY_PREFIX + "error map").image
    np.testing.assert_array_equal(shown, errors)
