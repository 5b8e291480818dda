"""The destination the Export dialog suggests: `<name>-smokeseg` beside the project (in the home folder
when the project's folder may not be written: never into a shared read-only folder), or the first free
`<name>-smokeseg-2`, `-3`, … (:func:`free_destination`), probed on a thread of its own
(:class:`FreeFolderProbe`): the project may be on a network drive that answers slowly or not at all, and
the dialog opens at once all the same, with the plain name until the probe answers.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.relay import ValueRelay
from fosp_core.annotation.project import writable_folder

__all__ = ["FreeFolderProbe", "free_destination", "free_folder"]


def free_folder(folder: Path, tries: int = 1000) -> Path:
    """`folder` if it is free (missing, or an empty folder), else the first free `<name>-2`,
    `<name>-3`, … beside it: a second export suggests a new folder, not the first one's, now full
    (the export would refuse it unless told to replace it). After `tries` taken names, `folder`.
    Reads the disk: any thread (:class:`FreeFolderProbe` runs it off the GUI thread)."""
    for n in range(1, tries + 1):
        candidate = folder if n == 1 else folder.with_name(f"{folder.name}-{n}")
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
    """Runs :func:`free_destination` on a daemon thread of its own (one a probe: a dead drive holds only that
    thread); ``found(asked, free)`` comes on the GUI thread for the newest probe only, nothing once this
    object is deleted."""

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
        threading.Thread(target=_probe, args=(self._relay, self._latest, Path(folder)),
                         name="free-folder", daemon=True).start()

    def _deliver(self, answer: tuple[int, Path, Path]) -> None:
        probe, asked, free = answer
        if probe == self._latest:
            self.found.emit(asked, free)


def _probe(relay: ValueRelay, probe: int, folder: Path) -> None:
    """On the probe's thread: emits (probe, folder, free folder) on `relay`, never on the probe object; a probe
    that fails (the home folder unknown: no HOME, no passwd entry) answers `folder` itself: Export is offered
    all the same, its own checks to come."""
    try:
        free = free_destination(folder)
    except Exception:  # noqa: BLE001 - an answer must come: the dialog waits for one
        free = folder
    relay.done.emit((probe, folder, free))
