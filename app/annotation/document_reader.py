"""Reading an image's saved files off the GUI thread: its saved mask (decoded, its palette and size
checked), reference label and stored probability map (`fosp_core.annotation.project_documents.
read_saved_files`), for the `AnnotationController`, which takes the document they make when they
arrive (`Project.open_document(saved=...)`).

Reading back a 12000x8000 photo's mask held the GUI thread 1.9 s. Images of at least
`READ_ON_WORKER_PIXELS` pixels have their files read here, their document coming when they are read
(`request`); a smaller image's (a few ms) are read here too, the GUI thread waiting for them
`SMALL_READ_WAIT_S` at most (`read_now`), so its document is there as its image is, unless the disk does
not answer: then it comes as a big image's does (it was read on the GUI thread, which a disk that stopped
answering held for ever).

Every request carries an id; only the newest is wanted (`wanted`), a result of another is dropped
when it arrives. Each request runs on a daemon thread of its own (nothing waits for it at exit; a
request superseded before its thread starts reads nothing). The threads only read the project.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from app.relay import ValueRelay
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_documents import SavedFiles, read_saved_files

__all__ = ["READ_ON_WORKER_PIXELS", "SMALL_READ_WAIT_S", "DocumentReader", "FilesRead"]

#: images of at least this many pixels have their saved files read on a worker (1 MP: ~20 ms of reading)
READ_ON_WORKER_PIXELS = 1 << 20
#: the longest the GUI thread waits for a smaller image's files (read in a few ms; ~75 ms with the thread's start
#: on a busy 2-core machine): past it the document comes when they are read, the window turning meanwhile
SMALL_READ_WAIT_S = 0.5


@dataclass(frozen=True)
class FilesRead:
    """What a request read: its `SavedFiles`, or the error that stopped the reading."""

    request_id: int
    project: Project
    image_id: str
    saved: SavedFiles | None = None
    error: Exception | None = None


@dataclass
class _Answer:
    """A request's result as its thread hands it to `DocumentReader.read_now` waiting for it."""

    done: threading.Event = field(default_factory=threading.Event)
    result: FilesRead | None = None


class DocumentReader(QObject):
    """See module doc. Signal read(FilesRead): the newest request's files (GUI thread)."""

    read = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = ValueRelay()
        self._relay.done.connect(self._deliver)
        self._ids = itertools.count(1)
        self.wanted: int | None = None  # the request whose result is waited for
        self._outstanding = 0  # requests whose result has not come back to this thread yet

    @property
    def busy(self) -> bool:
        """Whether a request's result (wanted or not) has not come back yet."""
        return self._outstanding > 0

    def request(self, project: Project, image_id: str, image_shape: tuple[int, ...],
                answered: _Answer | None = None) -> int:
        """Read `image_id`'s files (at `image_shape`, (H, W[, C]) of its decoded image) on a worker;
        returns the request's id. Supersedes the request before it."""
        request_id = next(self._ids)
        self.wanted = request_id
        self._outstanding += 1
        threading.Thread(target=self._work, args=(request_id, project, image_id, tuple(image_shape), answered),
                         name="fosp-document-read", daemon=True).start()
        return request_id

    def read_now(self, project: Project, image_id: str, image_shape: tuple[int, ...],
                 wait_s: float = SMALL_READ_WAIT_S) -> FilesRead | None:
        """`request`, its files waited for `wait_s` at most: returned when read by then (not emitted by `read`
        after), else None: they come by `read` when they are read. Supersedes the request before it."""
        answered = _Answer()
        request_id = self.request(project, image_id, image_shape, answered)
        if not answered.done.wait(wait_s) or self.wanted != request_id:
            return None
        self.wanted = None  # taken here: its delivery, still queued, is dropped
        return answered.result

    def cancel(self) -> None:
        """Want no result any more (the image was left; a result still coming is dropped)."""
        self.wanted = None

    def _work(self, request_id: int, project: Project, image_id: str, image_shape: tuple[int, ...],
              answered: _Answer | None) -> None:
        result = FilesRead(request_id, project, image_id)
        if self.wanted == request_id:  # superseded before it started: nothing to read
            try:
                result = FilesRead(request_id, project, image_id,
                                   saved=read_saved_files(project, image_id, image_shape=image_shape))
            except Exception as exc:  # told by the controller (never let a worker die silently)
                result = FilesRead(request_id, project, image_id, error=exc)
        if answered is not None:
            answered.result = result
            answered.done.set()
        try:
            self._relay.done.emit(result)
        except RuntimeError:  # the window went meanwhile: nobody waits for it
            pass

    def _deliver(self, result: FilesRead) -> None:
        self._outstanding -= 1
        if result.request_id != self.wanted:
            return  # superseded, or the image was left
        self.wanted = None
        self.read.emit(result)
