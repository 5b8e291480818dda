"""A labelled image with no smoke in its label (a smoke-free scene: all 0) and false alarms predicted: the
metrics box's "this image" row read F_β 0.0, IoU 0.0, P 0.0 and R 100, with nothing saying why a model that
found no labelled smoke has a recall of 100 %: the protocol's empty-label rule (fosp_core.metrics.scores:
an empty label scores R = 1, and P = F = IoU = 0 with anything predicted, 1 with nothing). The note under
the table now says so for the image shown."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.infer.result import Prediction


def _window(qtbot, make_window, tmp_path: Path, label: np.ndarray):  # noqa: ANN001, ANN202
    images, labels = tmp_path / "set" / "JPEGImages", tmp_path / "set" / "SegmentationClass"
    images.mkdir(parents=True)
    labels.mkdir()
    Image.fromarray(np.full((24, 32, 3), 140, np.uint8)).save(images / "clear.png")
    Image.fromarray(label).save(labels / "clear.png")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([images / "clear.png"], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    return window


def _probability() -> np.ndarray:
    probability = np.zeros((24, 32), np.float32)
    probability[4:9, 6:14] = 0.9  # a false alarm
    return probability


def test_a_smoke_free_label_says_why_recall_reads_100(qtbot, make_window, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path, np.zeros((24, 32), np.uint8))
    ctl = window.analysis
    ctl._show(Prediction(probability=_probability()))
    box = ctl.metrics
    qtbot.waitUntil(lambda: box.value("this image", "R") == "100", timeout=5000)
    assert box.value("this image", "P") == "0.0"
    note = box.note.text()
    assert "this image has no labelled smoke" in note and "recall" in note, note


def test_a_label_with_smoke_says_nothing_of_it(qtbot, make_window, tmp_path: Path) -> None:
    label = np.zeros((24, 32), np.uint8)
    label[5:8, 7:12] = 1
    window = _window(qtbot, make_window, tmp_path, label)
    ctl = window.analysis
    ctl._show(Prediction(probability=_probability()))
    box = ctl.metrics
    qtbot.waitUntil(lambda: box.value("this image", "n") == "1", timeout=5000)
    assert "no labelled smoke" not in box.note.text()
