"""Compare Two Checkpoints on a small screen (x2dark-compare.png: 200 % on an 800 x 800 screen, 400 x 400
logical): the dialog at its least size cut the empty table's hint to its middle line and ran the two preview
labels 14 px below their pane (the status line's second line, wrapped, was not in the dialog's least
height); and on an 800 px wide screen the empty table scrolled sideways (its columns 830 px in 760)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QFontMetrics, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from app.training.compare_dialog import CompareDialog
from app.training.compare_table import EMPTY_HINT
from fosp_core.analysis.settings import AnalysisSettings


def _dialog(qtbot, monkeypatch, tmp_path: Path, screen: QRect) -> CompareDialog:  # noqa: ANN001
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(screen))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: [], input_size=64)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for _ in range(3):
        QApplication.processEvents()
    return dialog


def _inside(child: QWidget, parent: QWidget) -> bool:
    place = QRect(child.mapTo(parent, child.rect().topLeft()), child.size())
    return parent.rect().contains(place)


def test_at_its_least_size_the_previews_stay_in_their_pane_and_the_hint_is_whole(qtbot, monkeypatch,
                                                                                  tmp_path: Path) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, monkeypatch, tmp_path, QRect(0, 0, 400, 400))
    try:
        pane = dialog.preview_pane
        for caption, label in pane.pairs():
            assert _inside(label, pane), (label.geometry(), pane.size())
            assert _inside(caption, pane), (caption.geometry(), pane.size())
        assert _inside(pane, dialog.splitter) and _inside(dialog.splitter, dialog)
        table = dialog.table
        drawn, rect = table.hint_layout()
        assert drawn.startswith("No image compared yet."), drawn
        needs = QFontMetrics(table.font()).boundingRect(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                                                        drawn)
        assert table.viewport().rect().contains(needs), (needs, table.viewport().rect(), drawn)
        assert drawn == EMPTY_HINT or EMPTY_HINT in table.toolTip()  # the whole hint still said somewhere
    finally:
        dialog.close()
        dialog.shutdown()


@pytest.mark.parametrize("screen", [QRect(0, 0, 800, 800), QRect(0, 0, 1024, 640), QRect(0, 0, 1280, 800)])
def test_the_empty_table_needs_no_sideways_scrolling_at_the_dialogs_size(qtbot, monkeypatch, tmp_path: Path,
                                                                          screen: QRect) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, monkeypatch, tmp_path, screen)
    try:
        table = dialog.table
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width(), (header.length(), table.viewport().width())
        assert not table.horizontalScrollBar().isVisible()
        assert header.sectionSize(0) >= 120
    finally:
        dialog.close()
        dialog.shutdown()
