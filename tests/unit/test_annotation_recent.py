"""RecentDocuments: the documents of images (or frames) left, kept with their undo history."""

from __future__ import annotations

import numpy as np

from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.recent import RecentDocuments


def _doc(name: str) -> AnnotationDocument:
    return AnnotationDocument((4, 4), np.zeros((4, 4), np.uint8), image_id=name)


def test_the_least_recently_kept_is_dropped_first_and_taken_ones_leave() -> None:
    dropped: list[str] = []
    recent: RecentDocuments[str] = RecentDocuments(limit=2, on_drop=lambda key, doc: dropped.append(key))
    a, b, c = _doc("a"), _doc("b"), _doc("c")
    recent.keep("a", a)
    recent.keep("b", b)
    recent.keep("a", a)  # kept again: now the most recent
    recent.keep("c", c)
    assert dropped == ["b"] and len(recent) == 2
    assert recent.take("a") is a and recent.take("a") is None and len(recent) == 1
    recent.keep("a", a)
    recent.drop_all()
    assert dropped == ["b", "c", "a"] and len(recent) == 0
    recent.keep("b", b)
    recent.clear()  # forgotten without on_drop
    assert dropped == ["b", "c", "a"] and recent.take("b") is None
