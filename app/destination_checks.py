"""The Export dialogs' destination checks (the image Export dialog's, `app.annotation.export_dialog`, and the
video's Export frames, `app.video.export_dialog`), off the GUI thread and one at a time per folder checked (for
every dialog; `check_key`): a destination on a dead network drive holds one thread, however often OK, Export or Browse is
pressed or a dialog opened again meanwhile. The asks that come while a folder's check runs wait for it, each
relay's newest (an older one's answer would be dropped anyway), and are answered after it, each by a check of
its own; a destination elsewhere is checked at once, by a thread of its own. The pattern of
`app.annotation.free_folder` (the suggested destination's probe). Neutral ground: it imports neither dialog.

The folder checked is the destination's parent, unless the destination is itself a mount point (a drive
chosen as the destination, ``/media/u/DEAD``): then the destination. Keyed by the parent alone, two drives side
by side (``/media/u/DEAD`` and ``/media/u/GOOD``) shared the parent ``/media/u``, and the good one's check waited
for the dead one's for good. The mount table says which is a mount point (`fosp_core.io.mount_points`): no
``stat`` on the GUI thread, which would hang on the dead drive.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from app.relay import ValueRelay
from fosp_core.io.mount_points import is_mount_point

__all__ = ["THREAD_NAME", "Check", "ask_check", "check_key"]

#: the checks' threads' name, unless the ask names another (the first ask of a parent names its thread)
THREAD_NAME = "export-destination-check"

Check = Callable[[], object]
"""One ask's check: reads the disk, returns the answer emitted (one that raises is answered None)."""

#: folder checked (`check_key`) -> the asks waiting for its check thread (one a relay: its newest (number, check)); a parent is
#: here while its thread runs
_waiting: dict[Path, dict[ValueRelay, tuple[int, Check]]] = {}
_lock = threading.Lock()


def check_key(dst: Path) -> Path:
    """The folder whose checks `dst`'s waits for: `dst` itself where it is a mount point (a drive of its own),
    else its parent; told without a look at the disk (the mount table)."""
    dst = Path(os.path.abspath(dst))
    return dst if dst.parent == dst or is_mount_point(dst) else dst.parent


def ask_check(relay: ValueRelay, number: int, dst: Path, check: Check, *, name: str = THREAD_NAME) -> None:
    """Have ``(number, check())`` emitted on `relay`: by the thread that checks `dst`'s folder (`check_key`) now,
    once it is done with what it does (`relay`'s older ask waiting is dropped), or by one started for it, named
    `name`."""
    parent = check_key(dst)
    with _lock:
        waiting = _waiting.get(parent)
        if waiting is not None:  # its thread runs (a dead drive: stuck): the ask waits for it
            waiting[relay] = (number, check)
            return
        _waiting[parent] = {relay: (number, check)}
    threading.Thread(target=_check_parent, args=(parent,), name=name, daemon=True).start()


def _check_parent(parent: Path) -> None:
    """On the check's thread: answers the asks waiting for `parent`, and those that came meanwhile, until none
    waits; then the thread ends."""
    while True:
        with _lock:
            asks = _waiting[parent]
            if not asks:
                del _waiting[parent]
                return
            _waiting[parent] = {}
        for relay, (number, check) in asks.items():
            try:
                answer = check()
            except Exception:  # noqa: BLE001 - an answer must come (OK waits for it), and this parent's asks after it
                answer = None
            relay.done.emit((number, answer))  # on the relay, never on the dialog
