"""Opening the session's current image's annotation document for the `AnnotationController`,
its saved files read off the GUI thread.

`DocumentOpening.open(image)` finds the image's project and gives back what to show (`Opened`): its
open document (kept from a recent visit or held unsaved: `app.annotation.image_document.
kept_document`), a new one from its project's files, or why there is none. A new document of an
image has its files read on a worker (`app.annotation.document_reader.DocumentReader`): one of at least
`document_reader.READ_ON_WORKER_PIXELS` pixels, or a smaller one whose files are not read within
`document_reader.SMALL_READ_WAIT_S` (a disk that does not answer), `open` then says it is `reading`, and
`arrived` brings the document when they are there; a smaller one's read by then are opened at once. Leaving the image first (`cancel`, or `open` of another)
drops them when they come; files read for a project that was replaced meanwhile (Take Over) are
read again for the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.annotation import document_reader
from app.annotation.document_reader import DocumentReader, FilesRead
from app.annotation.image_document import kept_document, saved_document
from app.annotation.open_documents import OpenDocuments
from app.annotation.projects import ProjectRegistry
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.project import Project
from fosp_core.io.images import LoadedImage
from fosp_core.session import OpenError

__all__ = ["DocumentOpening", "Opened"]


@dataclass(frozen=True)
class Opened:
    """What the current image shows: its `document` of `project` (`path`: the image, resolved), or
    none, with the `problem` that says why when there is one (no image or no project: none), or
    none yet while its files are `reading`."""

    document: AnnotationDocument | None = None
    project: Project | None = None
    path: Path | None = None
    problem: OpenError | None = None
    reading: bool = False


class DocumentOpening(QObject):
    """See module doc. probability(path): the model's map for an image (resolved path), or None.
    Signal arrived(Opened): the document whose files were read on the worker (GUI thread)."""

    arrived = Signal(object)

    def __init__(self, registry: ProjectRegistry, open_documents: OpenDocuments,
                 probability: Callable[[Path], np.ndarray | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.open_documents = open_documents
        self._probability = probability
        self.reader = DocumentReader(self)
        self.reader.read.connect(self._on_read)
        self._image: LoadedImage | None = None  # the image whose files are read
        #: the image id whose files are being read (the tools wait for them), None when none are
        self.reading: str | None = None

    def open(self, image: LoadedImage | None) -> Opened:
        """What to show for the session's `image` now (see module doc); a read under way is dropped."""
        self.cancel()
        found = None if image is None else self.registry.lookup(image.path)
        if image is None or found is None:
            return Opened()
        project, image_id = found
        path = Path(self.registry.resolved(image.path))  # the session's path is resolved: not looked at again
        kept = kept_document(self.open_documents, project, image_id, image, self._probability(path))
        if kept is not None:
            return self._opened(kept, project, path)
        self._image, self.reading = image, image_id
        if image.rgb.shape[0] * image.rgb.shape[1] >= document_reader.READ_ON_WORKER_PIXELS:
            self.reader.request(project, image_id, image.rgb.shape)
            return Opened(project=project, path=path, reading=True)
        result = self.reader.read_now(project, image_id, image.rgb.shape)  # a small image's: waited for, briefly
        if result is None:  # the disk has not answered: the document comes when it does (`arrived`)
            return Opened(project=project, path=path, reading=True)
        self._image, self.reading = None, None
        saved = result.saved if result.error is None else result.error
        return self._opened(saved_document(project, image_id, image, self._probability(path), saved), project, path)

    def cancel(self) -> None:
        """The image was left: its files, when still being read, are dropped when they come."""
        self.reader.cancel()
        self._image, self.reading = None, None

    @staticmethod
    def _opened(opened: AnnotationDocument | OpenError, project: Project, path: Path) -> Opened:
        if isinstance(opened, OpenError):
            return Opened(project=project, path=path, problem=opened)
        return Opened(opened, project, path)

    def _on_read(self, result: FilesRead) -> None:
        image = self._image
        self._image, self.reading = None, None
        if image is None:
            return
        if self.registry.lookup(image.path) != (result.project, result.image_id):  # the project changed
            self.arrived.emit(self.open(image))
            return
        path = Path(self.registry.resolved(image.path))
        saved = result.saved if result.error is None else result.error
        self.arrived.emit(self._opened(saved_document(result.project, result.image_id, image,
                                                      self._probability(path), saved), result.project, path))
