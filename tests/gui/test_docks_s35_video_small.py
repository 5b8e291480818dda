"""The Video dock at 1024 x 640 (review, session 35): it was given ~141 px of the column, the panel needing
651, and "Predict whole video" lay under the video's headline and the Predictions box's Model… row, found
only by scrolling the dock, though it is the panel's main action (the Layers dock at its minimum, the
full-width Timeline at its 187 px minimum). It is in the dock's viewport as the video opens now, nothing
scrolled, with Cancel beside it and Model… above it; at 1366 x 768 the Timeline's plot keeps its height."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from fosp_core.video.testclip import write_clip
from tests.gui.model_dock_helpers import in_view
from tests.gui.video_helpers import open_video


def _opened(qtbot, make_window, tmp_path: Path, size: tuple[int, int]):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    window.resize(*size)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0), tmp_path)
    for _ in range(8):
        QApplication.processEvents()
    return window


@pytest.mark.parametrize("size", [(1024, 640), (1280, 720)])
def test_docks_s35_predict_whole_video_is_in_view_unscrolled(qtbot, make_window, tmp_path: Path,
                                                               size: tuple[int, int]) -> None:
    window = _opened(qtbot, make_window, tmp_path, size)
    area = window.video.panel_dock.widget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().value() == 0  # as the panel opens, nothing scrolled
    panel = window.video.panel
    for name in ("load_model_button", "predict_all_button", "cancel_button"):
        button = getattr(panel, name)
        assert in_view(button, area), (name, button.mapTo(area.viewport(), button.rect().topLeft()).y(),
                                       button.height(), area.viewport().height())
    layers = window.analysis.layer_list.list
    assert layers.viewport().height() >= 3 * layers.sizeHintForRow(0)  # the Layers list keeps a few rows


def test_docks_s35_the_timeline_plot_keeps_its_height_at_1366_x_768(qtbot, make_window, tmp_path: Path) -> None:
    window = _opened(qtbot, make_window, tmp_path, (1366, 768))
    plot = window.video.timeline.plot
    assert plot.height() >= 100, plot.height()  # its curves readable, as before this change (~110 px)
