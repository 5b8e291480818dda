"""A project found taken over while open, shown read-only at once (`show_taken_over`).

Another program may take a project's lock while this window has it open (Take Over… in another
window or on another computer, ``fosp project take-over``). The next save finds it out
(`fosp_core.annotation.taken_over`): nothing is written into the project, the committed mask is
rescued under ``rescued/``, the project turns read-only and says so with a ``taken_over`` event
after the failed save. The window then shows it as it shows a project opened locked: the status
bar's "Read-only project: <who>" (kept until replaced), the Annotate dock's read-only line with its
Take Over… link, the editing actions off (the controller's ``state_changed``), and the failed save
told with the file the mask was rescued to. The save is not counted among the edits not saved
(`app.annotation.save_status`): a read-only project's documents are not saved again; the rescued
file holds the edit. A save whose PNG was written just before the take-over had no mask at hand to
rescue ("kept in the open image only"): the window's open document of that image, not saved, is
rescued now instead, and the message names its file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from fosp_core.annotation.taken_over import TakenOverError
from fosp_core.annotation.taken_over import taken_over_error as fosp_taken_over_error
from fosp_core.session import OpenError

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.annotation.open_documents import OpenDocuments
    from fosp_core.annotation.document import AnnotationDocument
    from fosp_core.annotation.project import Project

__all__ = ["rescued_from_window", "show_taken_over", "taken_over_error"]


class AnnotationController(Protocol):
    """What the take-over view uses of the window's annotation controller
    (:class:`app.annotation.controller.AnnotationController`, not imported: it calls this module)."""

    document: AnnotationDocument | None
    project: Project | None
    open_documents: OpenDocuments
    message: SignalInstance
    problem: SignalInstance
    state_changed: SignalInstance


def taken_over_error(project: Project, error: Exception | None) -> OpenError:
    """What the error reporter is told: the failed save (its file, its reason: who holds the
    project now, where the mask was rescued), or the project read-only when no save failed."""
    if error is None:
        return OpenError(project.folder, f"annotation project read-only from now on ({project.read_only_reason})")
    reason = getattr(error, "reason", str(error))
    return OpenError(getattr(error, "path", project.folder), f"{reason}; the project is read-only from now on")


def _open_document(controller: AnnotationController, project: Project, image_id: str) -> AnnotationDocument | None:
    """The window's open document of `image_id` in `project` (current, kept or held), if any."""
    current = controller.document
    if controller.project is project and current is not None and current.image_id == image_id:
        return current
    key = (project.folder, image_id)
    documents = controller.open_documents
    return documents.held.get(key) or dict(documents.recent.items()).get(key)


def rescued_from_window(controller: AnnotationController, project: Project, error: Exception | None) -> Exception | None:
    """`error`, or when it is a take-over's failed save with no mask rescued, the same failure with the
    window's open document of its image rescued (`rescue_mask`: a new file under ``rescued/``)."""
    if not isinstance(error, TakenOverError) or error.rescued is not None or project.locked_by is None:
        return error
    doc = _open_document(controller, project, error.image_id)
    if doc is None or project.is_saved(doc):
        return error
    return fosp_taken_over_error(error.path, project.locked_by, project.folder, error.image_id, doc.mask)


def show_taken_over(controller: AnnotationController, project: Project, error: Exception | None) -> None:
    """`project` turned read-only: its lock was taken over (its ``taken_over`` event, `error` the
    save that found it out). Say so and show it read-only (see module doc)."""
    error = rescued_from_window(controller, project, error)
    controller.message.emit(f"Read-only project: {project.read_only_reason}", 0)
    controller.problem.emit([taken_over_error(project, error)])
    controller.state_changed.emit()  # the Annotate dock's read-only line, Take Over… on, the tools off
