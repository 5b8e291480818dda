"""A result reaches the GUI thread ready to show: the inference thread reads its label, scores it and
makes its layer arrays (:mod:`app.analysis.prepared`), so the GUI thread does none of it while the
model runs (it stalled the event loop 15-35 ms per labelled 1920×1080 result). What it shows and
scores is what the GUI thread made before, also when the threshold or the label moved meanwhile."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.analysis.controller import OVERLAY_PREFIX
from fosp_core.analysis.layers import layer_arrays
from fosp_core.analysis.results import ResultKey, error_codes, image_scores, read_label
from fosp_core.analysis.scorebook import label_stamp
from fosp_core.infer.result import Prediction
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

HEAVY = ("layer_arrays", "image_scores", "read_label")  # what a result cost the GUI thread


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _record_threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(function name, called on the GUI thread) for each call of HEAVY by the analysis modules."""
    calls: list[tuple[str, bool]] = []
    for module_name in ("app.analysis.controller", "app.analysis.readouts", "app.analysis.prepared"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for name in HEAVY:
            fn = getattr(module, name, None)
            if fn is None:
                continue

            def recording(*args, _fn=fn, _name=name, **kwargs):  # noqa: ANN002, ANN003, ANN202
                calls.append((_name, threading.current_thread() is threading.main_thread()))
                return _fn(*args, **kwargs)

            monkeypatch.setattr(module, name, recording)
    return calls


def test_a_result_is_read_scored_and_drawn_off_the_gui_thread(qtbot, make_window, checkpoint, demo_dir,
                                                              tmp_path, monkeypatch) -> None:
    sample = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    window, ctl = ready_window(qtbot, make_window, checkpoint, [sample], projects_root=tmp_path / "projects")
    ctl.layers.set_visible("error map", True)
    calls = _record_threads(monkeypatch)
    request = ctl.run_current()
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)

    assert [name for name, on_gui in calls if on_gui] == []
    assert {name for name, on_gui in calls if not on_gui} == set(HEAVY)
    # and it is what the GUI thread made before
    label = read_label(demo_dir / "SegmentationClass" / f"{sample.stem}.png")
    np.testing.assert_array_equal(ctl.label, label)
    settings = ctl.settings
    expected = layer_arrays(ctl.prediction, settings.threshold, label, settings.keep)
    assert list(ctl.arrays) == list(expected)
    for name, array in expected.items():
        np.testing.assert_array_equal(ctl.arrays[name], array, err_msg=name)
    np.testing.assert_array_equal(ctl.canvas.overlay(OVERLAY_PREFIX + "error map").image, expected["error map"])
    np.testing.assert_array_equal(ctl.shown.codes, error_codes(label))
    key = ResultKey.make(sample, ctl.model.model_id, settings.tau)
    scored = ctl.scores.book.get(key, label_stamp(key.path), settings.threshold, settings.keep)
    assert scored is not None
    assert scored.scores == image_scores(ctl.prediction, label, settings.threshold, settings.keep)


def _prediction(label: np.ndarray) -> Prediction:
    """A plausible prediction for a real label: its smoke blurred plus smooth noise, a Focus Map and its hole."""
    smoke = cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), sigmaX=6)
    noise = cv2.resize(np.random.default_rng(0).random((12, 12), np.float32), label.shape[::-1])
    probability = np.clip(0.8 * smoke + 0.4 * (noise - 0.5), 0, 1).astype(np.float32)
    focus = cv2.GaussianBlur(probability, (0, 0), sigmaX=12)
    return Prediction(probability=probability, focus_map=focus, hole=focus > 0.15, tau=0.15)


def test_settings_or_a_label_that_moved_meanwhile_are_made_on_the_gui_thread(qtbot, make_window,
                                                                            demo_dir, tmp_path) -> None:
    from app.analysis.prepared import prepare_result, shown_layers

    root = tmp_path / "data"
    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    src = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[1]
    image = root / "JPEGImages" / src.name
    image.write_bytes(src.read_bytes())
    label_file = root / "SegmentationClass" / f"{src.stem}.png"
    label_file.write_bytes((demo_dir / "SegmentationClass" / label_file.name).read_bytes())
    label = read_label(label_file)
    prediction = _prediction(label)
    prepared = prepare_result(image, prediction, 0.5, "plain")

    # the arrays: the prepared ones at their settings, made anew at others
    for threshold, keep, shown_label in ((0.5, "plain", prepared.label), (0.5, "plain", None),
                                         (0.35, "plain", prepared.label), (0.5, "core:0.7", prepared.label)):
        codes = None if shown_label is None else error_codes(shown_label)
        arrays, shown_codes = shown_layers(prediction, threshold, shown_label, keep, prepared)
        expected = layer_arrays(prediction, threshold, shown_label, keep, codes)
        assert list(arrays) == list(expected)
        for name, array in expected.items():
            np.testing.assert_array_equal(arrays[name], array, err_msg=f"{name} at {threshold} {keep}")
        assert (shown_codes is None) == (codes is None)

    # the scores: taken at the settings they were made at, for the label file as it still is
    ctl = make_window().analysis
    key = ResultKey.make(image, "model", 0.15)
    ctl.settings.set_threshold(0.5)
    assert ctl.scores.score(key, prediction, prepared).scores == image_scores(prediction, label, 0.5)
    assert ctl.scores.label_for(key.path, label.shape) is prepared.label  # kept: not read again
    ctl.scores.book.clear()
    ctl.settings.set_threshold(0.35)
    assert ctl.scores.score(key, prediction, prepared).scores == image_scores(prediction, label, 0.35)
    ctl.scores.book.clear()
    ctl.settings.set_threshold(0.5)
    changed = np.where(label == 1, 0, label).astype(np.uint8)  # the smoke wiped out while the model ran
    cv2.imwrite(str(label_file), changed)
    assert label_stamp(image) != prepared.stamp
    assert ctl.scores.score(key, prediction, prepared).scores == image_scores(prediction, changed, 0.5)
    np.testing.assert_array_equal(ctl.scores.label_for(key.path, label.shape), changed)
