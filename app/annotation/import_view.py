"""The mask shown, read-only, while labels are imported.

While an import writes its project on a worker (`app.annotation.label_import`), the tools stand
aside: the controller lends them no document (`attach_document(None, HELD_KEY)`), which also cleared
the mask layer, and browsing to another image showed no mask either until the import ended. A CVAT
or labelme user expects to keep looking at the annotations while a job imports: `HeldMaskView` shows
each current image's saved mask on the mask layer as it is on disk (read on a worker by a
`DocumentReader`: a huge photo's mask takes seconds to decode; the reader only reads, which is safe
while the import writes: masks are replaced atomically), not editable (the tools have no document:
a stroke says why, see `HELD_KEY`, or `PRELABEL_HELD_KEY` while Pre-label All holds them). When the import writes the image shown, its mask is read again
and shown as imported (`refresh`, told after each mask the import writes: the mask file written
since it was read); before, the mask it had when browsed to stayed until the import ended. The
import ends, the documents are reloaded and the image's mask, imported or not, is editable again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject

from app.annotation.document_reader import DocumentReader, FilesRead
from fosp_core.annotation.saved_files_writes import mask_writes_of
from fosp_core.io.images import LoadedImage

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.annotation.mask_layer import MaskLayer
    from app.annotation.projects import ProjectRegistry
    from fosp_core.annotation.document import AnnotationDocument
    from fosp_core.annotation.project import Project
    from fosp_core.session import ImageSession

__all__ = ["HELD_KEYS", "HELD_KEY", "PRELABEL_HELD_KEY", "HeldMaskView", "HeldViewHost"]

#: what the tools say while an import runs ("No mask to edit for ..." in the status bar and the dock)
HELD_KEY = "this image while labels are imported: its saved mask is shown read-only until the import ends"
#: what they say while Pre-label All writes its masks (its own words: it reuses the import's hold, not its name)
PRELABEL_HELD_KEY = ("this image while Pre-label All writes masks: its saved mask is shown read-only until "
                     "Pre-label All ends")
#: the controller's `attached_key` while a job holds the tools (`LabelImports.held_key`): an import's or Pre-label All's
HELD_KEYS = frozenset({HELD_KEY, PRELABEL_HELD_KEY})


class HeldViewHost(Protocol):
    """What the held mask view uses of the annotation controller (:class:`app.annotation.controller.
    AnnotationController`, a QObject underneath: the view's Qt parent; not imported: it imports, through Save
    Now, this module): the image shown (`session`), its projects (`registry`), the mask layer, the document lent
    to the tools (`document`, `attached_key`) and the status bar (``message.emit(text, ms)``)."""

    session: ImageSession
    registry: ProjectRegistry
    layer: MaskLayer
    document: AnnotationDocument | None
    attached_key: str | None

    @property
    def message(self) -> SignalInstance: ...


class HeldMaskView(QObject):
    """Shows the current image's saved mask read-only while the tools are held by an import
    (`start` .. `stop`; module doc). `shown`: the image id whose mask is on the layer, None when none."""

    def __init__(self, controller: HeldViewHost) -> None:
        super().__init__(controller)
        self.controller = controller
        self.reader = DocumentReader(self)
        self.reader.read.connect(self._on_read)
        self.active = False
        self.shown: str | None = None
        # (project, image id, image shape, its mask file's writes when read): what `refresh` checks
        self._read: tuple[Project, str, tuple[int, ...], int] | None = None

    def start(self) -> None:
        """The tools were set aside for an import: show the current image's mask, and each next one's."""
        if not self.active:
            self.active = True
            self.controller.session.events.image_changed.connect(self.show)
        self.show(self.controller.session.current_image)

    def stop(self) -> None:
        """The import ended (the documents are reloaded next): nothing more is read or shown here."""
        if self.active:
            self.active = False
            self.controller.session.events.image_changed.disconnect(self.show)
        self.reader.cancel()
        self.shown = None
        self._read = None

    def show(self, image: LoadedImage | None) -> None:
        """Read `image`'s saved mask to show it (the layer is cleared meanwhile: another image's
        mask is never shown over it)."""
        controller = self.controller
        if not self.active or controller.attached_key not in HELD_KEYS:
            return  # a video frame lent to the tools is shown by its view
        self.reader.cancel()
        self.shown = None
        self._read = None
        controller.layer.set_mask(None)
        found = None if image is None else controller.registry.lookup(image.path)
        if found is not None and image is not None:
            self._request(found[0], found[1], tuple(image.rgb.shape))

    def refresh(self) -> None:
        """The import wrote a mask: when it is the shown image's (its file written since it was
        read), read it again; the mask shown stays until the new one arrives."""
        read = self._read
        if self.active and read is not None and _file_state(read[0], read[1]) != read[3]:
            self._request(read[0], read[1], read[2])

    def _request(self, project: Project, image_id: str, shape: tuple[int, ...]) -> None:
        self._read = (project, image_id, shape, _file_state(project, image_id))  # before the read: never newer
        self.reader.request(project, image_id, shape)

    def _on_read(self, result: FilesRead) -> None:
        controller = self.controller
        if not self.active or controller.attached_key not in HELD_KEYS or controller.document is not None:
            return
        if result.saved is None:
            controller.message.emit(f"The saved mask of {result.image_id} cannot be shown: {result.error}", 6000)
            return
        controller.layer.set_mask(result.saved.document.mask)  # a mask no document edits: read-only
        self.shown = result.image_id


def _file_state(project: Project, image_id: str) -> int:
    """How many times a write of this process started or ended at the image's mask file (the import's `save_mask`
    among them: `fosp_core.annotation.saved_files_writes`): counted in memory, no look at the disk (a ``stat`` here
    was the GUI thread's at each image browsed to and each mask imported: a share that stopped answering held the
    window). Another process does not write a project an import holds."""
    return mask_writes_of(project.mask_path(image_id))
