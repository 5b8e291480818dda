"""What `bench_annotator_day.py` records at each checkpoint beyond `all_day_counts.counts`: the
projects' journal and recovery-log bytes, the undo history's bytes, open dialogs and top-level
widgets, the QPixmapCache limit and the Python types that grew.

Run from the repository root as the benchmarks are; `bench_annotator_day.py` puts the repository
and `bench/` on `sys.path` before importing this module.
"""

from __future__ import annotations

import gc
from collections import Counter
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QApplication, QDialog

from app.main_window import MainWindow
from fosp_core.annotation.project_files import JOURNAL_FILE, PROJECT_FILE

__all__ = ["EXTRA_COLUMNS", "extra_counts", "grown_types"]

EXTRA_COLUMNS = ["results_mb", "project_kb", "journal_kb", "journal_lines", "recovery_logs", "recovery_kb", "history_kb", "dialogs",
                 "top_widgets", "dead_wrappers", "pixcache_limit_kb"]


def _journal(projects_root: Path) -> tuple[float, int]:
    """(kB, lines) of every project's journal under `projects_root`."""
    size, lines = 0, 0
    for path in projects_root.rglob(JOURNAL_FILE):
        data = path.read_bytes()
        size += len(data)
        lines += data.count(b"\n")
    return size / 1024, lines


def _recovery(projects_root: Path) -> tuple[int, float]:
    """(files, kB) of the recovery logs (``masks/<id>.png.recovery``) and the logs set aside."""
    logs = [p for p in projects_root.rglob("*.recovery*") if p.is_file()]
    return len(logs), sum(p.stat().st_size for p in logs) / 1024


def _history_kb(window: MainWindow) -> float:
    """The undo/redo bytes of every open document (current, kept and held): `History.nbytes`."""
    docs = [doc for _project, doc in window.annotation.controller.open_documents.documents()]
    return sum(doc.history.nbytes for doc in docs) / 1024


def _dead_wrappers() -> int:
    """Python wrappers of QObjects whose C++ object is gone. PySide keeps every child that
    `findChildren` returned (this bench's QObject count, the shortcut sheet's QAction walk) referenced
    from the parent's wrapper; one deleted by Qt, not from Python, stays there as a dead wrapper."""
    return sum(1 for o in gc.get_objects() if isinstance(o, QObject) and not shiboken6.isValid(o))


def extra_counts(window: MainWindow, projects_root: Path) -> dict[str, float]:
    """One row's `EXTRA_COLUMNS` (read after `all_day_counts.counts`, which collected garbage)."""
    journal_kb, journal_lines = _journal(projects_root)
    logs, logs_kb = _recovery(projects_root)
    return {
        "results_mb": window.analysis.cache.nbytes / 2**20,
        "project_kb": sum(p.stat().st_size for p in projects_root.rglob(PROJECT_FILE)) / 1024,
        "journal_kb": journal_kb,
        "journal_lines": journal_lines,
        "recovery_logs": logs,
        "recovery_kb": logs_kb,
        "history_kb": _history_kb(window),
        "dialogs": len(window.findChildren(QDialog)),
        "top_widgets": len(QApplication.topLevelWidgets()),
        "dead_wrappers": _dead_wrappers(),
        "pixcache_limit_kb": QPixmapCache.cacheLimit(),
    }


def grown_types(before: Counter[str], after: Counter[str], top: int = 12) -> str:
    """The `top` types whose live count grew most from `before` to `after`, as text."""
    grown = after.copy()
    grown.subtract(before)
    return ", ".join(f"{name} +{n}" for name, n in grown.most_common(top) if n > 0) or "none"
