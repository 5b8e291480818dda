"""The View menu drew icons beside Fit to Window, Actual Size, Zoom In and Zoom Out, and none beside
Pan Left / Right / Up / Down nor the Theme submenu: half a column of icons, as if some were missing
(the File, Go, Annotate and Help menus have one on every entry but their panels' check boxes). Every
entry of the View menu that is not a check box now has its icon."""

from __future__ import annotations


def test_every_view_entry_but_check_boxes_has_an_icon(qtbot, make_window) -> None:
    window = make_window()
    view = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    bare = [a.text() for a in view.actions() if not a.isSeparator() and not a.isCheckable() and a.icon().isNull()]
    assert bare == []
