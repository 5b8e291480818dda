"""An action whose one-letter key is a letter of its words says the key in its tooltip all the same: Toggle
Keyframe (K) and Carry Mask from Previous Frame (C) said only their words, in image and in video mode (the
'K' of 'Keyframe' and the 'C' of 'Carry' read as the key told, app.action_tips), and a key remapped to a
letter of the words (Play / Pause on P) dropped the key from the tooltip."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence

from app.main_window import MainWindow

from .conftest import WindowFactory
from .keyboard_day_helpers import day_window, open_clip


def _named_keys(tip: str) -> set[str]:
    """The keys a tooltip names in parentheses: 'Next Image (PgDown, Right, Down)' -> the three."""
    return {key.strip() for group in re.findall(r"\(([^()]*)\)", tip) for key in group.split(", ")}


def _untold(window: MainWindow) -> list[str]:
    out = []
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys and keys[0] not in _named_keys(action.toolTip()):
            out.append(f"{action.text()!r}: {action.toolTip()!r}")
    return out


def test_a_key_that_is_a_letter_of_the_words_is_said(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                                     tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    assert _untold(window) == []
    open_clip(qtbot, window, tmp_path)
    assert _untold(window) == []
    keyframe = next(a for a in window.video.actions if a.text() == "Toggle Keyframe")
    assert keyframe.toolTip() == "Toggle Keyframe (K)"
    play = next(a for a in window.video.actions if a.text() == "Play / Pause")
    play.setShortcut(QKeySequence("P"))  # remapped to a letter of its words
    assert play.toolTip() == "Play / Pause (P)"
