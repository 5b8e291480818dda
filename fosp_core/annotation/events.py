"""Qt-free change notification for the annotation document: events and a tiny signal.

The canvas connects to `AnnotationDocument.events` (a `Signal` of `DocumentEvent`) and repaints the
rectangle each "mask" event carries; the project connects to `AnnotationDocument.committed` (a
`Signal` of `Commit`) and saves. Callbacks run synchronously on the emitting thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fosp_core.annotation.history import Rect

__all__ = ["Commit", "DocumentEvent", "Signal"]


@dataclass(frozen=True)
class DocumentEvent:
    """A change of the document.

    kind: "mask" (pixels in `rect` changed), "status", "probability", "history" (undo/redo
        availability changed; `rect` None) or "label".
    rect: (y0, y1, x0, x1) dirty rectangle for "mask" (whole image for "probability"/"label").
    """

    kind: str
    rect: Rect | None = None


@dataclass(frozen=True)
class Commit:
    """A finished change worth saving. kind: "edit", "undo", "redo" or "status"; label: the step's."""

    kind: str
    label: str
    revision: int


class Signal:
    """A minimal synchronous callback list: ``connect(cb)``, ``disconnect(cb)``, ``emit(value)``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[Any], Any]] = []
        self._blocked = 0

    def connect(self, callback: Callable[[Any], Any]) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[[Any], Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: Any) -> None:
        if self._blocked:
            return
        for callback in list(self._callbacks):
            callback(value)

    @contextmanager
    def blocked(self) -> Iterator[None]:
        """Suppress emits inside the block (for widgets updating the model they listen to)."""
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1
