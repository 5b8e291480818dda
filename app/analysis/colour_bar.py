"""A scalar layer's colour bar in its legend (:class:`ColourBar`), drawn at the device pixels of the
screen it is shown on: a 256-pixel key stretched by the label (``setScaledContents``) was resampled
smoothly at 200 %, which blended the bar's neighbouring steps (247 colours at 2x that are no colour of
the layer's lookup table). :class:`BarFrame` rings it with a line so that its ends show on either theme."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

#: Draws a key (width, height in device pixels, device pixels per pixel) -> the image
#: (:func:`app.analysis.legend.key_image` of a layer).
KeyDrawer = Callable[[int, int, float], QImage]

__all__ = ["BarFrame", "ColourBar", "KeyDrawer"]


class ColourBar(QLabel):
    """`height` logical pixels high, as wide as its layout gives it; shows the key drawn by the drawer
    set (:meth:`set_key`) with a device pixel per screen pixel, drawn again when it is resized or moved
    to a screen of another device pixel ratio."""

    def __init__(self, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(height)
        self._draw_key: KeyDrawer | None = None

    def set_key(self, draw: KeyDrawer | None) -> None:
        """Show the key `draw` makes (None: nothing)."""
        self._draw_key = draw
        self._draw()

    def _draw(self) -> None:
        if self._draw_key is None:
            self.clear()
            return
        ratio = self.devicePixelRatioF()
        width, height = max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio))
        pixmap = QPixmap.fromImage(self._draw_key(width, height, ratio))
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Draw the bar again at its new width (a device pixel per screen pixel)."""
        super().resizeEvent(event)
        if event.size() != event.oldSize():
            self._draw()

    def event(self, event: QEvent) -> bool:
        """Draw the bar again on a screen of another device pixel ratio."""
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self._draw()
        return super().event(event)


class BarFrame(QWidget):
    """`bar` inside a line of `color` a pixel wide: the ends of a bar whose colours are near the window's
    (inferno's and magma's black on the dark dock, their pale yellow and viridis' yellow on the light one,
    1.1-1.5:1) were lost, the bar seeming to stop short of the number at its end. The line is drawn
    here, round the bar, so that every pixel of the bar stays a colour of its layer."""

    def __init__(self, bar: QWidget, color: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = QColor(color)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(bar)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """The line: the whole rect filled, the bar drawn over all of it but its 1 px margin."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._color)
        painter.end()
