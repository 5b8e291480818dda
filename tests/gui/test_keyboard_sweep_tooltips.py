"""Every action of the window with a key says it in its tooltip, as the toolbar's and the tool dock's do:
the video's frame actions (Play / Pause, Next Frame...), Compare (Fig. 7), Fine-tune on a Dataset… and
Compare Two Checkpoints… said only their names (a keyboard-only sweep found them), in image mode and in
video mode; a key set later shows instead of the old one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence

from app.main_window import MainWindow

from .conftest import WindowFactory
from .keyboard_day_helpers import day_window, open_clip


def _untold(window: MainWindow) -> list[str]:
    out = []
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if keys and keys[0].toString(QKeySequence.SequenceFormat.NativeText) not in action.toolTip():
            out.append(f"{action.text()!r}: {action.toolTip()!r}")
    return out


def test_every_action_with_a_key_says_it_in_its_tooltip(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                                       tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    assert _untold(window) == []
    open_clip(qtbot, window, tmp_path)
    assert _untold(window) == []
    play = next(a for a in window.video.actions if a.text() == "Play / Pause")
    assert play.toolTip() == "Play / Pause (Space)"
    play.setShortcut(QKeySequence("Ctrl+Alt+P"))  # a key set later: the tooltip follows, once
    assert play.toolTip() == "Play / Pause (Ctrl+Alt+P)"
    play.setToolTip("Play or pause the video")  # its maker's new words: kept, the key added
    assert play.toolTip() == "Play or pause the video (Ctrl+Alt+P)"
    play.setShortcut(QKeySequence())
    assert play.toolTip() == "Play or pause the video"


def test_outline_only_says_its_key_and_follows_a_remap(make_window: WindowFactory) -> None:
    # the Annotate dock's check box for Mask Outline Only (O) had no tooltip at all
    window = make_window()
    box = window.annotation.tool_dock.outline
    assert "(O)" in box.toolTip() and "outline" in box.toolTip().lower()
    window.annotation.shortcuts.set_keys("outline", ["Ctrl+Alt+O"])
    assert "(Ctrl+Alt+O)" in box.toolTip() and "(O)" not in box.toolTip()
