"""Worklist sorted by smoke size (largest first), the annotator goes down it: opens the first image, erases
the smoke the model saw in the sky, Down for the next... but the edit changed the image's smoke size, the
list sorted again at once and the image went to the bottom: Down on the last row did nothing, and the
annotator corrected the same image four times over (s36 working-day review, demo). N after such an edit
went "back at the start of the worklist" and said so, though no image was left behind.

The image shown now keeps its place in the worklist's order while it is shown; it takes its new place
once another image is shown."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.annotation.worklist_words import WENT_ROUND
from app.main_window import MainWindow
from tests.gui.annotation_helpers import demo_window, key, settle_saves


def _ready(window: MainWindow) -> bool:
    controller = window.annotation.controller
    return controller.document is not None and controller.image_path == window.session.current_path


def _smoke(window: MainWindow, rows: int) -> None:
    """The image shown given `rows` rows of smoke (100 pixels each), saved."""
    doc = window.annotation.controller.document
    mask = np.zeros(doc.shape, np.uint8)
    mask[:rows, :100] = 1
    doc.replace_mask(mask)
    settle_saves(window)


def _by_smoke_size(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> tuple[MainWindow, list[str]]:  # noqa: ANN001
    """The demo, its images given 40, 30, 20, 10 rows of smoke, the worklist sorted by smoke size; its order."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for index, rows in enumerate([40, 30, 20, 10]):
        window.session.set_current(index)
        qtbot.waitUntil(lambda: _ready(window))
        _smoke(window, rows)
    panel = window.annotation.worklist
    panel.sort.setCurrentIndex(panel.sort.findText("Smoke size"))
    order = [entry.id for entry in panel.model.rows]
    assert [window.session.index_of(panel.project.image_path(i).resolve()) for i in order] == [0, 1, 2, 3]
    return window, order


def test_down_after_an_edit_goes_on_down_the_list(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window, order = _by_smoke_size(qtbot, make_window, demo_dir, tmp_path)
    view = window.annotation.worklist.list
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: _ready(window))
    visited = []
    for _ in range(4):
        visited.append(window.annotation.controller.document.image_id)
        _smoke(window, 1)  # the sky's false smoke erased: the smallest of all now
        qtbot.wait(20)  # the list refreshed, as before the next key
        QTest.keyClick(view, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: _ready(window))
    assert visited == order, f"Down after each edit visited {[order.index(i) + 1 for i in visited]} of 1-4"


def test_n_after_an_edit_goes_to_the_next_without_going_round(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    window, order = _by_smoke_size(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    window.annotation.worklist.go_to(order[0])
    qtbot.waitUntil(lambda: _ready(window))
    _smoke(window, 1)
    key(window, "R")
    key(window, "N")
    qtbot.waitUntil(lambda: _ready(window))
    assert controller.document.image_id == order[1]
    assert window.statusBar().currentMessage() != WENT_ROUND[1]


def test_the_image_left_takes_its_new_place(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window, order = _by_smoke_size(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    panel.go_to(order[0])
    qtbot.waitUntil(lambda: _ready(window))
    _smoke(window, 1)
    assert [entry.id for entry in panel.model.rows] == order  # kept while shown
    panel.go_to(order[1])
    qtbot.waitUntil(lambda: _ready(window))
    qtbot.wait(20)
    assert [entry.id for entry in panel.model.rows] == [*order[1:], order[0]]
