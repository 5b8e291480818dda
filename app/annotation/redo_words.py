"""Why Redo has nothing to redo, in words that are true.

Redo's key with nothing to redo said "Nothing to redo: no step has been undone since the last edit", also after
every undone step had been redone (nothing left to redo, and no edit since). `step_back` notes each step a Redo
brought back (`redone`); :func:`nothing_to_redo` says "every step undone has been redone" while the newest step of
the document is one of those (an edit since pushes a step of its own, and an Undo leaves something to redo), and
"no edit of this image has been undone" of a history with no step (a fresh image: there was no "last edit").
The note holds no step: a weak reference each, gone with the step.
"""

from __future__ import annotations

import weakref

from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.history import Step

__all__ = ["ALL_REDONE", "NONE_UNDONE", "NOT_UNDONE", "nothing_to_redo", "redone"]

#: Redo after every undone step was redone
ALL_REDONE = "Nothing to redo: every step undone has been redone"
#: Redo with no step undone since the last edit
NOT_UNDONE = "Nothing to redo: no step has been undone since the last edit"
#: Redo with no step in the history at all (a fresh image, or one whose history went): no edit to speak of
NONE_UNDONE = "Nothing to redo: no edit of this image has been undone"

_REDONE: weakref.WeakValueDictionary[int, Step] = weakref.WeakValueDictionary()


def redone(step: Step | None) -> None:
    """Note that Redo has just brought `step` back (the newest of its document's history now)."""
    if step is not None:
        _REDONE[id(step)] = step


def nothing_to_redo(doc: AnnotationDocument) -> str:
    """Why `doc` (a writable document with nothing to redo) has nothing to redo: `ALL_REDONE` when its newest step
    was brought back by a Redo, `NONE_UNDONE` with no step at all, else `NOT_UNDONE`."""
    newest = doc.history.newest
    if newest is None:
        return NONE_UNDONE
    return ALL_REDONE if _REDONE.get(id(newest)) is newest else NOT_UNDONE
