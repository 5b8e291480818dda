"""The annotation controller has the probability map's row and column maxima read on a worker
thread when the map reaches the current document (`fosp_core.annotation.prediction_profile.PROFILES`),
and Shift+A takes them from there: the GUI thread never reads the whole map for them, and the mask
is the prediction's, for the map given last."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from fosp_core.annotation.prediction_profile import PROFILES
from tests.gui.annotation_helpers import blank_demo_window, key
from tests.profile_threads import record_profile_threads


def test_accept_prediction_takes_the_maxima_read_on_a_worker(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path, monkeypatch) -> None:
    threads = record_profile_threads(monkeypatch)
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    doc = controller.document
    rng = np.random.default_rng(7)
    for threshold in (0.5, 0.3):
        controller.state.set_threshold(threshold)
        prob = np.zeros(doc.shape, np.float32)
        prob[100:220, 300:480] = rng.random((120, 180), np.float32)  # a new map each time
        controller.set_probability(window.session.current_path, prob)
        assert PROFILES.ready(doc.probability) is not None
        key(window, "Shift+A")
        np.testing.assert_array_equal(doc.mask, (prob > threshold).astype(np.uint8))
    assert threads == ["fosp-prediction-profile"] * 2  # each map read once, never on the GUI thread
    assert threading.current_thread().name not in threads
