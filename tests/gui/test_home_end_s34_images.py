"""Home / End did nothing in image mode (a video's First / Last Frame keys only). They now go to the first
/ last image of the worklist as it shows them (its sort and Show filter), as other viewers' Home / End do;
a text field with the focus keeps them (the cursor moves in the name filter); the sheet lists them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from app.shortcut_sheet import shortcut_rows


def _shown(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([demo_dir], remember=False)
    qtbot.waitUntil(lambda: len(window.session) == 4 and window.annotation.worklist.project is not None,
                    timeout=10_000)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.canvas.setFocus()
    return window


def _at(window, image_id: str) -> bool:  # noqa: ANN001
    """Whether the session's current image is the project's `image_id`."""
    path = window.annotation.worklist.project.image_path(image_id).resolve()
    return window.session.paths[window.session.current_index].resolve() == path


def test_home_and_end_go_to_the_worklists_first_and_last_image(qtbot, make_window, demo_dir, tmp_path) -> None:
    window = _shown(qtbot, make_window, demo_dir, tmp_path)
    worklist = window.annotation.worklist
    rows = [entry.id for entry in worklist.shown()]
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.session.current_index == 1
    qtbot.keyClick(window, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: _at(window, rows[-1]), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: _at(window, rows[0]), timeout=5000)


def test_a_text_field_with_the_focus_keeps_home_and_end(qtbot, make_window, demo_dir, tmp_path) -> None:
    window = _shown(qtbot, make_window, demo_dir, tmp_path)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    window.focus_filter()
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "2020")
    qtbot.keyClick(field, Qt.Key.Key_Home)
    assert field.cursorPosition() == 0 and window.session.current_index == 1
    qtbot.keyClick(field, Qt.Key.Key_End)
    assert field.cursorPosition() == 4 and window.session.current_index == 1


def test_the_sheet_lists_first_and_last_image(make_window) -> None:  # noqa: ANN001
    rows = {(where, action): keys for where, action, keys in shortcut_rows(make_window())}
    assert rows.get(("Annotate", "First Image")) == "Home"
    assert rows.get(("Annotate", "Last Image")) == "End"
