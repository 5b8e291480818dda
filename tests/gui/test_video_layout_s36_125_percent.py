"""The Video dock on a 1366 x 768 laptop screen at 125 % display scale: the window is 1093 x 614 logical
pixels (the offscreen tests run at scale 1, where the same logical size lays out alike). The column left
the Video dock a 139 px view and "Predict whole video" lay 15 px under its foot (Accept prediction and
Toggle keyframe 73 px under it), found only by scrolling, with the Timeline at its least height and the
Layers list at its five rows. The panel's main buttons are in view as the video opens now, nothing
scrolled, with a short name and with one that wraps."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from app.video.timeline_widget import PLOT_LEAST_HEIGHT
from fosp_core.video.testclip import write_clip
from tests.gui.model_dock_helpers import in_view
from tests.gui.video_helpers import open_video

#: 1366 x 768 device pixels at QT_SCALE_FACTOR=1.25
LOGICAL_125 = (1093, 614)
#: the panel's main buttons: the model, the whole-video run, and the shown frame's one-click actions
MAIN_BUTTONS = ("load_model_button", "predict_all_button", "cancel_button", "accept_button", "keyframe_button")


@pytest.mark.parametrize("name", ["clip.mp4", "hpwren-los-pinos-2019-10-06.mp4"])
def test_video_layout_s36_main_buttons_in_view_at_125_percent(qtbot, make_window, tmp_path: Path,
                                                              name: str) -> None:
    window = make_window(show=True)
    window.resize(*LOGICAL_125)
    open_video(qtbot, window, write_clip(tmp_path / name, frames=12, fps=12.0), tmp_path)
    for _ in range(8):
        QApplication.processEvents()
    area = window.video.panel_dock.widget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().value() == 0  # as the panel opens, nothing scrolled
    panel = window.video.panel
    for button_name in MAIN_BUTTONS:
        button = getattr(panel, button_name)
        top = button.mapTo(area.viewport(), button.rect().topLeft()).y()
        assert in_view(button, area), (button_name, top, button.height(), area.viewport().height())
    layers = window.analysis.layer_list.list
    row = layers.sizeHintForRow(0)
    assert layers.viewport().height() >= 3 * row  # the Layers list keeps a few rows
    assert layers.viewport().height() % row == 0, (layers.viewport().height(), row)  # whole rows
    assert window.video.timeline.plot.height() >= PLOT_LEAST_HEIGHT


def test_video_layout_s36_main_buttons_in_view_again_after_the_model_tab(qtbot, make_window, tmp_path: Path) -> None:
    """The Model tab raised (to look at the model) shares the column its way, the Layers list back at its
    five rows; the Video tab raised again left Accept prediction and Toggle keyframe under the view's foot
    until the video was opened again."""
    window = make_window(show=True)
    window.resize(*LOGICAL_125)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0), tmp_path)
    for dock in (window.analysis.model_dock, window.annotation.tool_dock, window.video.panel_dock):
        dock.raise_()
        for _ in range(8):
            QApplication.processEvents()
    area, panel = window.video.panel_dock.widget(), window.video.panel
    assert isinstance(area, QScrollArea)
    for button_name in MAIN_BUTTONS:
        button = getattr(panel, button_name)
        top = button.mapTo(area.viewport(), button.rect().topLeft()).y()
        assert in_view(button, area), (button_name, top, button.height(), area.viewport().height())
