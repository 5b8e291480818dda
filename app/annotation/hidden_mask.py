"""Show Mask (M) off: the mask overlay hidden, and said so.

Strokes and commands still edit a hidden mask, and nothing on screen said it was hidden, nor that an edit was made
unseen (s36 review: M is beside N, Next Unreviewed; a mask gone read as an image with none). napari shows a hidden
layer's closed eye in its layer list and CVAT its "hide all" eye button, both always in view; here:

- M hiding it says so in the status bar (`HIDDEN_WORDS`, `HIDDEN_MS`), and the Annotate dock's status line says
  "mask hidden (M shows it)" while it is (`dock_words`);
- the first edit while hidden (a stroke, a command, Undo or Redo) says it was made with the mask hidden
  (`BLIND_WORDS`), before the edit's own words ("Edited with the mask hidden (M shows it) · dilate: done"): they are
  said after the commit, so the note waits for them (a turn of the event loop). Once per hiding: the next edits
  say their own words only, the dock's line stays.

The key named is the one Show Mask has now (Annotation Shortcuts… may change or clear it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from app.annotation.mask_layer import MaskLayer

__all__ = ["BLIND_WORDS", "HIDDEN_MS", "HIDDEN_WORDS", "HiddenMask"]

#: the menu's path to Show Mask, named when it has no key
MENU = "Annotate ▸ Show Mask"
#: what hiding the mask says ({keys}: Show Mask's key, or MENU)
HIDDEN_WORDS = "Mask hidden: strokes and commands still edit it ({keys} shows it)"
HIDDEN_MS = 4000
#: what the first edit made while the mask is hidden says, before its own words
BLIND_WORDS = "Edited with the mask hidden ({keys} shows it)"
_SEPARATOR = " · "
_COMMITS = ("edit", "undo", "redo")  # what changes the mask (a review status does not)


class HiddenMask(QObject):
    """Whether the mask overlay is shown, and what is said of it (see module doc).

    say(text, ms): a status-bar message (the controller's ``message.emit``); `heard` is connected to the same
    signal, to put the note before an edit's own words. `keys()`: Show Mask's key as shown in menus, "" for none.
    """

    def __init__(self, layer: MaskLayer, say: Callable[[str, int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.say = say
        self.keys: Callable[[], str] = lambda: "M"  # the actions give the key in force
        self.hidden = False
        self._told = False  # the first edit while hidden said it
        self._waiting = False  # that edit's own words are waited for
        self._heard: tuple[str, int] | None = None

    def _keys(self) -> str:
        return self.keys() or MENU

    def set_visible(self, visible: bool) -> None:
        """Show Mask toggled: the overlay shown or hidden; hiding it says so."""
        self.layer.set_visible(visible)
        if self.hidden == (not visible):
            return
        self.hidden, self._told = not visible, False
        if self.hidden:
            self.say(HIDDEN_WORDS.format(keys=self._keys()), HIDDEN_MS)

    def dock_words(self) -> str:
        """The Annotate dock's line while hidden ("" while shown)."""
        return f"mask hidden ({self._keys()} shows it)" if self.hidden else ""

    def committed(self, kind: str) -> None:
        """A commit of the edited document (`Commit.kind`): the first that changed the mask while hidden is said."""
        if not self.hidden or self._told or kind not in _COMMITS:
            return
        self._told = self._waiting = True
        self._heard = None
        QTimer.singleShot(0, self._tell)

    def heard(self, text: str, ms: int) -> None:
        """A status-bar message said (the edit's own words, while the note waits for them)."""
        if self._waiting:
            self._heard = (text, ms)

    def _tell(self) -> None:
        self._waiting = False
        note = BLIND_WORDS.format(keys=self._keys())
        heard, self._heard = self._heard, None
        if heard is None:
            self.say(note, HIDDEN_MS)
            return
        text, ms = heard
        self.say(f"{note}{_SEPARATOR}{_lower_first(text)}", 0 if ms == 0 else max(ms, HIDDEN_MS))


def _lower_first(text: str) -> str:
    """`text` with its first word in lower case when it is a plain capitalised word ("Dilate: done"), never a
    name ("IMG_0042.jpg: edited, …", "A12.png has no mask yet")."""
    word = text.split(" ", 1)[0].rstrip(":")
    if word.isalpha() and word[1:].islower():
        return text[:1].lower() + text[1:]
    return text
