"""The app's other pool jobs let go of what they hold once their work ends (counted, after the pool is done
and a collection): the opener's tasks (`app.open_task.OpenTask`) and the pools and relays that shut-down
openers detach (`app.open_task.detach`), and the trained note's jobs (`app.analysis.trained_note`).

PySide 6.11 keeps every ``QRunnable`` a pool started that is not auto-deleted (the Export worker did that:
tests/gui/test_export_worker_released.py), and an auto-deleted one too when it ends before ``start``
returns (its pool's wrapper takes a reference after the pool thread deleted it: a race; in trials
here 30 and 19 of 180 instant runnables stayed, none of 180 that slept 5 ms, none of 180
callables). The jobs here end at once (`JOBS` of them, one at a time on an idle pool): before, some of
them stayed, held by the pool for as long as it lives; the pool is handed a function now."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThreadPool

import app.open_task as open_task
from app.analysis import trained_note
from app.open_task import OpenOutcome, OpenRelay, OpenRequest, OpenTask, start_open

N = 4
JOBS = 100  # instant jobs: each may end before `start` returns
WAIT_MS = 20_000


def _settled() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _gated_gather(gate: threading.Event, entered: threading.Semaphore):  # noqa: ANN202
    def gather(request: OpenRequest, _pending, progress, _stage) -> OpenOutcome:  # noqa: ANN001
        entered.release()
        assert gate.wait(WAIT_MS / 1000)
        progress(0)  # raises once cancelled, as the listing does
        return OpenOutcome(request)

    return gather


def test_detached_openers_are_let_go_once_their_open_ends(qtbot, monkeypatch) -> None:  # noqa: ANN001
    """N windows closed while an open ran (`Opener.shutdown` -> `detach`): each pool and relay stayed in
    `_detached` until the process exited (N entries, N relays alive after every open ended); now each is let
    go on the GUI thread once its pool is done."""
    gate, entered = threading.Event(), threading.Semaphore(0)
    monkeypatch.setattr(open_task, "gather", _gated_gather(gate, entered))
    before = len(open_task._detached)
    relays: list[weakref.ref] = []
    deleted_on: list[str] = []
    done: list[bool] = []
    for n in range(N):
        pool, relay = QThreadPool(), OpenRelay()
        pool.setMaxThreadCount(1)
        relay.destroyed.connect(lambda *_a: deleted_on.append(threading.current_thread().name),
                                Qt.ConnectionType.DirectConnection)
        relay.done.connect(lambda _outcome: done.append(True))
        cancel = threading.Event()
        start_open(pool, OpenTask(relay, OpenRequest(n, (f"folder{n}",), False, "folder"), [], cancel))
        assert entered.acquire(timeout=WAIT_MS / 1000)
        cancel.set()  # Opener.shutdown: cancel, then detach while the worker runs
        open_task.detach(pool, relay)
        relays.append(weakref.ref(relay))
        del pool, relay
    assert len(open_task._detached) == before + N
    gate.set()
    qtbot.waitUntil(lambda: len(done) == N, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(open_task._detached) == before, timeout=WAIT_MS)
    _settled()
    assert [r for r in relays if r() is not None] == []
    assert deleted_on == [threading.main_thread().name] * N


def test_open_tasks_are_not_kept_after_they_ran(qtbot, monkeypatch) -> None:  # noqa: ANN001
    """The tasks an opener starts are gone once they ran (`start_open`, as `Opener` starts them)."""
    gate, entered = threading.Event(), threading.Semaphore(0)
    gate.set()
    monkeypatch.setattr(open_task, "gather", _gated_gather(gate, entered))
    pool, relay = QThreadPool(), OpenRelay()
    outcomes: list[OpenOutcome] = []
    relay.done.connect(outcomes.append)
    tasks: list[weakref.ref] = []
    pool.setMaxThreadCount(1)  # the opener's: one open at a time
    for n in range(JOBS):
        task = OpenTask(relay, OpenRequest(n, (f"folder{n}",), False, "folder"), [], threading.Event())
        tasks.append(weakref.ref(task))
        start_open(pool, task)
        del task
        pool.waitForDone()
    qtbot.waitUntil(lambda: len(outcomes) == JOBS, timeout=WAIT_MS)
    _settled()
    assert [t for t in tasks if t() is not None] == []


def test_trained_note_jobs_are_not_kept_after_they_ran(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Each image asked about starts a job on the note's pool; none stays once the answers came."""
    made: list[weakref.ref] = []

    class Counted(trained_note._Job):
        def __init__(self, *args) -> None:  # noqa: ANN002
            super().__init__(*args)
            made.append(weakref.ref(self))

    monkeypatch.setattr(trained_note, "_Job", Counted)
    checkpoint = tmp_path / "model.pt"  # a pickle: its metadata is not read
    checkpoint.write_bytes(b"x")
    note = trained_note.TrainedNote()
    for n in range(JOBS):
        image = tmp_path / f"image{n}.png"
        image.write_bytes(n.to_bytes(2, "big") * 10)
        assert note.line(checkpoint, image) == ""
        note.wait()
    qtbot.waitUntil(lambda: not note.pending(), timeout=WAIT_MS)
    assert len(made) == JOBS
    _settled()
    assert [j for j in made if j() is not None] == []


def test_no_qrunnable_subclass_in_the_app() -> None:
    """The pools of the app are handed functions: a ``QRunnable`` subclass started on a pool may be kept by
    it (see the module doc). Before: ExportWorker, OpenTask and the trained note's _Job."""
    import ast

    root = Path(__file__).resolve().parents[2] / "app"
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(ast.unparse(base).endswith("QRunnable") for base in node.bases):
                found.append(f"{path.relative_to(root.parent)}:{node.name}")
    assert found == []
