"""One-off calls off the GUI thread for the Fine-tune dialog: reading a dataset folder's split lists
while the user types its path (`app.training.form`), planning a run after Start (`app.training.dialog`).

Each call runs on its own daemon thread (a folder on a dead network drive holds only its own thread)
and its answer comes back on the owner's thread with the id `submit` gave it; `latest` is the id of the
newest call, so an owner drops any other answer as stale (napari `_qt/qthreading.py`'s request ids).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

__all__ = ["Background"]


class Background(QObject):
    """`submit(fn, *args)` runs `fn(*args)` on a new thread; `done(id, result)` or `failed(id, exception)`
    is emitted there and delivered queued to the slots of this object's owner (connect bound methods of
    QObjects living on the GUI thread). `cancel()` makes every answer not yet delivered stale."""

    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.latest = 0  # the id of the newest call: an answer with another id is stale
        self.calls = 0  # calls submitted (tests count them)

    def submit(self, fn: Callable[..., Any], *args: Any) -> int:
        """Run `fn(*args)` on a new daemon thread; the call's id (now `latest`)."""
        self.latest += 1
        self.calls += 1
        call_id = self.latest
        threading.Thread(target=self._run, args=(call_id, fn, args), name=f"{self.name}-{call_id}",
                         daemon=True).start()
        return call_id

    def cancel(self) -> None:
        """Every call submitted so far is stale: its answer is dropped by an owner checking `latest`."""
        self.latest += 1

    def _run(self, call_id: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            result = fn(*args)
        except Exception as exc:  # noqa: BLE001 - handed to the owner, who says it
            self._emit("failed", call_id, exc)
            return
        self._emit("done", call_id, result)

    def _emit(self, which: str, call_id: int, value: object) -> None:
        try:
            getattr(self, which).emit(call_id, value)
        except RuntimeError:  # the owner (and this object) was deleted meanwhile: nobody to tell
            pass
