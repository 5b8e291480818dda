"""Session 32, an annotator's Ctrl+S: labelme, CVAT and napari save on Ctrl+S; here every edit is saved as
it is made, and Ctrl+S did nothing, not even say so. Annotate ▸ Save Now (Ctrl+S) waits for the saves
under way and says what is on disk, or which save failed, in the status bar."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag
from tests.gui.keyboard_day_helpers import day_window


def _type(sequence: str) -> None:
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(QApplication.focusWidget(), combo.key(), combo.keyboardModifiers())


def test_ctrl_s_waits_for_the_saves_and_says_all_is_on_disk(qtbot, make_window, demo_dir: Path,
                                                            tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.canvas.setFocus()
    controller = window.annotation.controller
    told: list[str] = []
    controller.message.connect(lambda text, *_: told.append(text))
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(100, 100), (200, 120)])
    doc, project = controller.document, controller.project
    assert doc is not None and project is not None
    _type("Ctrl+S")
    assert told and told[-1].startswith("Saved: every edit is on disk"), told
    assert project.is_saved(doc)
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert saved[110, 150] == 1 and np.array_equal(saved, doc.mask)  # the stroke's PNG, written whole


def test_ctrl_s_with_no_image_says_there_is_nothing_to_save(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window(show=True)
    told: list[str] = []
    window.annotation.controller.message.connect(lambda text, *_: told.append(text))
    window.annotation.actions.save_now.trigger()
    assert told == ["Nothing to save: no image is open"]


def test_ctrl_s_is_in_the_annotate_menu_and_the_shortcut_sheet(make_window) -> None:  # noqa: ANN001
    window = make_window()
    action = window.annotation.actions.save_now
    assert [k.toString() for k in action.shortcuts()] == ["Ctrl+S"]
    assert "Ctrl+S" in action.toolTip()
