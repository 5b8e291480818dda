"""The status bar's permanent readouts of the main window: `StatusReadouts`.

Left to right: the current image's place in the list ("12 / 1053"), the pixel under the cursor
("x 12  y 34   RGB ..."; shown only over the image), the image size and the zoom. The pixel and zoom
readouts follow the canvas; the window sets the place and the size (the video mode sets the size of
its frames too).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QStatusBar

from app.canvas import Canvas
from fosp_core.session import ImageSession

__all__ = ["StatusReadouts"]


class StatusReadouts(QObject):
    """See module doc: `position`, `pixel`, `size` and `zoom` labels, added to `status` (a child of
    it, so the canvas's signals stop reaching it with the window)."""

    def __init__(self, status: QStatusBar, canvas: Canvas, session: ImageSession) -> None:
        super().__init__(status)
        self._session = session
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.position = QLabel()  # "12 / 1053": where the current image is in the list
        self.position.setToolTip("The current image's place among the open images")
        self.pixel = QLabel()  # "x 12  y 34   RGB ...": shown only over the image, as wide as its text
        self.pixel.hide()  # empty, it took 330 px and cut the messages ("Opened 4 imag" at 1024 px)
        self.size = QLabel()
        self.zoom = QLabel()
        for label in (self.position, self.pixel, self.size, self.zoom):
            label.setFont(mono)
            label.setContentsMargins(10, 0, 10, 0)
            status.addPermanentWidget(label)
        canvas.hovered.connect(self.show_pixel)
        canvas.left.connect(self.clear_pixel)
        canvas.zoom_changed.connect(self.show_zoom)

    def show_pixel(self, x: int, y: int) -> None:
        """Image pixel (x, y) of the current image is under the cursor: its coordinates and colour."""
        image = self._session.current_image
        if image is None or not (0 <= x < image.width and 0 <= y < image.height):
            self.set_pixel_text("")
            return
        r, g, b = (int(v) for v in image.rgb[y, x])
        self.set_pixel_text(f"x {x:>5}  y {y:>5}   RGB {r:>3} {g:>3} {b:>3}")

    def clear_pixel(self) -> None:
        """The cursor left the image."""
        self.set_pixel_text("")

    def show_zoom(self, percent: float) -> None:
        """Screen pixels per image pixel, in percent (100: 1:1)."""
        self.zoom.setText(f"zoom {percent:.0f}%")

    def set_pixel_text(self, text: str) -> None:
        """The pixel readout takes room in the status bar only while it says something."""
        self.pixel.setText(text)
        self.pixel.setVisible(bool(text))
