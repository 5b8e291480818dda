"""The annotation's status-bar messages about the image shown, taken away when another image is shown.

An action's message ("Dilate: done", "Copy the mask of IMG_1.jpg: done", the prediction tools' "No prediction for
this image yet …", 3-6 s) stayed in the status bar after a move to the next image, where it read as said of the new
one (s36 review). `ImageMessages` hears the controller's messages and remembers the last one with the image shown as
it was said; when the session's current image changes (``current_changed``: at once, before the new image is read)
it hands back that message's text, for the window to take away while its status bar still shows it
(`AnnotationController.withdrawn`). Left alone:

- a message that names the image it was said of ("IMG_1.jpg: reviewed", R then N; "…; IMG_1.jpg: edited, no longer
  reviewed"): it cannot be read as the next image's;
- what is not about an image, said through `general` (a project's notes: "2 new images added", "Read-only project");
- what a move says of itself ("Next Unreviewed: back at the start of the worklist", a polygon it dropped): said
  after the move, with the new image current; the next move takes it away as any other;
- a lent document's (a video frame's): frames come and go in the video view, not in the session.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import SignalInstance

__all__ = ["ImageMessages", "names_image"]


def names_image(text: str, image_id: str) -> bool:
    """Whether `text` names `image_id` as a whole name ("a.jpg" is not named by "Copy the mask of ba.jpg")."""
    return re.search(rf"(?<![\w.\-/\\]){re.escape(image_id)}(?![\w.\-])", text) is not None


class ImageMessages:
    """The last message said about the image shown (see module doc).

    current(): (the session's current path, the id of the image the tools edit, None for either when none), or
    None while a lent document is edited (nothing is remembered then).
    """

    def __init__(self, message: SignalInstance,
                 current: Callable[[], tuple[Path | None, str | None] | None]) -> None:
        self._current = current
        self._general = False
        self._said: tuple[str, Path | None] | None = None  # (text, the current path as it was said)
        message.connect(self._heard)

    @contextmanager
    def general(self) -> Iterator[None]:
        """Messages said inside are not about the image shown: a move leaves them."""
        self._general = True
        try:
            yield
        finally:
            self._general = False

    def _heard(self, text: str, _ms: int) -> None:
        shown = None if self._general else self._current()
        if shown is None or (shown[1] is not None and names_image(text, shown[1])):
            self._said = None  # the message in the bar now is not one to take away
        else:
            self._said = (text, shown[0])

    def moved(self, path: Path | None) -> str | None:
        """The text to take away now that `path` is the session's current image: the last message, said about
        another image, when it was one to take away (else None)."""
        said = self._said
        if said is None or said[1] == path:
            return None
        self._said = None
        return said[0]
