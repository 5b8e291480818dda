"""One-off calls off the GUI thread for the Fine-tune dialog: reading a dataset folder's split lists
while the user types its path (`app.training.form`), planning a run after Start (`app.training.dialog`).

Each call runs on its own daemon thread (a folder on a dead network drive holds only its own thread)
and its answer comes back on the owner's thread with the id `submit` gave it; `latest` is the id of the
newest call, so an owner drops any other answer as stale (napari `_qt/qthreading.py`'s request ids).

The thread never touches the :class:`Background` (its owner may be deleted while a call runs, and a
QObject deleted on one thread while another emits its signal is a crash, not an exception): it emits on
a relay (:class:`_Relay`, no parent: it lives as long as a thread holds it), queued on to the Background's
own signals on the GUI thread, which Qt drops once the Background is gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.relay import Relay

__all__ = ["Background"]


class _Relay(Relay):
    """What a call's thread emits its answer on (see the module doc)."""

    done = Signal(int, object)
    failed = Signal(int, object)


class Background(QObject):
    """`submit(fn, *args)` runs `fn(*args)` on a new thread; `done(id, result)` or `failed(id, exception)`
    is emitted on the GUI thread (connect bound methods of QObjects living there), nothing once this
    object is deleted (see the module doc). `cancel()` makes every answer not yet delivered stale."""

    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.latest = 0  # the id of the newest call: an answer with another id is stale
        self.calls = 0  # calls submitted (tests count them)
        self._relay = _Relay()  # made on the GUI thread: its answers are queued to this object there
        self._relay.forward_to(self, "done", "failed")

    def submit(self, fn: Callable[..., Any], *args: Any) -> int:
        """Run `fn(*args)` on a new daemon thread; the call's id (now `latest`)."""
        self.latest += 1
        self.calls += 1
        call_id = self.latest
        threading.Thread(target=_run, args=(self._relay, call_id, fn, args), name=f"{self.name}-{call_id}",
                         daemon=True).start()
        return call_id

    def cancel(self) -> None:
        """Every call submitted so far is stale: its answer is dropped by an owner checking `latest`."""
        self.latest += 1


def _run(relay: _Relay, call_id: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """On the call's thread: `fn(*args)`, its answer emitted on `relay` (never on the Background)."""
    try:
        result = fn(*args)
    except Exception as exc:  # noqa: BLE001 - handed to the owner, who says it
        relay.failed.emit(call_id, exc)
        return
    relay.done.emit(call_id, result)
