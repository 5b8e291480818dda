"""The Video panel gets the room it needs in its column: at 1366 x 768 the Layers dock under it took
every row of its list and the Video panel was left ~150 px, its Predict whole video, Show probability,
annotation and keyframe controls scrolled out of view (the Layers list scrolls instead); at 1920 x 1080
the panel asked 679 px for its keyframe list's 192 px size hint and was given 448."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from fosp_core.video.testclip import write_clip
from tests.gui.model_dock_helpers import in_view
from tests.gui.video_helpers import open_video

#: What must be in view at each size: the Predictions controls and Export frames… on a laptop (the
#: export sat at the panel's foot, scrolled out of view at 1366 x 768: it is under the video's name
#: now), the annotation and keyframe ones too on a large screen (the Layers list keeps 5 rows, the
#: Timeline its 200 px).
_PREDICT = ("load_model_button", "predict_all_button", "show_prediction", "export_button")
_ALL = (*_PREDICT, "tools_button", "carry_button", "keyframe_button")


@pytest.mark.parametrize(("size", "names"), [((1024, 640), _PREDICT[:1]), ((1366, 768), _PREDICT),
                                             ((1920, 1080), _ALL)])
def test_the_video_panel_controls_are_in_view(qtbot, make_window, tmp_path: Path, size: tuple[int, int],
                                              names: tuple[str, ...]) -> None:
    window = make_window(show=True)
    window.resize(*size)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0), tmp_path)
    for _ in range(8):
        QApplication.processEvents()
    area = window.video.panel_dock.widget()
    assert isinstance(area, QScrollArea)
    panel = window.video.panel
    for needed in (getattr(panel, name) for name in names):
        assert in_view(needed, area), (needed, window.video.panel_dock.height(), area.viewport().height())
    layers = window.analysis.layer_list.list
    row = layers.sizeHintForRow(0)
    assert layers.viewport().height() >= 5 * row  # the Layers list keeps a few rows
    if size != (1024, 640):  # there the panel takes nothing from it
        assert layers.viewport().height() % row == 0, (layers.viewport().height(), row)  # whole rows
