"""An outline left open is dropped with a word, not silently. Three vertices of a polygon clicked,
then Right (the next image) or B (the brush): the vertices vanished and the status bar said only
"Polygon Fill" / "Brush", as if nothing had been under way. Now it says the outline was dropped and
how one closes it (the same for a lasso cut short by a key)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import blank_demo_window, click, key


@pytest.mark.parametrize("then", ["Right", "B"])
def test_an_open_polygon_dropped_says_so(qtbot, make_window, demo_dir: Path, tmp_path: Path, then: str) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    key(window, "P")
    for x, y in [(100, 100), (200, 100), (200, 200)]:
        click(window, x, y)
    assert controller.pending_vertices == 3
    doc = controller.document
    key(window, then)
    qtbot.waitUntil(lambda: controller.pending_vertices == 0)
    said = window.statusBar().currentMessage()
    assert "dropped" in said and "3 vertices" in said and "Enter" in said, said
    assert not (doc.mask == 1).any()  # dropped, as before: only now it is said


def test_a_closed_polygon_says_nothing_of_dropping(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "P")
    for x, y in [(100, 100), (200, 100), (200, 200)]:
        click(window, x, y)
    key(window, "Return")
    key(window, "B")
    assert "dropped" not in window.statusBar().currentMessage()
    assert (window.annotation.controller.document.mask == 1).any()
