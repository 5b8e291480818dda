"""Which annotation document the session's current image gets (`AnnotationController` shows it).

The image's open document when it has one (kept from a recent visit, or held with edits not saved:
its undo history comes back with it), else a new one from its project's files. A kept document that
no longer fits the image (the file changed size on disk) is set aside (`OpenDocuments.set_aside`):
saved and dropped, or, when its edits cannot be saved, held and the image shown without a mask.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.annotation.open_documents import OpenDocuments
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.io.images import LoadedImage
from fosp_core.session import OpenError

__all__ = ["open_image_document"]


def open_image_document(open_documents: OpenDocuments, project: Project, image_id: str, image: LoadedImage,
                        probability: np.ndarray | None) -> AnnotationDocument | OpenError:
    """The document of `image_id` of `project` for the decoded `image`, with the model's
    `probability` (float (H, W), dropped when it does not fit the image) attached; or the problem
    that leaves the image without a mask (its mask cannot be opened, its edits are held)."""
    shape = image.rgb.shape[:2]
    if probability is not None and probability.shape != shape:
        probability = None
    doc = open_documents.take(project, image_id)  # kept, or held unsaved: edits and all
    if doc is not None and doc.shape != shape:  # the image changed on disk
        kept = open_documents.set_aside(project, doc, shape)
        if kept is not None:  # edits not saved, held: not shown on an image they do not fit
            return kept
        doc = None
    if doc is not None:  # visited lately: its undo history comes back with it
        if probability is not None:
            doc.set_probability(probability)
        return doc
    try:
        return project.open_document(image_id, image_shape=image.rgb.shape, probability=probability)
    except (ProjectError, ValueError) as exc:
        return OpenError(Path(image.path).resolve(), f"cannot open its mask: {exc}")
