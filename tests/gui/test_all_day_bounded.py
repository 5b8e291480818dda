"""An annotator's whole day in one window: what each export, image or video leaves behind stays
bounded (counts of Qt objects, not times); see bench/bench_all_day.py for the day itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from app.annotation.export_dialog import ExportDialog
from tests.gui.annotation_helpers import demo_window, drag, key


def _qobjects(window) -> int:  # noqa: ANN001
    QApplication.sendPostedEvents(None, 0)  # deleteLater done
    return len(window.findChildren(QObject))


def test_each_export_leaves_no_dialog_behind(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Every File > Export made a new dialog, a child of the window never deleted: 38 Qt objects (25
    widgets) more per export for the rest of the day."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    counts = []
    for n in range(4):
        dialog = window.annotation.open_export_dialog()
        assert dialog is not None
        dialog.dst.setText(str(tmp_path / f"out{n}"))
        with qtbot.waitSignal(dialog.exported, timeout=20000):
            dialog.start()
        assert not dialog.isVisible()
        counts.append(_qobjects(window))
    assert len(window.findChildren(ExportDialog)) == 1  # the last one (its report is read by training)
    assert counts[1] == counts[2] == counts[3] <= counts[0], counts  # (the first export's pool signals go)
