"""The Layers dock's list never lies over its Opacity row: the dock's least height counts its note as the
note's words wrap at the dock's width. A wrapped label's own least height is one line (14 px), so at that
least height (the Layers dock under the Video panel at 1024 x 640) the layout gave the list less than its
few rows and the list, kept at them, overlapped the Opacity row and the legend. Geometry of the real
window, its Layers dock taken down to its least height."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.analysis.layer_list import MIN_ROWS
from tests.gui.annotation_helpers import demo_window


def _place(widget: QWidget, within: QWidget) -> QRect:
    return QRect(widget.mapTo(within, widget.rect().topLeft()), widget.size())


def test_the_list_stays_above_the_opacity_row_at_the_docks_least_height(qtbot, make_window, demo_dir: Path,
                                                                       tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.resize(1024, 640)
    ctl = window.analysis
    layers, dock = ctl.layer_list, ctl.layer_dock
    qtbot.waitUntil(lambda: dock.isVisible())
    for width in (300, 420):  # the note wraps to 4 lines, then 3
        window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        QApplication.processEvents()
        window.resizeDocks([ctl.model_dock, dock], [2000, 1], Qt.Orientation.Vertical)  # Layers at its least
        QApplication.processEvents()
        assert not layers.empty_note.isHidden()  # no result: the note says why the rows are grey
        note, rows = _place(layers.empty_note, layers), _place(layers.list, layers)
        opacity, legend = _place(layers.opacity, layers), _place(layers.legend, layers)
        assert note.height() >= layers.empty_note.heightForWidth(note.width())  # all its lines
        assert note.bottom() < rows.top(), (width, note, rows)
        assert rows.bottom() < opacity.top(), (width, rows, opacity)  # was: 12 px over it in video mode
        assert rows.height() >= layers.rows_height(MIN_ROWS)
        assert legend.bottom() < layers.height(), (width, legend, layers.height())
