"""What the status bar adds when a whole-image command took an image's review off.

Any edit of a reviewed image takes its review off: Fill Holes and the other clean-ups, Copy Previous,
Threshold to Mask and Clear Mask leave it *edited*, Accept Prediction *predicted*; it then leaves a
reviewed-only export until R marks it again. A stroke says so from the controller's commit
(`AnnotationController._on_commit`), but a command's own "Fill holes: done" came after those words and
replaced them at once, and Accept Prediction (no *edited* step) said nothing: the worklist counted one
reviewed less, unsaid. The commands' messages end with :func:`review_off_words` instead.
"""

from __future__ import annotations

from app.annotation.status_words import status_word
from fosp_core.annotation.document import AnnotationDocument, Status

__all__ = ["REVIEW_OFF", "review_off_words"]

#: What follows a command's message when it took `image`'s review off (`status`: what the image is now).
REVIEW_OFF = "{image}: {status}, no longer reviewed (R marks it reviewed again)"


def review_off_words(doc: AnnotationDocument | None, was: Status | None, attached: bool = False) -> str:
    """"; <image>: edited, no longer reviewed (R marks it reviewed again)" when `doc` was `was` REVIEWED
    before a command and is not any more, else "" (an `attached` video frame has no review)."""
    if doc is None or attached or was != Status.REVIEWED or doc.status == Status.REVIEWED:
        return ""
    return "; " + REVIEW_OFF.format(image=doc.image_id, status=status_word(doc.status))
