"""N (Next Unreviewed) on the last unreviewed image of the worklist's order went round to the first one
without a word, and Shift+N on the first to the last: the annotator, going down a queue with the
keyboard, found themselves back at its top, taking it for a new image to review (found in the s34
working-day review: N at the end of SmokeSeg's 30 images, the status bar empty). Going round is kept
(napari and CVAT step on; the queue is what is left to review), and the status bar now says it."""

from __future__ import annotations

from pathlib import Path

from tests.gui.annotation_helpers import demo_window, key


def _go(qtbot, window, index: int) -> None:  # noqa: ANN001
    controller = window.annotation.controller
    window.session.set_current(index)
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                    timeout=10000)


def test_next_unreviewed_going_round_says_so(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    order = [e.id for e in panel.ordered()]
    last = window.session.index_of(panel.project.image_path(order[-1]).resolve())
    _go(qtbot, window, last)
    key(window, "N")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.image_path == window.session.current_path, timeout=10000)
    assert controller.document.image_id == order[0]
    said = window.statusBar().currentMessage()
    assert "start of the worklist" in said, f"N went round to the first image saying {said!r}"


def test_previous_unreviewed_going_round_says_so(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    order = [e.id for e in panel.ordered()]
    first = window.session.index_of(panel.project.image_path(order[0]).resolve())
    _go(qtbot, window, first)
    key(window, "Shift+N")
    assert window.session.current_path.stem == order[-1]
    assert "end of the worklist" in window.statusBar().currentMessage()


def test_next_unreviewed_within_the_list_says_nothing_of_going_round(qtbot, make_window, demo_dir: Path,
                                                                     tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel = window.annotation.worklist
    order = [e.id for e in panel.ordered()]
    _go(qtbot, window, window.session.index_of(panel.project.image_path(order[0]).resolve()))
    key(window, "N")
    assert window.session.current_path.stem == order[1]
    assert "worklist" not in window.statusBar().currentMessage()
