"""The documents of the last few images (or video frames) left, kept open so that going back to one
finds its undo history: a small least-recently-used map from a key to an `AnnotationDocument`,
bounded by count and by the bytes of the documents' arrays (a huge photo's document holds hundreds
of megabytes: an 8000x6000 one its 48 MB mask, the model's 192 MB probability and its history)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from fosp_core.annotation.document import AnnotationDocument

__all__ = ["RECENT_BYTES", "RECENT_DOCUMENTS", "RecentDocuments", "document_nbytes"]

#: how many documents left are kept open (the image tools' and the video frames' default)
RECENT_DOCUMENTS = 8
#: and at most this many bytes of their arrays (:func:`document_nbytes`); the newest stays whatever its
#: size. 8 documents of 4000x3000 with a probability (60 MB each) and some history fit.
RECENT_BYTES = 1024 * 1024 * 1024


def document_nbytes(doc: AnnotationDocument) -> int:
    """Bytes of `doc`'s arrays: its mask, probability and label (as held) and its undo history."""
    arrays = (doc.mask, doc.probability, doc.label)
    return sum(int(a.nbytes) for a in arrays if a is not None) + int(doc.history.nbytes)


K = TypeVar("K", bound=Hashable)


class RecentDocuments(Generic[K]):
    """At most `limit` documents by key holding at most `max_bytes` (:func:`document_nbytes`, counted
    when kept; the newest stays whatever its size), the least recently kept dropped first.

    on_drop(key, doc): called for a document let go when the map is full or on `drop_all` (e.g. to
    save an edit whose autosave failed); `clear` forgets without calling it.
    """

    def __init__(self, limit: int = RECENT_DOCUMENTS,
                 on_drop: Callable[[K, AnnotationDocument], None] | None = None,
                 max_bytes: int = RECENT_BYTES) -> None:
        self.limit = limit
        self.max_bytes = max_bytes
        self._on_drop = on_drop
        self._docs: OrderedDict[K, AnnotationDocument] = OrderedDict()
        self._sizes: dict[K, int] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def items(self) -> list[tuple[K, AnnotationDocument]]:
        """(key, document) of every kept document, the least recently kept first (a copy)."""
        return list(self._docs.items())

    def take(self, key: K) -> AnnotationDocument | None:
        """The document kept under `key`, removed from the map; None when there is none."""
        self._sizes.pop(key, None)
        return self._docs.pop(key, None)

    def keep(self, key: K, doc: AnnotationDocument) -> None:
        """Keep `doc` as the most recent; the oldest beyond the limit or the byte budget are dropped."""
        self._docs.pop(key, None)
        self._docs[key] = doc
        self._sizes[key] = document_nbytes(doc)
        while len(self._docs) > self.limit or (len(self._docs) > 1 and sum(self._sizes.values()) > self.max_bytes):
            self._drop(*self._docs.popitem(last=False))

    def drop_all(self) -> None:
        """Let every document go (on_drop for each), oldest first."""
        while self._docs:
            self._drop(*self._docs.popitem(last=False))

    def clear(self) -> None:
        """Forget every document without on_drop: only for documents whose edits are all on disk
        (or kept elsewhere); edits not saved would be lost, let them go with `drop_all`."""
        self._docs.clear()
        self._sizes.clear()

    def _drop(self, key: K, doc: AnnotationDocument) -> None:
        self._sizes.pop(key, None)
        if self._on_drop is not None:
            self._on_drop(key, doc)
