"""A status-bar message stays readable while the pixel and hover readouts are shown: at 1366 px the
readouts of an image with a result (position, pixel, size, zoom, the analysis hover: about 1 230 px)
left a message 130 px: "Undo: brush (nothing more to undo)" read "Undo: brush (nothing", and
"No prediction for this image yet: run the model (Ctrl+R) first" (what the wand says) was cut too. While a
message is shown the hover readout, then the pixel readout, give up the width it needs (their ends
are cut: their first values stay); once it clears they take their whole width again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtGui import QFontMetrics

from fosp_core.infer.result import Prediction

MESSAGE = "No prediction for this image yet: run the model (Ctrl+R) first"


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    h, w = 48, 64
    path = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (h, w, 3), np.uint8)).save(path)
    window = make_window(show=True)
    window.resize(1366, 768)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    probability = np.linspace(0, 1, h * w, dtype=np.float32).reshape(h, w)
    prediction = Prediction(probability=probability, focus_map=1 - probability,
                            background=np.full((h, w, 3), 103, np.uint8),
                            foreground_energy={s: probability for s in (4, 8, 16, 32)})
    window.analysis._show(prediction)
    window.canvas.hovered.emit(20, 30)  # the mouse over the image: both readouts shown
    qtbot.wait(20)
    return window


def _message_room(window) -> int:  # noqa: ANN001
    """The width the status bar leaves its message: up to its first permanent widget."""
    bar = window.statusBar()
    bar.layout().activate()
    lefts = [child.x() for child in bar.children()
             if child.isWidgetType() and child.isVisible() and child.x() > 0 and child.height() > 0]
    return min(lefts) - 2 - 6  # QStatusBar's own gaps around the message


def test_a_message_gets_the_room_it_needs_while_the_readouts_are_shown(qtbot, make_window, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path)
    hover, pixel = window.analysis.hover_label, window.readouts.pixel
    assert hover.isVisible() and pixel.isVisible()
    full = hover.width()
    bar = window.statusBar()
    bar.showMessage(MESSAGE, 5000)
    qtbot.wait(20)
    need = QFontMetrics(bar.font()).horizontalAdvance(MESSAGE)
    assert _message_room(window) >= need, (_message_room(window), need)
    assert hover.isVisible() and hover.width() < full  # it gave way, cut at its end
    bar.clearMessage()
    qtbot.wait(20)
    bar.layout().activate()
    assert hover.width() == full  # whole again once the message is gone


def test_the_hover_gives_way_to_a_message_shown_before_the_mouse_came(qtbot, make_window, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path)
    window.canvas.left.emit()  # the mouse leaves the image: the readouts hide
    qtbot.wait(20)
    bar = window.statusBar()
    bar.showMessage(MESSAGE, 5000)
    window.canvas.hovered.emit(20, 30)  # and comes back while the message is shown
    qtbot.wait(20)
    need = QFontMetrics(bar.font()).horizontalAdvance(MESSAGE)
    assert _message_room(window) >= need, (_message_room(window), need)
