"""An annotation status in the words the window shows: the house spells "labelled" (British), while
the value stored in project files stays ``Status.UNLABELED.value`` ("unlabeled"), which older
projects and other tools read and write (:class:`fosp_core.annotation.document.Status`)."""

from __future__ import annotations

from fosp_core.annotation.document import Status

__all__ = ["OLD_WORDS", "status_word"]

_WORDS = {Status.UNLABELED: "unlabelled"}
#: the words an earlier version showed, where they differ (a worklist choice stored by its text)
OLD_WORDS = {Status.UNLABELED: "unlabeled"}


def status_word(status: Status) -> str:
    """What the window calls `status`: "unlabelled", "predicted", "edited", "reviewed"."""
    return _WORDS.get(status, status.value)
