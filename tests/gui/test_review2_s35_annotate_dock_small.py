"""The Annotate dock at laptop sizes (session 34's note; session 35's review). With the Annotate tab raised above
the Layers dock, the dock scrolled at every size up to 1366 x 768 (19 px there, 43 at 1280 x 720, 83 at
1024 x 640): the line that names the image and its status, and says there is no prediction yet, was the part cut,
while the Layers list under it kept every row; and at 1280 x 720 the list's foot cut a row in half (168 px for
rows of 16). The split of the column with other tabs raised (`app.analysis.dock_split.ColumnSplit.fit_tabs`) now
gives the dock above what its contents need, the list under keeping its few rows, in whole rows; and the tools sit
in two rows, not three. QT_SCALE_FACTOR=2 at 1280 x 720 lays out as 1280 x 720 here (logical pixels)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QAbstractItemView, QApplication, QScrollArea

from app.analysis.layer_list import MIN_ROWS
from tests.gui.annotation_helpers import open_and_wait

# a camera's file name: long, no spaces (as the SmokeSeg samples'), so the status line wraps as on real data
_NAME = "20200905_ValleyFire_sm-e-mobo-c__1599342149_+00780"


def _settle(qtbot, rounds: int = 3) -> None:  # noqa: ANN001
    for _ in range(rounds):
        for _ in range(8):
            QApplication.processEvents()
        qtbot.wait(30)


def test_the_annotate_dock_keeps_its_words_in_view_at_laptop_sizes(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(3):
        Image.fromarray(np.full((64, 64, 3), 60 + i * 40, np.uint8)).save(folder / f"{_NAME}{i}.jpg")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(1366, 768)
    open_and_wait(qtbot, window, folder)
    tools, layers = window.annotation.tool_dock, window.analysis.layer_dock
    layers.show()
    layers.raise_()
    tools.show()
    tools.raise_()
    _settle(qtbot)
    area = tools.widget()
    assert isinstance(area, QScrollArea)
    rows = max((v for v in layers.findChildren(QAbstractItemView) if v.isVisible()), key=lambda v: v.height())
    row = rows.sizeHintForRow(0)
    for width, height in ((1366, 768), (1280, 720), (1024, 640), (1920, 1080)):
        window.resize(width, height)
        _settle(qtbot)
        assert tools.isVisible() and layers.isVisible() and tools.geometry().bottom() < layers.y()
        cut = area.verticalScrollBar().maximum()
        if (width, height) != (1024, 640):
            assert cut == 0, (width, height, cut)  # was 19 px at 1366 x 768, 43 at 1280 x 720
        else:  # the Layers dock at its least height: the Annotate dock has the rest of the column
            spare = layers.height() - layers.minimumSizeHint().height()
            assert cut == 0 or spare < row, (tools.height(), layers.height(), spare)  # less than a row over its least
            assert cut < 30, cut  # was 83 px
        shown = rows.viewport().height()
        if rows.verticalScrollBar().maximum() > 0:
            assert shown % row == 0, (width, height, shown, row)  # was 168 px at 1280 x 720: half a row cut
            assert shown // row >= MIN_ROWS
