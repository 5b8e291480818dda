"""The Export worker lets go of everything once an export ends (its signals, the project, the options):
PySide keeps every ``QRunnable`` not auto-deleted that a pool started for the rest of the session, and
a worker whose last reference dropped on the pool thread deleted its signals object there, losing the
queued end signal (the dialog closed before its export ended). Counted with weak references, and with the
thread each signals object was deleted on."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThreadPool

from app.annotation import export_worker
from app.annotation.export_worker import ExportOptions, ExportWorker

N = 5


def _fake_export(*_args, progress, **_kwargs):  # noqa: ANN002, ANN003, ANN202 - two images
    progress(1, 2)
    progress(2, 2)
    return "report"


@pytest.mark.parametrize("ending", ["finished", "failed", "cancelled"])
def test_workers_started_and_let_go_leave_nothing(qtbot, tmp_path: Path, monkeypatch, ending: str) -> None:  # noqa: ANN001
    """N workers started with no one else holding them (a dialog deleted before its export ended): each
    end signal arrives on the GUI thread, then no worker, no signals object is left, and each signals
    object was deleted on the GUI thread. Before: all N workers alive after the pool was done."""
    monkeypatch.setattr(export_worker, "destination_refusal", lambda *_a: "refused" if ending == "failed" else None)
    monkeypatch.setattr(export_worker, "export_smokeseg", _fake_export)
    pool = QThreadPool()
    ended: list[str] = []
    deleted_on: list[str] = []
    workers: list[weakref.ref] = []
    signals: list[weakref.ref] = []
    for n in range(N):
        worker = ExportWorker(object(), ExportOptions(tmp_path / f"out{n}"))  # type: ignore[arg-type]
        for name in ("finished", "failed", "cancelled"):
            getattr(worker.signals, name).connect(lambda *_a, name=name: ended.append(name))
        worker.signals.destroyed.connect(lambda *_a: deleted_on.append(threading.current_thread().name),
                                         Qt.ConnectionType.DirectConnection)
        if ending == "cancelled":
            worker.cancel()
        workers.append(weakref.ref(worker))
        signals.append(weakref.ref(worker.signals))
        worker.start(pool)
        del worker
    pool.waitForDone()
    qtbot.waitUntil(lambda: len(ended) == N, timeout=20000)
    qtbot.waitUntil(lambda: export_worker.running_workers() == 0, timeout=20000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert ended == [ending] * N
    assert [w for w in workers if w() is not None] == []
    assert [s for s in signals if s() is not None] == []
    assert deleted_on == [threading.main_thread().name] * N


def test_a_worker_held_by_its_dialog_stays_until_the_dialog_lets_go(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The worker's own release does not take it from a caller still holding it (the dialog reads it)."""
    monkeypatch.setattr(export_worker, "destination_refusal", lambda *_a: None)
    monkeypatch.setattr(export_worker, "export_smokeseg", _fake_export)
    worker = ExportWorker(object(), ExportOptions(tmp_path / "out"))  # type: ignore[arg-type]
    reports: list[object] = []
    worker.signals.finished.connect(reports.append)
    worker.start()
    qtbot.waitUntil(lambda: export_worker.running_workers() == 0, timeout=20000)
    assert reports == ["report"]
    held = weakref.ref(worker)
    assert shiboken6.isValid(worker.signals)  # still a live QObject while the caller holds the worker
    del worker
    gc.collect()
    assert held() is None
