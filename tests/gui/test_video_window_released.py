"""A closed video window is released before the next test (as tests/gui/test_windows_released_between_tests.py
shows for a plain one): nothing left pending refers to it. Before, each video GUI test left about 5 MiB
behind: the Model/Layers column's split (`app.analysis.dock_split.ColumnSplit`) queued its fit with
``QTimer.singleShot(0, self, self.fit)``, and that pending call's bound method held the split and through it
the window and its models, past the teardown's collection into the frozen generation. Measured over
tests/gui/test_video_view.py's 12 tests in one process (`FOSP_TEST_RSS`, `FOSP_TEST_RSS_DETAIL=1`): live Qt
widgets after each test grew by 7 a test to 63 before, stay 0 after; RSS after its 8th test 457.5 MiB before,
424.9 MiB after.

The tests run in pairs, in order, in one process; under xdist the second of a pair skips if the first
ran elsewhere."""

from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

_first: dict[str, object] = {}


def test_a_video_window_holds_an_array(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=4), tmp_path)
    window.held_array = np.ones((16, 1024, 1024), np.uint8)  # 16 MiB only this window refers to
    _first["window"] = weakref.ref(window)
    _first["array"] = weakref.ref(window.held_array)
    _first["name"] = f"video-released-check-{id(window)}"
    window.setObjectName(_first["name"])
    window.resize(1000, 640)  # the column's height changes: a fit is queued, still pending at the teardown


def test_the_video_window_and_its_array_are_gone() -> None:
    if not _first:
        pytest.skip("the first test ran in another process (xdist)")
    assert _first["array"]() is None, "the closed video window's array is still alive (its window held it)"
    assert _first["window"]() is None, "the closed video window is still alive"
    names = [w.objectName() for w in QApplication.topLevelWidgets()]
    assert _first["name"] not in names, "the closed video window was never deleted"
