"""Save Now (Ctrl+S): what an annotator's Ctrl+S does in a program that saves every edit as it is made.

labelme, CVAT and napari save on Ctrl+S; here each edit is saved as it is made (a recovery-log line at
once, the mask's PNG by a save thread), and Ctrl+S did nothing, not even say so. Now it waits for the
saves under way (as closing the window does: a few milliseconds, each save started at its edit), tries
again those that failed, and says in the status bar what is on disk (:func:`save_now`): "Saved: ..." or
the failure's words, the status bar's indicator telling the rest as after any failed save.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from app.annotation.import_view import HELD_KEYS

if TYPE_CHECKING:
    from app.annotation.controller import AnnotationController

__all__ = ["SAVE_NOW_WAIT_S", "save_now"]

#: the longest Save Now waits on the GUI thread for the saves under way (a disk that does not answer, a network
#: drive gone, holds a save for good: the window froze on one Ctrl+S); it then says they are still under way
SAVE_NOW_WAIT_S = 10.0


def save_now(controller: AnnotationController) -> str:
    """Wait for the mask saves of every writable project, save again the documents whose save failed,
    and return what to tell the user."""
    if controller.attached_key in HELD_KEYS:  # an import or Pre-label All holds the project: not a video frame
        return (f"Nothing to save: the edits were saved as the tools stood aside; no mask can be edited for "
                f"{controller.attached_key}")
    if controller.attached:
        return ("Each frame's edit is saved as it is made; a save that fails is told in the status bar "
                "(Save Now is for images)")
    documents = controller.open_documents
    if controller.document is None and not documents.documents():
        return "Nothing to save: no image is open"
    if controller.document is not None and controller.project is not None and controller.project.read_only:
        return "Nothing to save: this image cannot be edited (read-only)"
    deadline = time.monotonic() + SAVE_NOW_WAIT_S  # the saves under way, waited for; their outcome taken
    for project in documents.registry.projects:  # (a failure told)
        if not project.read_only and not project.saves_settle(max(0.0, deadline - time.monotonic())):
            return (f"Still saving: the disk of {project.folder} has not answered for {SAVE_NOW_WAIT_S:g} s; "
                    "each edit is in its recovery log and its mask is written when the disk answers "
                    "(Save Now again says when all is on disk)")
    if documents.unsaved():
        documents.save_unsaved()  # those that failed, tried again now
    problem = controller.save_status.problem
    if problem is not None and problem.unsaved:
        return f"Not saved: {problem.summary()} ({problem.headline()})"
    count = len(documents.documents())
    return (f"Saved: every edit is on disk ({count} open image{'' if count == 1 else 's'}; "
            "each edit is saved as it is made)")
