"""The compositor's buffers once the canvas is still (app/layer_settle.py): one group per event-loop
turn, so that a stroke or pan started meanwhile waits for one group at most (all of them took
51-95 ms in one turn at 4000x3000 with every layer), and the rest dropped when the view moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.layer_compositor import LayerCompositor
from tests.gui.canvas_helpers import assert_as_drawn_directly, review_window, set_zoom


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    return review_window(qtbot, make_window, demo_dir, tmp_path)


def _panned(window, qtbot) -> LayerCompositor:  # noqa: ANN001
    """Zoomed in and panned (every group drawn straight, none with a buffer); the settle timer
    only fires when the test says."""
    canvas = window.canvas
    set_zoom(window, qtbot, 251.7)
    compositor = canvas.compositor
    compositor._settle.setInterval(60_000)
    canvas.view_box.translateBy(x=-7.0, y=4.0)
    canvas.viewport().repaint()
    assert len(compositor._roots()) >= 3 and not any(group.fresh for group in compositor._groups.values())
    return compositor


def _drawn(monkeypatch, compositor: LayerCompositor) -> list[object]:  # noqa: ANN001
    """The roots of the groups whose buffers are drawn from now on."""
    drawn: list[object] = []
    original = compositor._draw_group
    monkeypatch.setattr(compositor, "_draw_group", lambda group, t: (drawn.append(group.root), original(group, t))[1])
    return drawn


def test_the_buffers_are_made_one_group_a_turn(window, qtbot, monkeypatch) -> None:
    compositor = _panned(window, qtbot)
    drawn = _drawn(monkeypatch, compositor)
    compositor.make_buffers()  # the settle timer's turn
    assert len(drawn) <= 1
    for turn in range(1, len(compositor._roots()) + 1):
        compositor.settler.step()
        assert len(drawn) == turn  # one group a turn
    assert sorted(map(id, drawn)) == sorted(map(id, compositor._roots()))
    assert all(group.fresh for group in compositor._groups.values())
    assert_as_drawn_directly(window.canvas)


def test_a_pan_between_the_groups_drops_the_rest(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    compositor = _panned(window, qtbot)
    drawn = _drawn(monkeypatch, compositor)
    compositor.make_buffers()
    compositor.settler.step()
    assert 1 <= len(drawn) < len(compositor._roots())
    canvas.view_box.translateBy(x=5.0, y=-3.0)  # the next drag step comes before the rest
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not compositor.settler.pending, timeout=10_000)
    assert len(drawn) == 1  # the rest were for a view no longer shown
    assert_as_drawn_directly(canvas)
    compositor.make_buffers()  # still again
    qtbot.waitUntil(lambda: not compositor.settler.pending, timeout=10_000)
    assert all(group.fresh for group in compositor._groups.values())
    assert_as_drawn_directly(canvas)
