"""The Worklist shows whole rows on small windows: at 1024 x 640 its list had 68 px for rows of
26 (two rows and the top of a third, cut in half); 1366 x 768 cut one too (122 px). The view now
leaves the part under its last whole row as a margin (`WorklistView.partial_row_height`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QApplication

from tests.gui.annotation_helpers import open_and_wait


def test_a_small_window_shows_whole_worklist_rows(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(40):  # more rows than any of these windows shows: the list scrolls
        Image.fromarray(np.full((32, 32, 3), i * 5, np.uint8)).save(folder / f"frame_{i:03d}.png")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    window.annotation.worklist_dock.show()
    window.annotation.worklist_dock.raise_()
    rows = window.annotation.worklist.list
    for width, height in ((1024, 640), (1024, 600), (1152, 648), (1366, 768)):
        window.resize(width, height)
        for _ in range(8):
            QApplication.processEvents()
        row = rows.sizeHintForRow(0)
        shown = rows.viewport().height()
        assert rows.verticalScrollBar().maximum() > 0, (width, height)  # it scrolls at these sizes
        assert shown >= row and shown % row == 0, (width, height, shown, row)  # was 68 px at 1024 x 640
