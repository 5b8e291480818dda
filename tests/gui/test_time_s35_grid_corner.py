"""The window's GridCorner (app.analysis.grid_corner) looked its docks up again at every ChildPolished of a
dock while the window was built and first shown (each dock polished one by one), besides at the Show,
which watches every dock anyway: each lookup searched the window's ~800 widgets. It now watches the docks
at the first Show (and at a dock polished after it, one added later) and looks only at the window's direct
children, where QMainWindow keeps its docks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from app.analysis import chrome
from app.analysis.grid_corner import GridCorner

_BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
_RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


def test_the_docks_are_watched_once_by_the_first_show_and_again_for_a_late_dock(qtbot, make_window,
                                                                               monkeypatch) -> None:
    scans: list[str] = []

    class Counted(GridCorner):
        """Counts the dock scans (a subclass: a method patched on the class would outlive the test)."""

        def _watch_all(self) -> None:
            scans.append("watch")
            super()._watch_all()

    monkeypatch.setattr(chrome, "GridCorner", Counted)  # build_docks makes the window's
    window = make_window()
    QApplication.processEvents()  # the hidden window's polish events
    assert scans == [], "a window never shown scanned its docks"
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    assert scans == ["watch"], f"the build and first show scanned the docks {len(scans)} times, not once"

    corner = next(c for c in window.findChildren(Counted))
    docks = set(window.findChildren(QDockWidget)) - {window.analysis.grid_dock}
    assert docks and corner._watched == docks, "every dock but the grid is watched after the first show"

    late = QDockWidget("Late", window)  # a dock added after the first show is watched too
    late.setObjectName("late_dock")
    window.addDockWidget(_BOTTOM, late)
    QApplication.processEvents()
    assert late in corner._watched
    assert window.corner(Qt.Corner.BottomRightCorner) == _BOTTOM, "the late dock shows at the bottom"
    late.hide()
    assert window.corner(Qt.Corner.BottomRightCorner) == _RIGHT
