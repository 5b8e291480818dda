"""Save Now (Ctrl+S): what an annotator's Ctrl+S does in a program that saves every edit as it is made.

labelme, CVAT and napari save on Ctrl+S; here each edit is saved as it is made (a recovery-log line at
once, the mask's PNG by a save thread), and Ctrl+S did nothing, not even say so. Now it waits for the
saves under way (as closing the window does: a few milliseconds, each save started at its edit), tries
again those that failed, and says in the status bar what is on disk (:func:`save_now`): "Saved: ..." or
the failure's words, the status bar's indicator telling the rest as after any failed save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.annotation.controller import AnnotationController

__all__ = ["save_now"]


def save_now(controller: AnnotationController) -> str:
    """Wait for the mask saves of every writable project, save again the documents whose save failed,
    and return what to tell the user."""
    if controller.attached:
        return ("Each frame's edit is saved as it is made; a save that fails is told in the status bar "
                "(Save Now is for images)")
    documents = controller.open_documents
    if controller.document is None and not documents.documents():
        return "Nothing to save: no image is open"
    if controller.document is not None and controller.project is not None and controller.project.read_only:
        return "Nothing to save: this image cannot be edited (read-only)"
    documents.flush()  # the saves under way, waited for; their outcome taken (a failure told)
    if documents.unsaved():
        documents.save_unsaved()  # those that failed, tried again now
    problem = controller.save_status.problem
    if problem is not None and problem.unsaved:
        return f"Not saved: {problem.summary()} ({problem.headline()})"
    count = len(documents.documents())
    return (f"Saved: every edit is on disk ({count} open image{'' if count == 1 else 's'}; "
            "each edit is saved as it is made)")
