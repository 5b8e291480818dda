"""Starting a job on a ``QThreadPool`` so that nothing of it is kept once it ended: the app's one place for
PySide's retention of ``QRunnable``\\ s.

PySide 6.11 keeps every ``QRunnable`` a pool started that is not auto-deleted for as long as the pool lives
(the Export worker's signals, project and options: 00261a8), and an auto-deleted one too when it ends before
``QThreadPool.start`` returns (the pool's wrapper takes a reference after the pool thread deleted it; trials
here: 30 and 19 of 180 instant runnables kept, none of 180 callables: 2bae7be). So a pool is handed a job's
``run``, a function, never a ``QRunnable`` (tests/gui/test_pool_jobs_released.py looks for subclasses):

- :func:`start_job`: the job lives as long as the pool thread's function, whose reference may drop on that
  thread (a job holding only plain objects and relays that others hold too: the opener's tasks, the trained
  note's answers);
- :func:`start_kept`: the GUI thread holds the job until it ended, and lets go of it there, after the end
  signals it emitted (queued before): its last reference, and a ``QObject`` it owns, end on the GUI thread,
  never on the pool thread (a signals object deleted there lost its queued end signal: the Export worker).
"""

from __future__ import annotations

import itertools
from functools import partial
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

__all__ = ["Job", "kept_jobs", "start_job", "start_kept"]


class Job(Protocol):
    """What a pool runs: ``run()``, on the pool thread."""

    def run(self) -> None: ...


def start_job(pool: QThreadPool, job: Job) -> None:
    """Run `job` on `pool`, handed as its ``run`` (see module doc)."""
    pool.start(job.run)


class _Keeper(QObject):
    """One for the session, made on the GUI thread and never deleted: a pool thread tells it (queued, after
    the job's end signals) that it let go of a job; the GUI thread then lets go of its own reference."""

    let_go = Signal(int)

    def __init__(self) -> None:
        super().__init__(None)
        self.running: dict[int, Job] = {}  # GUI thread only
        self.let_go.connect(self._let_go, Qt.ConnectionType.QueuedConnection)

    def _let_go(self, key: int) -> None:
        self.running.pop(key, None)


_keeper: _Keeper | None = None
_keys = itertools.count(1)


def _run_kept(held: list[Job], key: int, keeper: _Keeper) -> None:
    """The pool thread's work: the job's `run`, then its reference dropped here before the GUI thread is told
    to drop its own."""
    job = held.pop()
    try:
        job.run()
    finally:
        del job
        keeper.let_go.emit(key)


def start_kept(pool: QThreadPool, job: Job) -> None:
    """Run `job` on `pool`, held on the GUI thread until it ended and let go there (see module doc); call on
    the GUI thread."""
    global _keeper  # noqa: PLW0603 - one for the session, made on the GUI thread by the first start
    if _keeper is None:
        _keeper = _Keeper()
    key = next(_keys)
    _keeper.running[key] = job
    pool.start(partial(_run_kept, [job], key, _keeper))


def kept_jobs(kind: type | None = None) -> int:
    """How many jobs `start_kept` started (of type `kind`, any by default) the GUI thread still holds: their
    end not handled there yet (tests)."""
    if _keeper is None:
        return 0
    return sum(1 for job in _keeper.running.values() if kind is None or isinstance(job, kind))
