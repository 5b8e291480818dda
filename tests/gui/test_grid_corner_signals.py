"""GridCorner (the window's bottom-right corner: the right-hand column's while the compare grid is the
only bottom dock, the bottom area's while another dock shows there) follows the docks through their own
signals (visibilityChanged, dockLocationChanged, topLevelChanged), not through Python event filters on
every dock: each event a dock received (paints, moves, enters, tooltips...) crossed into Python to be
looked at. Only the window keeps a filter (its Show, and the docks added as its children)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from app.analysis import chrome
from app.analysis.grid_corner import GridCorner
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

_BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
_RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


def test_the_corner_follows_the_docks_without_filtering_their_events(qtbot, make_window, tmp_path: Path,
                                                                      monkeypatch) -> None:
    seen: list[QObject] = []

    class Counted(GridCorner):
        """Records what its filter sees (a subclass: PySide keeps calling a virtual patched on the class
        and put back, the next test's windows too)."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            seen.append(watched)
            return super().eventFilter(watched, event)

    monkeypatch.setattr(chrome, "GridCorner", Counted)  # build_docks makes the window's
    window = make_window()
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    corner = lambda: window.corner(Qt.Corner.BottomRightCorner)  # noqa: E731
    grid = window.analysis.grid_dock
    grid.toggleViewAction().trigger()
    QApplication.processEvents()
    assert corner() == _RIGHT  # the grid alone at the bottom: under the canvas

    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    timeline = window.video.timeline_dock
    assert timeline.isVisible() and corner() == _BOTTOM  # the timeline's: the window's width
    timeline.setFloating(True)  # floated: not at the bottom any more
    assert corner() == _RIGHT
    timeline.setFloating(False)
    assert corner() == _BOTTOM
    window.addDockWidget(_RIGHT, timeline)  # dragged to the right-hand column
    assert corner() == _RIGHT
    window.addDockWidget(_BOTTOM, timeline)
    assert corner() == _BOTTOM
    timeline.hide()
    assert corner() == _RIGHT
    timeline.show()
    assert corner() == _BOTTOM
    docks = {w.objectName() for w in seen if isinstance(w, QDockWidget)}
    assert docks == set()  # no dock's events went through Python

    late = QDockWidget("Late", window)  # a dock added after the window showed
    late.setObjectName("late_dock")
    window.addDockWidget(_BOTTOM, late)
    QApplication.processEvents()
    timeline.hide()
    assert corner() == _BOTTOM  # the late dock shows at the bottom
    late.hide()
    assert corner() == _RIGHT
    window.video.leave()
    QApplication.processEvents()
    assert corner() == _RIGHT

    assert set(seen) <= {window}  # only the window's events did
