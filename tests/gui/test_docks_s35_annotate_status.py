"""The Annotate dock's status line (the image's name and status, 'no prediction yet', read-only) sat at the
dock's foot, under the tools, the edits and the sliders, the first thing cut on a short screen: at 125 % on
1366 x 768 (a 1093 x 614 window in logical pixels) the dock scrolled it ~70 px out of view, though a user
reads it after each key press (N, Enter, a tool). It is the dock's first line now, in view at that size and
at 1024 x 640 with nothing scrolled, the Layers dock under it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.gui.annotation_helpers import open_and_wait
from tests.gui.model_dock_helpers import in_view

# a camera's file name: long, no spaces (as the SmokeSeg samples'), so the status line wraps as on real data
_NAME = "20200905_ValleyFire_sm-e-mobo-c__1599342149_+00780"


def _settle(qtbot) -> None:  # noqa: ANN001
    for _ in range(3):
        for _ in range(8):
            QApplication.processEvents()
        qtbot.wait(30)


@pytest.mark.parametrize("size", [(1093, 614), (1024, 640)])  # 1366 x 768 at 125 %; the smallest laptop
def test_docks_s35_the_status_line_is_in_view_on_a_short_screen(qtbot, make_window, tmp_path: Path,
                                                                 size: tuple[int, int]) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(3):
        Image.fromarray(np.full((64, 64, 3), 60 + i * 40, np.uint8)).save(folder / f"{_NAME}{i}.jpg")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(*size)
    open_and_wait(qtbot, window, folder)
    tools, layers = window.annotation.tool_dock, window.analysis.layer_dock
    layers.show()
    layers.raise_()
    tools.show()
    tools.raise_()
    _settle(qtbot)
    area = tools.widget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().value() == 0  # nothing scrolled
    status = tools.status_label
    assert "no prediction yet" in status.text()
    assert in_view(status, area), (status.mapTo(area.viewport(), status.rect().topLeft()).y(), status.height(),
                                   area.viewport().height(), area.verticalScrollBar().maximum())
