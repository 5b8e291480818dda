"""Help ▸ Keyboard Shortcuts lists exactly the keys that work: each key of the window's actions and named
shortcuts is pressed on the canvas of the real window (offscreen, QTest key events through Qt's shortcut
map) and the binding Qt runs is caught (tests.gui.key_dispatch); the keys that reach their action (or the
stand-in that says why it is off) are the sheet's rows, in image mode and in video mode.

Found by a keyboard-only sweep: with images open the sheet listed the video's 12 frame keys (Space Play /
Pause, Right Next Frame beside Right Next Image...), which do nothing there; with a video open it listed
Go to Image (Ctrl+G), Filter by Name (Ctrl+F), Mark Reviewed (R), Next / Previous Unreviewed (N, Shift+N)
and Copy Previous Image's Mask (Shift+C), off for as long as a video is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app.shortcut_modes import off_in_mode
from app.shortcut_sheet import TEXT_PROPERTY, shortcut_rows
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag
from tests.gui.key_dispatch import binding_name, dispatched_to

from .conftest import WindowFactory
from .keyboard_day_helpers import day_window, open_clip


def _listed(window: MainWindow) -> set[tuple[str, str]]:
    return {(text.split(" (or ")[0], key) for _where, text, keys in shortcut_rows(window) for key in keys.split(", ")}


def _bindings(window: MainWindow) -> list[tuple[QObject, list[QKeySequence]]]:
    actions = [(a, list(a.shortcuts())) for a in window.findChildren(QAction)]
    named = [(s, list(s.keys())) for s in window.findChildren(QShortcut) if s.property(TEXT_PROPERTY)]
    return [(b, [k for k in keys if not k.isEmpty()]) for b, keys in actions + named]


def _working(window: MainWindow) -> set[tuple[str, str]]:
    """(name, key) of each key that, pressed on the canvas, runs its own binding alone (or the stand-in
    that says why that binding is off for now; not one off for the whole mode, whose keys say why too)."""
    window.canvas.setFocus()
    working = set()
    off = off_in_mode(window)
    for binding, keys in _bindings(window):
        name = binding_name(binding)
        answers = [[(name, False)]] + ([] if any(binding is a for a in off) else [[(f"says why: {name}", False)]])
        for key in keys:
            if dispatched_to(window.canvas, key) in answers:
                working.add((name, key.toString(QKeySequence.SequenceFormat.NativeText)))
    return working


def _ready(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    """The second image, a stroke on it, the polygon tool: the actions that wait on these are on."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    window.session.set_current(1)
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                    timeout=10_000)
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(100, 100), (140, 120)])
    controller.state.set_tool(Tool.POLYGON_FILL)
    actions = window.annotation.actions
    assert window.action_previous.isEnabled() and actions.copy_previous.isEnabled() and actions.undo.isEnabled()


def test_the_sheet_lists_exactly_the_keys_that_work_with_images(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                                demo_dir: Path, tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    _ready(qtbot, window)
    listed, working = _listed(window), _working(window)
    assert listed - working == set()  # listed, but the key does nothing (or another thing)
    assert working - listed == set()  # a key that works, not listed
    assert ("Next Image", "Right") in listed and ("Play / Pause", "Space") not in listed


def test_the_sheet_lists_exactly_the_keys_that_work_with_a_video(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                                 demo_dir: Path, tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    _ready(qtbot, window)
    open_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    listed, working = _listed(window), _working(window)
    # with a drawing tool (the polygon, here) Space on the canvas is hold-to-pan, by design
    # (app.annotation.canvas_input); Play / Pause has it with Navigate
    assert listed - working == {("Play / Pause", "Space")}
    assert working - listed == set()
    window.annotation.controller.state.set_tool(Tool.NAVIGATE)
    assert dispatched_to(window.canvas, QKeySequence("Space")) == [("Play / Pause", False)]
    assert ("Next Frame", "Right") in listed and not {name for name, _key in listed} & {
        "Go to Image", "Filter by Name", "Mark Reviewed", "Next Unreviewed", "Previous Unreviewed",
        "Copy Previous Image's Mask"}
