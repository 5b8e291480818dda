"""Pixel inspection with a still mouse: zooming in from the keyboard (View ▸ Zoom In, "+"), panning with
Ctrl+Shift+arrows or Fit to Window moves the image under a cursor that does not move. The status bar
went on naming the pixel the cursor had been over before (x, y, RGB, p, focus...), not the one now under
it, until the mouse moved again: an analyst reading values at a zoom read another pixel's."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from tests.gui.annotation_helpers import viewport_pos
from tests.gui.odd_window import odd_photo_window, show_ramp

SHAPE = (161, 203)  # odd, not square


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    window = odd_photo_window(qtbot, make_window, tmp_path, SHAPE, seed=3)
    return window, show_ramp(window, SHAPE)


def _under(window, pos) -> tuple[int, int] | None:  # noqa: ANN001
    canvas = window.canvas
    return canvas.image_pixel_at(canvas.mapToScene(pos))


def test_a_still_cursor_reads_the_pixel_now_under_it(qtbot, make_window, tmp_path: Path) -> None:
    """Each move in turn in one window (a window a move cost ~0.35 s), each from the whole image in view."""
    window, probability = _window(qtbot, make_window, tmp_path)
    canvas = window.canvas
    for move in ("zoom in", "zoom out", "pan", "fit"):
        canvas.fit()
        qtbot.wait(20)
        if move == "fit":
            canvas.set_zoom(4 * canvas.zoom_percent())
            qtbot.wait(20)
        rect = canvas.view_box.viewRect()
        x, y = int(rect.left() + rect.width() * 0.3), int(rect.top() + rect.height() * 0.35)  # off the centre
        pos = viewport_pos(window, x, y)
        QTest.mouseMove(canvas.viewport(), pos + QPoint(7, 5))  # a move to where the cursor already is is dropped
        qtbot.wait(50)  # Qt drops a synthetic move that follows another at once
        QTest.mouseMove(canvas.viewport(), pos)
        qtbot.waitUntil(lambda x=x, y=y: f"x {x:>5}  y {y:>5}" in window.readouts.pixel.text())
        assert f"p {probability[y, x]:.3f}" in window.analysis.hover_label.text(), move
        act = {"zoom in": window.action_zoom_in.trigger, "zoom out": window.action_zoom_out.trigger,
               "pan": lambda: [a.trigger() for a in window.pan_actions[:1]], "fit": window.action_fit.trigger}
        act[move]()
        qtbot.wait(50)
        now = _under(window, pos)
        assert now is not None and now != (x, y), (move, now)  # the image moved under the cursor
        nx, ny = now
        assert f"x {nx:>5}  y {ny:>5}" in window.readouts.pixel.text(), (move, now, window.readouts.pixel.text())
        text = window.analysis.hover_label.text()
        assert f"p {probability[ny, nx]:.3f}" in text and f"focus {1 - probability[ny, nx]:.3f}" in text, (move, now, text)


def test_a_cursor_the_image_leaves_reads_nothing(qtbot, make_window, tmp_path: Path) -> None:
    """Zoomed out around the view's centre, a cursor over the image's corner is off the image: the readouts
    say nothing, as when the mouse leaves it."""
    window, _ = _window(qtbot, make_window, tmp_path)
    canvas = window.canvas
    canvas.fit()
    qtbot.wait(20)
    pos = viewport_pos(window, 0, 0)
    QTest.mouseMove(canvas.viewport(), pos + QPoint(7, 5))
    qtbot.wait(50)
    QTest.mouseMove(canvas.viewport(), pos)
    qtbot.waitUntil(lambda: "x     0  y     0" in window.readouts.pixel.text())
    canvas.set_zoom(canvas.zoom_percent() / 4)
    qtbot.wait(50)
    assert _under(window, pos) is None
    assert window.analysis.hover_label.text() == ""
    assert "x     0  y     0" not in window.readouts.pixel.text()
