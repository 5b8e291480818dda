"""Take Over's reopening of a project off the GUI thread, the window told while it waits.

Taking over a project (`app.annotation.lock_prompt`) opens it again taking the lock
(`app.annotation.projects.reopen_taking_over`: ``project.json``, the journal, the lock, its images root resolved and
each image's path, its logs set aside listed). On a network share slow to answer, or one that stopped answering,
that held the window. :class:`TakeOverWait` runs it on a thread of its own, one per Take Over (the user asks for
each, one at a time: the question is modal, the wait window-modal; a daemon thread, as the video opener's, so that
a share that never answers does not hold the process's exit; the open's worker is not used, as it waits behind an
open under way and is the :class:`~app.opening.Opener`'s alone). The GUI thread waits :data:`TAKE_OVER_WAIT_S` at
most: a disk that answers is taken over at once, as before. Past that a window-modal wait says what is taken over,
with **Stop Waiting**; the outcome is handed over on the GUI thread when it comes (`then`). Stopped, nothing is
handed over: a project reopened after that is closed on its thread (its lock let go there, not on the GUI thread),
and the project stays read-only.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.annotation.projects import PreparedProject, close_prepared
from app.relay import ValueRelay
from fosp_core.annotation.project import ProjectError

__all__ = ["TAKE_OVER_WAIT_S", "Reopened", "TakeOverWait"]

#: The longest the GUI thread waits for a reopening (a disk that answers: a few ms, the thread's start included)
#: before the window-modal wait shows, the window turning.
TAKE_OVER_WAIT_S = 0.5

#: A reopening's outcome: the project reopened (its images mapped), or why it could not be
Reopened = PreparedProject | ProjectError


def _let_go(outcome: Reopened) -> None:
    """A reopening nobody takes any more: its project closed (its lock released)."""
    if isinstance(outcome, PreparedProject):
        close_prepared([outcome])


class TakeOverWait(QObject):
    """The reopenings on their threads (see module doc); several at once when an open takes over several projects.
    `dialog`: the wait shown, None when none is."""

    def __init__(self, parent: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self._parent = parent
        self._relay = ValueRelay()  # parentless: the thread emits on it (app.relay)
        self._relay.done.connect(self._on_done)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._wanted: set[int] = set()  # the runs whose outcome is awaited (by the thread's wait or the relay)
        self._taken: set[int] = set()  # the runs taken at once: their relay answers are dropped
        self._then: dict[int, Callable[[Reopened | None], object]] = {}  # the runs waited for past the wait
        self._threads: list[threading.Thread] = []
        self.dialog: QProgressDialog | None = None

    @property
    def running(self) -> bool:
        """A reopening's thread still runs (also one stopped: it closes what it opened)."""
        return any(thread.is_alive() for thread in self._threads)

    def start(self, folder: Path, work: Callable[[], Reopened], then: Callable[[Reopened | None], object],
              wanted: Callable[[], bool] = lambda: True) -> Reopened | None:
        """Run `work` (the reopening of the project in `folder`) on a thread. Its outcome when it came within
        `TAKE_OVER_WAIT_S` (`then` is not called); else None, the wait shown, and `then(outcome)` here once it
        comes, or `then(None)` when the user stopped waiting. `wanted`: asked on the thread as the outcome comes
        (False: nobody takes it, the window closed; it is let go there)."""
        run_id = next(self._ids)
        answered, box, relay = threading.Event(), [], self._relay
        with self._lock:
            self._wanted.add(run_id)

        def run() -> None:
            try:
                outcome = work()
            except Exception as exc:  # noqa: BLE001 - a worker must never die silently: told as the reopening's failure
                outcome = ProjectError(folder, f"{type(exc).__name__}: {exc}")
            with self._lock:  # handed over under the lock: once `stop` returned, nothing is
                if run_id in self._wanted and wanted():
                    box.append(outcome)
                    answered.set()
                    relay.done.emit((run_id, outcome))
                    return
            _let_go(outcome)  # nobody waits for it: closed here, off the GUI thread

        thread = threading.Thread(target=run, name="take-over", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        if answered.wait(TAKE_OVER_WAIT_S):
            with self._lock:
                self._wanted.discard(run_id)
            self._taken.add(run_id)
            return box[0]
        self._then[run_id] = then
        self._show(folder)
        return None

    def stop(self) -> None:
        """Stop waiting (Stop Waiting): the runs under way hand nothing over; each one's `then(None)`."""
        with self._lock:
            self._wanted.clear()
        pending, self._then = list(self._then.values()), {}
        self._close_dialog()
        for then in pending:
            then(None)

    def close(self) -> None:
        """The window closes: nothing is handed over nor told any more (a reopening ending later is let go on its
        thread), the wait goes."""
        with self._lock:
            self._wanted.clear()
        self._then = {}
        self._close_dialog()

    def _show(self, folder: Path) -> None:
        what = f"the annotation project in {folder}" if len(self._then) == 1 else \
            f"{len(self._then)} annotation projects"
        text = f"Taking over {what} …\n\nThe disk is slow to answer. Stop Waiting leaves it read-only."
        if self.dialog is not None:
            self.dialog.setLabelText(text)
            return
        dialog = QProgressDialog(text, "Stop Waiting", 0, 0, self._parent())
        dialog.setWindowTitle("Take Over")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.stop)  # its button, Esc, or its window closed
        self.dialog = dialog
        dialog.show()

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):  # gone with its window: nothing to close
            dialog.canceled.disconnect()
            dialog.close()
            dialog.deleteLater()

    def _on_done(self, answer: tuple[int, Reopened]) -> None:
        run_id, outcome = answer
        if run_id in self._taken:  # taken at once
            self._taken.discard(run_id)
            return
        then = self._then.pop(run_id, None)
        if then is None:  # stopped as it was handed over: let go (rare)
            _let_go(outcome)
            return
        if not self._then:
            self._close_dialog()
        then(outcome)
