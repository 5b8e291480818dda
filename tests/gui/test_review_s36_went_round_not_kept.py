"""N's "back at the start of the worklist" (session 34) stayed in the status bar for its 4 seconds: the N
pressed next, a step to the following image, left it there, so the annotator read that N had gone round
again (s36 working-day review: N, N at the end of the demo's queue, "back at the start" both times). A step
that does not go round now takes those words away."""

from __future__ import annotations

from pathlib import Path

from app.annotation.worklist_panel import WENT_ROUND
from tests.gui.annotation_helpers import demo_window, key


def _ready(window) -> bool:  # noqa: ANN001
    controller = window.annotation.controller
    return controller.document is not None and controller.image_path == window.session.current_path


def test_the_next_step_does_not_keep_went_round(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    order = [e.id for e in panel.ordered()]
    window.session.set_current(window.session.index_of(panel.project.image_path(order[-1]).resolve()))
    qtbot.waitUntil(lambda: _ready(window))
    key(window, "N")
    qtbot.waitUntil(lambda: _ready(window))
    assert window.statusBar().currentMessage() == WENT_ROUND[1]
    key(window, "N")  # image 1 -> 2: no going round
    qtbot.waitUntil(lambda: _ready(window))
    assert window.annotation.controller.document.image_id == order[1]
    said = window.statusBar().currentMessage()
    assert said not in WENT_ROUND.values(), f"a step within the worklist still said {said!r}"
    key(window, "Shift+N")  # 2 -> 1
    qtbot.waitUntil(lambda: _ready(window))
    key(window, "Shift+N")  # 1 -> last: round
    qtbot.waitUntil(lambda: _ready(window))
    assert window.statusBar().currentMessage() == WENT_ROUND[-1]


def test_another_message_is_left_alone(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """What another action said last (the review of the image left) is not taken away by a step."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "R")
    said = window.statusBar().currentMessage()
    key(window, "N")
    assert window.statusBar().currentMessage() == said
