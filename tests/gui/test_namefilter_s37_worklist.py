"""The Images list's name filter (Ctrl+F) and the worklist, on a copy of the demo (s37): session 36 made N /
Shift+N keep to the name filter, but Home / End (first / last image) still went to the worklist's first / last
row as if there were no filter, and the worklist itself listed every name (its Up / Down walked images the
filter hides). As in labelme's and X-AnyLabeling's file search, the filter the keys keep to is the one the
list shows: the worklist lists only the names the filter lets through and says so ("2 of 4 shown, name filter
"Fire""), every row back when the filter is cleared; Home / End go to its first / last row.

Demo (name order): 0 West (lp), 1 BrattonFire (lp), 2 inside-Mexico, 3 ValleyFire; "Fire" lists 1 and 3,
"lp" lists 0 and 1.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.annotation.home_end import go_to_end
from fosp_core.session import ImageSession
from tests.gui.annotation_helpers import demo_window, key
from tests.gui.annotation_qa.helpers import wait_image


def _filter_by_name(qtbot, window, text: str) -> None:  # noqa: ANN001
    """Ctrl+F, type `text` (after clearing the box), Enter: as a user."""
    panel = window.images_panel
    panel.focus_filter()
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Backspace)  # the text selected by Ctrl+F
    if text:
        QTest.keyClicks(panel.filter_edit, text)
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.filter == text)


def _names(window) -> list[str]:  # noqa: ANN001
    """The worklist's rows as the demo's place names."""
    places = ("West", "BrattonFire", "inside-Mexico", "ValleyFire")
    return [next(p for p in places if p in entry.image) for entry in window.annotation.worklist.model.rows]


def test_home_and_end_keep_to_the_name_filter(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    _filter_by_name(qtbot, window, "lp")  # West and BrattonFire; West (shown) stays
    key(window, "End")
    wait_image(qtbot, window, 1)  # not 3 (ValleyFire), which the filter hides
    key(window, "Home")
    wait_image(qtbot, window, 0)
    _filter_by_name(qtbot, window, "Fire")  # hides West: BrattonFire is shown
    wait_image(qtbot, window, 1)
    key(window, "End")
    wait_image(qtbot, window, 3)
    key(window, "Home")
    wait_image(qtbot, window, 1)  # not 0 (West)
    _filter_by_name(qtbot, window, "")
    key(window, "Home")
    wait_image(qtbot, window, 0)  # every image again


def test_the_worklist_lists_the_names_the_filter_lets_through(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    assert _names(window) == ["West", "BrattonFire", "inside-Mexico", "ValleyFire"]
    assert not panel.name_note.isVisibleTo(panel)
    _filter_by_name(qtbot, window, "Fire")
    assert _names(window) == ["BrattonFire", "ValleyFire"]
    note = panel.name_note.text()
    assert panel.name_note.isVisibleTo(panel) and '2 of 4 shown, name filter "Fire"' in note, note
    assert "Ctrl+F" in note, note  # how to clear it
    assert panel.progress.format() == "0 of 4 reviewed"  # the project's progress, not the rows'
    _filter_by_name(qtbot, window, "")
    assert _names(window) == ["West", "BrattonFire", "inside-Mexico", "ValleyFire"]
    assert not panel.name_note.isVisibleTo(panel) and panel.name_note.text() == ""


def test_the_worklist_keys_walk_the_filtered_rows(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """With the worklist focused, Down from BrattonFire went to inside-Mexico, which the filter hides."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    _filter_by_name(qtbot, window, "Fire")
    wait_image(qtbot, window, 1)
    panel.list.setFocus()
    QTest.keyClick(panel.list, Qt.Key.Key_Down)
    wait_image(qtbot, window, 3)
    QTest.keyClick(panel.list, Qt.Key.Key_Up)
    wait_image(qtbot, window, 1)


def test_the_note_says_the_name_filter_hides_every_row(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    window.session.set_filter("nowhere")
    assert panel.model.rowCount() == 0
    note = panel.empty_note.text()
    assert 'name filter "nowhere"' in note and "Ctrl+F" in note, note  # not "Show: All images lists every one"
    assert "Show: All images lists every one" not in note, note
    key(window, "End")  # nothing listed: the image stays
    assert window.annotation.controller.image_path == window.session.paths[0]
    panel.filter.setCurrentIndex(panel.filter.findText("Reviewed"))
    window.session.set_filter("Fire")
    assert panel.model.rowCount() == 0  # none reviewed
    note = panel.empty_note.text()
    assert 'Show: Reviewed and the name filter "Fire"' in note and "Ctrl+F" in note, note
    assert not panel.name_note.isVisibleTo(panel)  # the note under the empty list says it all
    panel.filter.setCurrentIndex(panel.filter.findText("Not reviewed"))
    note = panel.name_note.text()
    assert '2 of 4 shown, name filter "Fire", Show: Not reviewed' in note, note
    assert not panel.empty_note.isVisibleTo(panel)


def test_home_and_end_without_a_project_keep_to_the_filter(tmp_path: Path) -> None:
    """No project listed (the session's images only): Home / End went to the session's first / last image,
    hidden or not."""
    session = ImageSession()
    paths = []
    for name in ("a_one.jpg", "b_two.jpg", "c_one.jpg", "d_two.jpg"):
        (path := tmp_path / name).write_bytes(b"")
        paths.append(path)
    session.add(paths)
    session.set_filter("two")

    class _NoProject:
        project = None

    assert go_to_end(_NoProject(), session, last=False)  # type: ignore[arg-type]
    assert session.current_index == 1
    assert go_to_end(_NoProject(), session, last=True)  # type: ignore[arg-type]
    assert session.current_index == 3
    session.set_filter("one")
    assert go_to_end(_NoProject(), session, last=True)  # type: ignore[arg-type]
    assert session.current_index == 2
    session.set_filter("none")
    assert not go_to_end(_NoProject(), session, last=False)  # type: ignore[arg-type]
    assert session.current_index == 2
