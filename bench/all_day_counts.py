"""What `bench_all_day.py` counts in the running app: memory, Python objects, Qt objects and scene
items, threads, file descriptors, timers and the sizes of the caches that should stay bounded.

Run from the repository root as the benchmarks are; `bench_all_day.py` puts the repository on
`sys.path` before importing this module.
"""

from __future__ import annotations

import ctypes
import gc
import os
import threading
from collections import Counter

from PySide6.QtCore import QObject, QThread, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QGraphicsScene

from app.main_window import MainWindow
from fosp_core.annotation.prediction_profile import PROFILES

__all__ = ["COLUMNS", "counts", "type_counts"]

COLUMNS = ["rss_mb", "rss_trim_mb", "py_objects", "qobjects", "widgets", "scene_items", "qtimers", "py_threads", "os_threads",
           "pool_active", "fds", "results", "profiles", "kept_docs", "undo_steps", "probs"]


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _trimmed_rss_mb() -> float:
    """RSS after glibc gave its free pages back (malloc_trim): what is still in use, not what the
    allocator keeps for later."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    return _rss_mb()


def _scene_items(window: MainWindow) -> int:
    scenes = {window.canvas.scene()} | {s for s in window.findChildren(QGraphicsScene)}
    return sum(len(scene.items()) for scene in scenes if scene is not None)


def _undo_steps(window: MainWindow) -> int:
    """Undo and redo steps held by every open image document (current, kept and held)."""
    docs = [doc for _project, doc in window.annotation.controller.open_documents.documents()]
    total = 0
    for doc in docs:
        history = doc.history
        total += len(getattr(history, "_undo", [])) + len(getattr(history, "_redo", []))
    return total


def counts(window: MainWindow, trim: bool = False) -> dict[str, float]:
    """One row of the table: see `COLUMNS` (rss_trim_mb: NaN unless `trim`, as a trim changes what
    the allocator keeps for the rest of the run)."""
    gc.collect()
    controller = window.annotation.controller
    documents = controller.open_documents
    return {
        "rss_mb": _rss_mb(),
        "rss_trim_mb": _trimmed_rss_mb() if trim else float("nan"),
        "py_objects": len(gc.get_objects()),
        "qobjects": len(window.findChildren(QObject)),
        "widgets": len(QApplication.allWidgets()),
        "scene_items": _scene_items(window),
        "qtimers": len(window.findChildren(QTimer)),
        "py_threads": threading.active_count(),
        "os_threads": len(os.listdir("/proc/self/task")),
        "pool_active": QThreadPool.globalInstance().activeThreadCount() + len(window.findChildren(QThread)),
        "fds": len(os.listdir("/proc/self/fd")),
        "results": len(window.analysis.cache),
        "profiles": len(PROFILES._entries),
        "kept_docs": len(documents.recent) + len(documents.held),
        "undo_steps": _undo_steps(window),
        "probs": len(controller._probabilities),
    }


def type_counts() -> Counter[str]:
    """Live objects tracked by the collector, by type name (after a collection)."""
    gc.collect()
    return Counter(type(o).__qualname__ for o in gc.get_objects())
