"""The documents of the last few images (or video frames) left, kept open so that going back to one
finds its undo history: a small least-recently-used map from a key to an `AnnotationDocument`."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from fosp_core.annotation.document import AnnotationDocument

__all__ = ["RECENT_DOCUMENTS", "RecentDocuments"]

#: how many documents left are kept open (the image tools' and the video frames' default)
RECENT_DOCUMENTS = 8

K = TypeVar("K", bound=Hashable)


class RecentDocuments(Generic[K]):
    """At most `limit` documents by key, the least recently kept dropped first.

    on_drop(key, doc): called for a document let go when the map is full or on `drop_all` (e.g. to
    save an edit whose autosave failed); `clear` forgets without calling it.
    """

    def __init__(self, limit: int = RECENT_DOCUMENTS,
                 on_drop: Callable[[K, AnnotationDocument], None] | None = None) -> None:
        self.limit = limit
        self._on_drop = on_drop
        self._docs: OrderedDict[K, AnnotationDocument] = OrderedDict()

    def __len__(self) -> int:
        return len(self._docs)

    def items(self) -> list[tuple[K, AnnotationDocument]]:
        """(key, document) of every kept document, the least recently kept first (a copy)."""
        return list(self._docs.items())

    def take(self, key: K) -> AnnotationDocument | None:
        """The document kept under `key`, removed from the map; None when there is none."""
        return self._docs.pop(key, None)

    def keep(self, key: K, doc: AnnotationDocument) -> None:
        """Keep `doc` as the most recent; the oldest beyond the limit are dropped."""
        self._docs.pop(key, None)
        self._docs[key] = doc
        while len(self._docs) > self.limit:
            self._drop(*self._docs.popitem(last=False))

    def drop_all(self) -> None:
        """Let every document go (on_drop for each), oldest first."""
        while self._docs:
            self._drop(*self._docs.popitem(last=False))

    def clear(self) -> None:
        """Forget every document without on_drop: only for documents whose edits are all on disk
        (or kept elsewhere); edits not saved would be lost, let them go with `drop_all`."""
        self._docs.clear()

    def _drop(self, key: K, doc: AnnotationDocument) -> None:
        if self._on_drop is not None:
            self._on_drop(key, doc)
