"""An image file of several frames or pages (an animated GIF, a multi-page TIFF) is shown as its
first one: the status bar says so once per file ("plume.gif: animated GIF, 12 frames: the first is
used"), after what it already says (the "Opened 4 images" line stays, joined by " · ")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QStatusBar

from app.annotation.opening_notes import SEPARATOR
from fosp_core.io.images import LoadedImage

__all__ = ["NOTE_MS", "FrameNotes"]

#: how long the note stays up (ms)
NOTE_MS = 10_000


class FrameNotes:
    """Says a shown image's `LoadedImage.note` in `bar`, once per file."""

    def __init__(self, bar: QStatusBar) -> None:
        self._bar = bar
        self._said: set[Path] = set()
        self._last = ""  # the line this put up last: a later note replaces it, not adds to it

    def shown(self, image: LoadedImage) -> None:
        """`image` is now on the canvas: say its note the first time its file is shown."""
        note = image.note
        if note is None or image.path in self._said:
            return
        self._said.add(image.path)
        text = f"{image.path.name}: {note}"
        current = self._bar.currentMessage()
        if current and current != self._last:
            text = f"{current}{SEPARATOR}{text}"
        self._last = text
        self._bar.showMessage(text, NOTE_MS)
