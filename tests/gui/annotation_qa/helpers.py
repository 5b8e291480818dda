"""What the annotator's-day tests share besides their `window` fixture: the plain left click and
waiting for an image of the session to be the one annotated."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.main_window import MainWindow

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


def wait_image(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    """Wait until the session's image `index` is the one whose document is open."""
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None
                    and controller.image_path == window.session.paths[index], timeout=10000)
