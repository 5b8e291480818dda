"""Which annotation document the session's current image gets (`AnnotationController` shows it).

The image's open document when it has one (kept from a recent visit, or held with edits not saved:
its undo history comes back with it; `kept_document`), else a new one from its project's files
(`saved_document`, with those files as `app.annotation.document_reader` read them on a worker, or
read there). A kept document that no longer fits the image (the file changed size on disk) is set
aside (`OpenDocuments.set_aside`): saved and dropped, or, when its edits cannot be saved, held and
the image shown without a mask.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.annotation.open_documents import OpenDocuments
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.project_documents import SavedFiles
from fosp_core.io.images import LoadedImage
from fosp_core.io.masks import MaskReadError
from fosp_core.session import OpenError

__all__ = ["kept_document", "open_image_document", "saved_document"]


def _fitting(image: LoadedImage, probability: np.ndarray | None) -> np.ndarray | None:
    return probability if probability is not None and probability.shape == image.rgb.shape[:2] else None


def kept_document(open_documents: OpenDocuments, project: Project, image_id: str, image: LoadedImage,
                  probability: np.ndarray | None) -> AnnotationDocument | OpenError | None:
    """The open document of `image_id` (kept, or held unsaved) for the decoded `image`, with the
    model's `probability` (float (H, W), dropped when it does not fit) attached; the problem that
    leaves the image without a mask (its edits not saved are held); None when it has none open
    (`saved_document` then opens it from the files)."""
    shape = image.rgb.shape[:2]
    probability = _fitting(image, probability)
    doc = open_documents.take(project, image_id)  # kept, or held unsaved: edits and all
    if doc is not None and doc.shape != shape:  # the image changed on disk
        kept = open_documents.set_aside(project, doc, shape)
        if kept is not None:  # edits not saved, held: not shown on an image they do not fit
            return kept
        doc = None
    if doc is not None and probability is not None:  # visited lately: its undo history comes back with it
        doc.set_probability(probability)
    return doc


def saved_document(project: Project, image_id: str, image: LoadedImage, probability: np.ndarray | None,
                   saved: SavedFiles | Exception | None = None) -> AnnotationDocument | OpenError:
    """A new document of `image_id` from its project's files (`saved`: as read on a worker, or the
    error that stopped that reading; None: read here), or why its mask cannot be opened."""
    if isinstance(saved, Exception):  # the worker's: whatever it is, told (never raised on the GUI thread)
        known = isinstance(saved, (ProjectError, MaskReadError, ValueError))
        return OpenError(Path(image.path).resolve(),
                         f"cannot open its mask: {saved if known else f'{type(saved).__name__}: {saved}'}")
    try:
        return project.open_document(image_id, image_shape=image.rgb.shape,
                                     probability=_fitting(image, probability), saved=saved)
    except (ProjectError, MaskReadError, ValueError) as exc:
        return OpenError(Path(image.path).resolve(), f"cannot open its mask: {exc}")


def open_image_document(open_documents: OpenDocuments, project: Project, image_id: str, image: LoadedImage,
                        probability: np.ndarray | None) -> AnnotationDocument | OpenError:
    """The document of `image_id` of `project` for the decoded `image` (`kept_document`, else
    `saved_document` read here), or the problem that leaves the image without a mask."""
    kept = kept_document(open_documents, project, image_id, image, probability)
    return kept if kept is not None else saved_document(project, image_id, image, probability)
