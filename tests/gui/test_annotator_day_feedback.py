"""An annotator's day, what the window says back: Ctrl+wheel sizes the brush, Undo / Redo name the
step they took (an undone review mark, or a stroke outside the view, changes nothing to be seen),
and the export's status line counts what it wrote and what it left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from fosp_core.annotation.export import ExportReport
from tests.gui.annotation_helpers import blank_demo_window, drag, key, viewport_pos

_CTRL, _NONE = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.NoModifier


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    return blank_demo_window(qtbot, make_window, demo_dir, tmp_path)


def _wheel(window, delta: int, modifiers: Qt.KeyboardModifier) -> None:  # noqa: ANN001
    """One wheel event of `delta` eighths of a degree (120: one notch) over image pixel (200, 200)."""
    viewport = window.canvas.viewport()
    pos = QPointF(viewport_pos(window, 200, 200))
    event = QWheelEvent(pos, QPointF(viewport.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, delta),
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)


def test_ctrl_wheel_sizes_the_brush_and_the_wheel_still_zooms(window) -> None:
    """Ctrl+wheel zoomed like the wheel: the brush size had only [ and ] (or the dock)."""
    state, canvas = window.annotation.controller.state, window.canvas
    key(window, "B")
    state.set_radius(12)
    zoom = canvas.zoom_percent()
    _wheel(window, 120, _CTRL)
    assert state.radius > 12 and canvas.zoom_percent() == pytest.approx(zoom)
    bigger = state.radius
    for _ in range(4):  # a touchpad's small steps add up to one notch
        _wheel(window, -30, _CTRL)
    assert state.radius < bigger
    _wheel(window, 120, _NONE)
    assert canvas.zoom_percent() > zoom  # the plain wheel zooms, as before
    key(window, "V")  # no brush: Ctrl+wheel zooms
    radius, zoom = state.radius, canvas.zoom_percent()
    _wheel(window, 120, _CTRL)
    assert state.radius == radius and canvas.zoom_percent() > zoom


def test_undo_and_redo_say_which_step_they_took(window) -> None:
    """Ctrl+Z after marking an image reviewed changed nothing to be seen (it took back the review
    mark) and said nothing, so an annotator pressed it again and lost the stroke too."""
    status_bar = window.statusBar()
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    key(window, "R")
    key(window, "Ctrl+Z")
    message = status_bar.currentMessage()
    assert "reviewed" in message and "edited" in message and "1 more" in message
    key(window, "Ctrl+Z")
    assert "brush" in status_bar.currentMessage() and "nothing more" in status_bar.currentMessage()
    key(window, "Ctrl+Shift+Z")
    assert "Redo" in status_bar.currentMessage() and "brush" in status_bar.currentMessage()


def test_the_export_message_counts_what_was_written_and_left_out(qtbot, window, tmp_path: Path) -> None:
    """'Exported 1 images to ...': wrong plural, and nothing said about the images left out, those
    that could not be exported (an unreadable mask) among them."""
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])  # one image of the demo's four labelled
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exported, timeout=10000):
        dialog.start()
    message = window.statusBar().currentMessage()
    assert message == f"Exported 1 image to {tmp_path / 'out'} (train 1); 3 without a mask left out"
    report = ExportReport(tmp_path / "out", splits={"train": ["a", "b"]},
                          skipped=[("c", "no mask yet"), ("d", "unreadable mask: truncated")])
    dialog.exported.emit(report)  # as its worker's end does
    assert window.statusBar().currentMessage().endswith("; not exported: d: unreadable mask: truncated")
