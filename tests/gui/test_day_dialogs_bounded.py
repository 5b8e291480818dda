"""An annotator's day (bench/bench_annotator_day.py): the dialogs opened and closed all day leave
nothing behind; after the first opening the window's Qt objects stay as they were (counts, not times)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog

from app.shortcut_sheet import ShortcutSheet
from tests.gui.annotation_helpers import demo_window


def _qobjects(window) -> int:  # noqa: ANN001
    QApplication.sendPostedEvents(None, 0)  # deleteLater done
    return len(window.findChildren(QObject))


def test_shortcut_sheet_opened_all_day_leaves_one(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Help ▸ Keyboard Shortcuts closed and opened again: each opening made a new sheet, a child of
    the window (its table's ~100 rows and their items) never deleted."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    counts = []
    for _ in range(4):
        sheet = window.show_shortcuts()
        qtbot.wait(10)
        sheet.close()
        counts.append(_qobjects(window))
    assert len(window.findChildren(ShortcutSheet)) <= 1
    # No growth after the first opening; objects deleted late (deferred deletes of an earlier
    # stage) may only lower the count, which is not a leak.
    assert counts[3] <= counts[1], counts


def test_compare_opened_all_day_stays_one(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Compare Models opened and closed again and again: one dialog, the window's objects flat."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    counts = []
    for _ in range(4):
        dialog = window.training.open_compare()
        qtbot.wait(10)
        dialog.close()
        counts.append(_qobjects(window))
    assert counts[3] <= counts[1], counts  # flat or lower (late deletes), never growing
    assert len([d for d in window.findChildren(QDialog) if d.isVisible()]) == 0


def test_exports_made_all_day_leave_no_worker(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Every export's worker (a QRunnable not auto-deleted, its signals, the project and the options)
    stayed alive for the rest of the day: PySide keeps a reference to each runnable handed to a pool
    (`QThreadPool.start`) and never lets it go. Three exports: three workers before; none now (the pool
    is handed a function; app.annotation.export_worker)."""
    import gc

    from app.annotation.export_worker import ExportWorker, running_workers
    from tests.gui.annotation_helpers import drag, key

    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    for n in range(3):
        dialog = window.annotation.open_export_dialog()
        assert dialog is not None
        dialog.dst.setText(str(tmp_path / f"out{n}"))
        with qtbot.waitSignal(dialog.exported, timeout=20000):
            dialog.start()
        qtbot.waitUntil(lambda dialog=dialog: dialog.worker is None, timeout=20000)
    qtbot.waitUntil(lambda: running_workers() == 0, timeout=20000)  # the pool thread let go, then the GUI's
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, ExportWorker)] == []
