"""At 1366 x 768 the Video panel showed Predictions and Export frames… but "Accept prediction" and "Toggle
keyframe" lay under them, found only by scrolling the panel. The frame's actions are one compact row near
the panel's top now: both are in the panel's viewport as the panel opens, the Layers list keeping its rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea

from fosp_core.video.testclip import write_clip
from tests.gui.model_dock_helpers import in_view
from tests.gui.video_helpers import open_video


def test_accept_and_keyframe_are_in_view_at_1366_x_768(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    window.resize(1366, 768)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0), tmp_path)
    for _ in range(8):
        QApplication.processEvents()
    area = window.video.panel_dock.widget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().value() == 0  # as the panel opens, nothing scrolled
    panel = window.video.panel
    for name in ("accept_button", "keyframe_button", "predict_all_button", "export_button"):
        button = getattr(panel, name)
        assert in_view(button, area), (name, button.mapTo(area.viewport(), button.rect().topLeft()),
                                       area.viewport().height())
    layers = window.analysis.layer_list.list
    assert layers.viewport().height() >= 5 * layers.sizeHintForRow(0)  # the Layers list keeps a few rows
