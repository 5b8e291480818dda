"""An action's status-bar message about the image shown ("Dilate: done", "Copy the mask of X: done", 3-6 s) stayed
on screen after a move to the next image, where it read as said of the new one (s36 review). A move now takes away
the annotation's last message about the image left, unless it names that image ("img: reviewed", R then N), or is
not about an image (a project's notes), or is about the move itself (said after it: N's "back at the start")."""

from __future__ import annotations

from pathlib import Path

from app.annotation.worklist_words import WENT_ROUND
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import demo_window, drag, key


def _ready(window) -> bool:  # noqa: ANN001
    controller = window.annotation.controller
    return controller.document is not None and controller.image_path == window.session.current_path


def _go(qtbot, window, index: int) -> None:  # noqa: ANN001
    window.session.set_current(index)
    qtbot.waitUntil(lambda: _ready(window))


def _said(window) -> str:  # noqa: ANN001
    return window.statusBar().currentMessage()


def test_a_commands_words_go_with_the_image(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    actions = window.annotation.actions
    window.annotation.controller.state.set_tool(Tool.BRUSH)
    drag(window, [(100, 100), (140, 120)])
    actions.dilate.trigger()
    assert _said(window) == "Dilate: done"
    _go(qtbot, window, 1)
    assert _said(window) == "", f"the image left's words stayed: {_said(window)!r}"
    actions.copy_previous.trigger()
    assert _said(window).startswith("Copy the mask of "), _said(window)
    _go(qtbot, window, 2)
    assert _said(window) == "", f"the image left's words stayed: {_said(window)!r}"


def test_a_stroke_cut_by_the_move_and_a_note_stay(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """A project's note (said through the opening notes: not about the image) stays; so does what a stroke
    said of the image it names."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    controller.notes.say("2 new images added", 15000)
    _go(qtbot, window, 1)
    assert _said(window) == "2 new images added"
    key(window, "R")
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(100, 100), (140, 120)])  # takes the review off: said by name
    said = _said(window)
    assert "no longer reviewed" in said and controller.document.image_id in said, said
    _go(qtbot, window, 2)
    assert _said(window) == said


def test_the_moves_own_words_stay(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """N going round says so after the move: that move does not take it away."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.annotation.actions.dilate.trigger()
    panel = window.annotation.worklist
    order = [e.id for e in panel.ordered()]
    _go(qtbot, window, window.session.index_of(panel.project.image_path(order[-1]).resolve()))
    window.annotation.actions.dilate.trigger()
    key(window, "N")
    qtbot.waitUntil(lambda: _ready(window))
    assert _said(window) == WENT_ROUND[1]


def test_a_name_is_named_whole() -> None:
    from app.annotation.image_messages import names_image

    assert names_image("a.jpg: reviewed", "a.jpg")
    assert names_image("Clear mask: done; a.jpg is now smoke-free", "a.jpg")
    assert not names_image("Copy the mask of ba.jpg: done", "a.jpg")
    assert not names_image("Copy the mask of a.jpg.png: done", "a.jpg")
    assert not names_image("Copy the mask of sub/a.jpg: done", "a.jpg")
