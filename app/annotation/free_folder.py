"""The destination the Export dialog suggests: `<name>-smokeseg` beside the project (in the home folder
when the project's folder may not be written: never into a shared read-only folder), or the first free
`<name>-smokeseg-2`, `-3`, … (:func:`free_destination`), probed on a thread of its own
(:class:`FreeFolderProbe`): the project may be on a network drive that answers slowly or not at all, and
the dialog opens at once all the same, with the plain name until the probe answers. One probe runs per
folder at a time (a dead drive holds one thread, however often the dialog is opened meanwhile): the
asks that come while it runs wait for it, each probe's newest, and are answered after it, one look at each
folder asked for. The folder is keyed as the export destination checks key theirs
(`app.destination_checks.check_key`): the parent of the folder asked about, or that folder itself where it is a
mount point (a drive of its own, ``/media/u/DEAD``), so that two drives side by side do not share the queue of
``/media/u`` (the dead one's probe stuck, the good one's waited for good).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.destination_checks import check_key
from app.relay import ValueRelay
from fosp_core.annotation.project import writable_folder
from fosp_core.io.long_names import fit_name

__all__ = ["FreeFolderProbe", "free_destination", "free_folder"]


def free_folder(folder: Path, tries: int = 1000) -> Path:
    """`folder` if it is free (missing, or an empty folder), else the first free `<name>-2`,
    `<name>-3`, … beside it: a second export suggests a new folder, not the first one's, now full
    (the export would refuse it unless told to replace it). After `tries` taken names, `folder`.
    Reads the disk: any thread (:class:`FreeFolderProbe` runs it off the GUI thread)."""
    for n in range(1, tries + 1):
        candidate = folder if n == 1 else folder.with_name(fit_name(folder.name, f"-{n}"))  # a long name: cut
        try:
            if not candidate.exists() or (candidate.is_dir() and not any(candidate.iterdir())):
                return candidate
        except OSError:  # unreadable: not free
            continue
    return folder


def free_destination(folder: Path) -> Path:
    """:func:`free_folder` of `folder`, or of its name in the home folder when `folder`'s parent may not
    be written (:func:`~fosp_core.annotation.project.writable_folder`). Reads the disk: any thread."""
    if not writable_folder(folder.parent):
        folder = Path.home() / folder.name
    return free_folder(folder)


class FreeFolderProbe(QObject):
    """Runs :func:`free_destination` on a daemon thread, one at a time per folder (`check_key`) for all probes (module
    doc); ``found(asked, free)`` comes on the GUI thread for the newest probe only, nothing once this object
    is deleted."""

    found = Signal(object, object)  # the folder asked about, the free one (Paths)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = ValueRelay()
        self._relay.done.connect(self._deliver)
        self._latest = 0

    def start(self, folder: Path) -> None:
        """Look for the free destination of `folder` (:func:`free_destination`) off the GUI thread; an
        answer to an earlier probe is dropped."""
        self._latest += 1
        _ask(self._relay, self._latest, Path(folder))

    def _deliver(self, answer: tuple[int, Path, Path]) -> None:
        probe, asked, free = answer
        if probe == self._latest:
            self.found.emit(asked, free)


#: folder (`check_key`) -> the asks waiting for its probe's thread (one a relay: its newest (probe, folder)); a
#: folder is here while its thread runs
_waiting: dict[Path, dict[ValueRelay, tuple[int, Path]]] = {}
_lock = threading.Lock()


def _ask(relay: ValueRelay, probe: int, folder: Path) -> None:
    """Have `folder`'s free destination emitted on `relay` as (probe, folder, free): by the thread that probes
    `folder`'s key (`check_key`: its parent, or itself where it is a mount point) now, once it is done with what
    it does, or by one started for it."""
    parent = check_key(folder)
    with _lock:
        waiting = _waiting.get(parent)
        if waiting is not None:  # its thread runs (a dead drive: stuck): the ask waits for it
            waiting[relay] = (probe, folder)
            return
        _waiting[parent] = {relay: (probe, folder)}
    threading.Thread(target=_probe_parent, args=(parent,), name="free-folder", daemon=True).start()


def _probe_parent(parent: Path) -> None:
    """On the probe's thread: answers the asks waiting for the key `parent` (each folder probed once), and those that
    came meanwhile, until none waits; then the thread ends."""
    while True:
        with _lock:
            asks = _waiting[parent]
            if not asks:
                del _waiting[parent]
                return
            _waiting[parent] = {}
        free: dict[Path, Path] = {}
        for relay, (probe, folder) in asks.items():
            if folder not in free:
                free[folder] = _free_or_itself(folder)
            relay.done.emit((probe, folder, free[folder]))  # on the relay, never on the probe object


def _free_or_itself(folder: Path) -> Path:
    """:func:`free_destination` of `folder`; `folder` itself when that fails (the home folder unknown: no HOME,
    no passwd entry): Export is offered all the same, its own checks to come."""
    try:
        return free_destination(folder)
    except Exception:  # noqa: BLE001 - an answer must come: the dialog waits for one
        return folder
