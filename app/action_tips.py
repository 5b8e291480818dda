"""Keys in tooltips: every keyed action of a window says its keys in its tooltip (a toolbar or panel
button shows it, a screen reader reads it), whoever made the action.

The window's own actions (:func:`app.window_actions.window_action`) and the annotation ones
(:class:`app.annotation.shortcuts.ShortcutMap`) write their keys themselves; :func:`keys_in_tips` finds
those that do not (the video's frame actions, Compare (Fig. 7), Fine-tune on a Dataset…) and keeps their
tooltip as their own words plus their keys, "Play / Pause (Space)", following a key set later. An action
that changes as its window is deleted without being closed (``deleteLater()``), its wrapper gone, is let be."""

from __future__ import annotations

import re

import shiboken6
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

__all__ = ["WORDS_PROPERTY", "keys_in_tips"]

WORDS_PROPERTY = "tip_words"  # an action's tooltip without its keys, kept by keys_in_tips
_SET_PROPERTY = "tip_set"  # the tooltip keys_in_tips gave it last


def _says(tip: str, key: str) -> bool:
    """Whether `tip` names `key` among keys in parentheses ('Next Image (PgDown, Right, Down)'): a bare
    letter of its words is not the key ('K' in 'Toggle Keyframe')."""
    return any(key in (part.strip() for part in group.split(", ")) for group in re.findall(r"\(([^()]*)\)", tip))


def _told(action: QAction) -> bool:
    keys = [k for k in action.shortcuts() if not k.isEmpty()]
    return not keys or _says(action.toolTip(), keys[0].toString(QKeySequence.SequenceFormat.NativeText))


def _follow(action: QAction) -> None:
    """The tooltip as the action's words and its keys; words its maker writes later are its new words
    (nothing for an action being deleted: see the module doc)."""
    if not shiboken6.isValid(action):
        return
    current = action.toolTip()
    if current != action.property(_SET_PROPERTY):  # first time, or its maker wrote new words since
        action.setProperty(WORDS_PROPERTY, current)
    words = str(action.property(WORDS_PROPERTY))
    keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
    tip = f"{words} ({', '.join(keys)})" if keys and not _says(words, keys[0]) else words
    action.setProperty(_SET_PROPERTY, tip)
    if current != tip:  # setToolTip emits changed again: then equal, nothing more
        action.setToolTip(tip)


def keys_in_tips(window: QWidget) -> int:
    """Give each action of `window` with a key whose tooltip leaves it out its keys there, now and when
    they change (see module doc): the number of actions taken in hand."""
    taken = 0
    for action in window.findChildren(QAction):
        if _told(action) or action.property(WORDS_PROPERTY) is not None:
            continue
        action.changed.connect(lambda action=action: _follow(action))
        _follow(action)
        taken += 1
    return taken
