"""At 1024 x 640 the Video dock is ~110 px tall (the Timeline spans the window under it and the Layers
dock keeps its few rows), and its progress bar lay below the fold (160 px down the panel): a whole-video
run counted frames out of view. When a whole-video run starts the panel scrolls its progress bar (and
Cancel above it) into view; the panel's other controls stay reachable by scrolling as before."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication, QScrollArea

from fosp_core.video.testclip import write_clip
from tests.gui.model_dock_helpers import in_view
from tests.gui.video_helpers import open_video

FRAMES = 12


def test_a_whole_video_run_shows_its_progress_bar_on_a_small_screen(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    window.resize(1024, 640)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=FRAMES, fps=12.0), tmp_path)
    for _ in range(8):
        QApplication.processEvents()
    video, panel = window.video, window.video.panel
    area = video.panel_dock.widget()
    assert isinstance(area, QScrollArea)
    assert not in_view(panel.progress, area)  # below the fold before the run (the case this is about)
    gate = threading.Event()

    def held(rgb: np.ndarray) -> np.ndarray:
        gate.wait(10)
        return (rgb.mean(axis=2) / 255.0).astype(np.float32)

    video.set_model(held, "held")
    try:
        video.predict_whole()
        qtbot.waitUntil(lambda: panel.cancel_button.isEnabled(), timeout=10_000)
        QApplication.processEvents()
        assert in_view(panel.progress, area), (area.viewport().height(), area.verticalScrollBar().value())
        assert in_view(panel.cancel_button, area)
    finally:
        gate.set()
    qtbot.waitUntil(lambda: panel.predict_all_button.isEnabled(), timeout=20_000)
    assert panel.progress.value() == FRAMES


def test_a_two_line_video_name_leaves_model_in_view_at_1024_x_640(qtbot, make_window, tmp_path: Path) -> None:
    """A name that wraps (the samples' hpwren-los-pinos-2019-10-06.mp4) makes the panel's head a line
    taller: with the Layers dock at its least height (its note wrapped), Model… was cut 5 px at the
    dock's foot. The Timeline gives the column what it has over its least height (200 -> 187 px)."""
    window = make_window(show=True)
    window.resize(1024, 640)
    clip = write_clip(tmp_path / "hpwren-los-pinos-2019-10-06.mp4", frames=FRAMES, fps=12.0)
    open_video(qtbot, window, clip, tmp_path)
    for _ in range(8):
        QApplication.processEvents()
    area, panel = window.video.panel_dock.widget(), window.video.panel
    assert isinstance(area, QScrollArea)
    assert panel.info_label.height() > 2 * panel.info_label.fontMetrics().height()  # the name wraps
    assert in_view(panel.load_model_button, area), area.viewport().height()
    timeline = window.video.timeline_dock
    assert timeline.height() >= timeline.minimumSizeHint().height()
    rows = window.analysis.layer_list.list
    assert rows.viewport().height() % rows.sizeHintForRow(0) == 0  # whole rows (the Layers dock kept its place)
