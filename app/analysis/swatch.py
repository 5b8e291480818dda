"""The Layers list's colour key of a layer (:func:`swatch_icon`): :func:`app.analysis.legend.key_image`
in a grey frame, drawn at the device pixels of the screen it is shown on. A pixmap drawn at 1x was blown
up by Qt at 125 and 200 %, which blended the key's neighbouring colours (the ground truth's dashes, a
colour bar's steps)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyleOption

from app.analysis.legend import FRAME, KEY_SIZE, key_image
from fosp_core.analysis.layers import Layer

__all__ = ["SWATCH_SIZE", "SwatchIconEngine", "swatch_icon", "swatch_pixmap"]

#: A row's swatch with its frame, in logical pixels: :data:`KEY_SIZE` plus 2 both ways.
SWATCH_SIZE = QSize(KEY_SIZE[0] + 2, KEY_SIZE[1] + 2)


def swatch_pixmap(layer: Layer, ratio: float = 1.0, size: QSize | None = None) -> QPixmap:
    """`layer`'s key framed by a grey line (a dark colour on the dark list) one logical pixel wide
    (`round(ratio)` device pixels), `size` device pixels (default: :data:`SWATCH_SIZE` times `ratio`),
    every pixel drawn, none scaled, and marked with device pixel ratio `ratio`."""
    if size is None:
        size = QSize(round(SWATCH_SIZE.width() * ratio), round(SWATCH_SIZE.height() * ratio))
    line = max(1, round(ratio))
    pixmap = QPixmap(size)
    pixmap.fill(FRAME)
    width, height = size.width() - 2 * line, size.height() - 2 * line
    if width > 0 and height > 0:
        painter = QPainter(pixmap)
        painter.drawImage(line, line, key_image(layer, width, height, scale=ratio))
        painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class SwatchIconEngine(QIconEngine):
    """Draws `layer`'s swatch at the device pixels of what it paints on (a list at 200 % gets a 60 x 28
    swatch, not a 30 x 14 one blown up); greyed in the Disabled mode as Qt greys a pixmap icon."""

    def __init__(self, layer: Layer) -> None:
        super().__init__()
        self.layer = layer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:  # noqa: D102
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        size = QSize(round(rect.width() * ratio), round(rect.height() * ratio))
        painter.drawPixmap(rect.topLeft(), self._styled(swatch_pixmap(self.layer, ratio, size), mode))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:  # noqa: D102
        return self._styled(swatch_pixmap(self.layer, 1.0, size), mode)

    def clone(self) -> QIconEngine:  # noqa: D102
        return SwatchIconEngine(self.layer)

    @staticmethod
    def _styled(pixmap: QPixmap, mode: QIcon.Mode) -> QPixmap:
        if mode != QIcon.Mode.Disabled:
            return pixmap
        greyed = QApplication.style().generatedIconPixmap(mode, pixmap, QStyleOption())
        greyed.setDevicePixelRatio(pixmap.devicePixelRatio())
        return greyed


def swatch_icon(layer: Layer) -> QIcon:
    """`layer`'s swatch as an icon drawn at the device pixel ratio of each paint (:class:`SwatchIconEngine`)."""
    return QIcon(SwatchIconEngine(layer))
