"""The Video dock at 125 % display scale on a 1366 x 768 screen (1093 x 614 logical pixels) with a file cut
short: its warning under the name ("⚠ the file is cut short: its data ends after frame N (its header counts M
frames)", four lines) pushed Accept prediction and Toggle keyframe under the panel's view, the Timeline and the
Layers list already at their least: README says they are in view as the panel opens. The panel is now scrolled
by what they still lack, its name and warning partly above (the status bar says the same)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea

from fosp_core.video.testclip import write_clip
from tests.gui.model_dock_helpers import in_view
from tests.gui.test_video_layout_s36_125_percent import LOGICAL_125, MAIN_BUTTONS
from tests.gui.video_helpers import open_video


def test_the_main_buttons_are_in_view_with_a_cut_short_warning(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    whole = write_clip(tmp_path / "whole.avi", frames=24, fps=12.0, fourcc="MJPG")
    clip = tmp_path / "hpwren-los-pinos-2019-10-06-cut.avi"
    clip.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    window = make_window(show=True)
    window.resize(*LOGICAL_125)
    open_video(qtbot, window, clip, tmp_path)
    for _ in range(8):
        QApplication.processEvents()
    panel = window.video.panel
    assert "cut short" in panel.info_label.text()
    area = window.video.panel_dock.widget()
    assert isinstance(area, QScrollArea)
    for button_name in MAIN_BUTTONS:
        button = getattr(panel, button_name)
        top = button.mapTo(area.viewport(), button.rect().topLeft()).y()
        assert in_view(button, area), (button_name, top, button.height(), area.viewport().height())
