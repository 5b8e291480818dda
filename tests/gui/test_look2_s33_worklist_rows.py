"""At 1280 x 720 with the Annotate and Worklist tabs raised (a 4-photo folder), the Worklist showed 3 of its 4
rows, its list scrolling, while the Annotate dock above it had empty room under its words: only the Model and
Layers docks' split was balanced (`app.analysis.dock_split.ColumnSplit`). The Worklist now gets its rows
from the room the dock above it does not use."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QApplication

from fosp_core.paths import find_model
from tests.gui.annotation_helpers import open_and_wait


def test_the_worklist_shows_its_rows_where_the_annotate_dock_has_room(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(4):
        Image.fromarray(np.full((32, 32, 3), i * 40, np.uint8)).save(folder / f"photo_{i}.png")
    window = make_window(show=True, default_model=find_model())
    window.resize(1280, 720)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    tools, work = window.annotation.tool_dock, window.annotation.worklist_dock
    for dock in (window.analysis.model_dock, window.analysis.layer_dock):  # the Model and Layers split first
        dock.show()
        dock.raise_()
    for _ in range(8):
        QApplication.processEvents()
    qtbot.wait(30)
    tools.show()
    tools.raise_()
    work.show()
    work.raise_()
    for _ in range(3):
        for _ in range(8):
            QApplication.processEvents()
        qtbot.wait(30)
    rows = window.annotation.worklist.list
    assert tools.isVisible() and work.isVisible() and tools.geometry().bottom() < work.y()
    assert rows.model().rowCount() == 4
    spare = tools.height() - tools.sizeHint().height()  # the Annotate dock's room under its contents
    scrolls = rows.verticalScrollBar().maximum() > 0
    assert not scrolls or spare <= 0, (rows.viewport().height(), rows.sizeHintForRow(0), spare)
    # the Annotate dock keeps its own words whole
    assert tools.height() >= tools.minimumSizeHint().height()
