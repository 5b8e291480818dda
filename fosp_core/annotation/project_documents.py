"""Reading one image's `AnnotationDocument` from an annotation project's files (`Project.open_document`
calls `read_document` with itself, a `fosp_core.annotation.project_images.ProjectImages`; see
`fosp_core.annotation.project`).

The document gets the saved mask (or none: all background), the image's status, the stored
probability map and the dataset's reference label, each dropped when its size is not the image's.
`read_document` also says whether the mask file may be taken as holding the document's mask from
now on (`fosp_core.annotation.project_files.SavedMasks`): only when the project's state agrees with
it (its smoke ratio), so that a status-only save never leaves a stale ratio beside it, and when no
recovery log was applied over the file to make the document's mask (`LoggedMasks.log_applies`): the
file then holds the mask before the log's commits, whatever its smoke ratio says (an ignore stroke
leaves it as it was), and a status-only save over it would let the log, their one copy, go. Such a
document's first save writes its mask.

The reading itself is `read_saved_files`: it only reads the project (files, entries), so the app
runs it on a worker thread (a 12000x8000 mask took 1.9 s to read back on the GUI thread) and hands
its `SavedFiles` to `Project.open_document`, which then only checks that the mask file did not
change since (`SavedFiles.current`) and takes the document. A read-only project's (another process holds it:
a team's project on a share) are taken without that look, nor the one for a recovery log applying since: both
only decide whether the file may be taken as the document's for a status-only save, or the files read again,
and such a project never saves; a file its holder writes a moment after the worker's read is one written a
moment after the document is taken (`tests/unit/test_stall_s36c_read_only_document.py`). A writable project's
check stays, without a look at the disk either: a save of this process (its save thread, an Import Labels) may
have replaced the file since, and this process's mask writes are counted in memory
(`fosp_core.annotation.saved_files_writes`; no other process writes a project held writable).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.labels import image_size
from fosp_core.annotation.logged_masks import LoggedMasks
from fosp_core.annotation.mask_size import MaskSizeError
from fosp_core.annotation.project_files import file_signature
from fosp_core.annotation.project_images import ProjectImages
from fosp_core.annotation.saved_files_writes import mask_writes_of
from fosp_core.data.types import SMOKE
from fosp_core.io.images import read_image
from fosp_core.io.masks import MaskReadError

__all__ = ["SavedFiles", "read_document", "read_saved_files", "smoke_ratio_of"]


def smoke_ratio_of(mask: np.ndarray) -> float:
    """The share of smoke pixels of a uint8 (H, W) 0/1/255 mask, as the project stores it."""
    return float(np.count_nonzero(mask == SMOKE)) / float(mask.size)


@dataclass(frozen=True)
class SavedFiles:
    """What `read_saved_files` read of one image: its document as the files hold it (saved mask,
    stored probability, reference label, the status of the time), the mask file's `file_signature`
    taken before reading it and the saved mask's smoke ratio (None without a mask file)."""

    image_id: str
    document: AnnotationDocument
    signature: tuple[int, int, int] | None
    smoke_ratio: float | None
    had_mask: bool
    logged: bool = False  # a recovery log was applied over the mask file (the mask is not the file's)
    writes: int | None = None  # this process's writes of the mask file before it was read (`saved_files_writes`)

    @property
    def shape(self) -> tuple[int, int]:
        return self.document.shape

    def current(self, project: ProjectImages) -> bool:
        """Whether the mask file is still the one read (not written, replaced or removed since): by this process,
        counted in memory (`fosp_core.annotation.saved_files_writes`: no look at the disk, which a share that
        stopped answering holds; another process does not write a project held writable); files read without
        the count, by their `file_signature`."""
        path = project.mask_path(self.image_id)
        if self.writes is not None:
            return mask_writes_of(path) == self.writes
        return file_signature(path) == self.signature


def read_saved_files(project: ProjectImages, image_id: str, *, image_shape: tuple[int, ...] | None = None,
                     probability: np.ndarray | None = None) -> SavedFiles:
    """Read `image_id`'s files into a document (arguments as `Project.open_document`). Reads only:
    safe on a worker thread while the project saves other images. Raises MaskSizeError (a
    ProjectError) when the saved mask is not the image's size, MaskReadError when it cannot be decoded."""
    entry = project.entry(image_id)
    path = project.mask_path(image_id)
    writes = mask_writes_of(path)  # before the signature: a write of this process under way, or after it, counts
    signature = file_signature(path)  # before reading: a write after it changes it
    logged = _log_applies(project, image_id)
    mask = project.load_mask(image_id)
    logged = logged or _log_applies(project, image_id)  # either side of the read: not the file's mask
    shape = image_shape or (mask.shape if mask is not None else entry.size) \
        or image_size(project.image_path(image_id)) or read_image(project.image_path(image_id)).rgb.shape
    shape = (int(shape[0]), int(shape[1]))
    if mask is not None and mask.shape != shape:
        raise MaskSizeError(path, mask.shape, shape)
    if probability is None:
        probability = project.load_probability(image_id)
        if probability is not None and probability.shape != shape:
            probability = None
    label = None
    try:
        label = project.load_label(image_id)
    except MaskReadError:
        pass
    if label is not None and label.shape != shape:
        label = None
    doc = AnnotationDocument(shape, mask, probability, label, entry.status, image_id=image_id)
    ratio = None if mask is None else smoke_ratio_of(mask)
    return SavedFiles(image_id, doc, signature, ratio, mask is not None, logged, writes)


def _log_applies(project: ProjectImages, image_id: str) -> bool:
    """Whether the project's `load_mask` applies a recovery log over `image_id`'s mask file now."""
    return isinstance(project, LoggedMasks) and project.log_applies(image_id)


def read_document(project: ProjectImages, image_id: str, *, image_shape: tuple[int, ...] | None = None,
                  probability: np.ndarray | None = None, writable: bool = False,
                  saved: SavedFiles | None = None) -> tuple[AnnotationDocument, tuple[int, int, int] | None]:
    """The document of `image_id` (arguments as `Project.open_document`) and the mask file's
    `file_signature` taken before reading it, None when the file is not known to hold the
    document's mask as the project's state describes it (no file, no or another smoke ratio).
    Records the image's size in its entry when it was unknown (`writable`: the project saves it).

    saved: the files as `read_saved_files` read them (on a worker); read again here when they are
    another image's or, in a project that saves (`writable`), the mask file changed since. A read-only
    project's are taken as read, without a look at the disk (see module doc). `probability`, when given,
    replaces theirs."""
    if saved is None or saved.image_id != image_id or (writable and not saved.current(project)):
        saved = read_saved_files(project, image_id, image_shape=image_shape, probability=probability)
    elif probability is not None and probability.shape == saved.shape:
        saved.document.set_probability(probability)
    entry = project.entry(image_id)
    doc, shape = saved.document, saved.shape
    if doc.status != entry.status:  # changed while the files were read (a list's Mark Reviewed)
        doc = AnnotationDocument(shape, doc.mask, doc.probability, doc.label, entry.status, image_id=image_id)
    if entry.size != shape and writable:
        entry.size = shape
    signature = saved.signature
    if not saved.had_mask or entry.smoke_ratio is None or entry.smoke_ratio != saved.smoke_ratio:
        signature = None  # a crash between a mask and its state, or a project.json of an older version
    if saved.logged or (writable and _log_applies(project, image_id)):
        signature = None  # the document's mask is the file's with a log's commits over it
    return doc, signature
