"""The two previews of Compare Two Checkpoints (`app.training.compare_dialog`): a selected row's
masks of checkpoints A and B side by side over the image (small JPEGs the compare worker made), each
under a caption in its checkpoint's colour with its F_β.

The keys of A and B (a square in each checkpoint's colour: :class:`KeyLabel`, also beside the form's
checkpoint fields) are drawn in the masks' colours (`COLORS`) on a dark window, and in a darker shade of
each on a light one (:data:`LIGHT_KEY_COLORS`): the orange and blue were 2.0 and 2.2:1 on the light
window, below the 3:1 of a graphic that carries meaning (WCAG 1.4.11). The masks keep their colours."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from fosp_core.analysis.compare import COLORS, CompareRow

__all__ = ["EMPTY_PREVIEW", "LIGHT_KEY_COLORS", "ComparePreviews", "KeyLabel", "fitted", "key_color", "swatch_text"]

#: A's and B's key on a light window: `COLORS` at 75 % (3.5:1 and 3.7:1 on the light theme's #f0f0f0,
#: 4.0 and 4.2:1 on white); on a dark one the keys are `COLORS` themselves (5.9 and 5.6:1 on #2d2d30).
LIGHT_KEY_COLORS: tuple[tuple[int, int, int], tuple[int, int, int]] = ((191, 105, 30), (60, 128, 191))
#: A preview's words while it shows no picture ({key}: A or B).
EMPTY_PREVIEW = "{key}'s mask over the image of the selected row shows here"


def key_color(index: int, light: bool = False) -> tuple[int, int, int]:
    """The RGB of checkpoint `index`'s key (0: A, 1: B) on a light (`light`) or dark window."""
    return (LIGHT_KEY_COLORS if light else COLORS)[index]


def swatch_text(index: int, name: str, light: bool = False) -> str:
    """Rich text: a square in checkpoint `index`'s key colour (0: A, 1: B; :func:`key_color`) and `name`."""
    r, g, b = key_color(index, light)
    return f"<span style='color: rgb({r},{g},{b}); font-size: 14pt;'>■</span> {name}"


class KeyLabel(QLabel):
    """A label that starts with checkpoint `index`'s key and `name` (then `rest`, rich text), the key in
    the shade of the palette of the moment: drawn again when the theme changes."""

    def __init__(self, index: int = 0, name: str = "", rest: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self._key = (index, name, rest)
        if name:
            self.set_key(index, name, rest)

    def set_key(self, index: int, name: str, rest: str = "") -> None:
        """Show checkpoint `index`'s key, `name` and `rest` (rich text)."""
        self._key = (index, name, rest)
        self.setText(swatch_text(index, name, self._light()) + rest)

    def _light(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Window).lightness() > 128

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """The key in the new palette's shade (a label cleared stays empty)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.text():
            self.set_key(*self._key)


def fitted(image: QImage, label: QLabel) -> QPixmap:
    """`image` scaled to fit `label`, a device pixel per screen pixel: to its size times its device pixel
    ratio, and marked with that ratio (scaled to the logical size, Qt blew it up blurred at 200 %)."""
    ratio = label.devicePixelRatioF()
    pixmap = QPixmap.fromImage(image.scaled(label.size() * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class ComparePreviews(QWidget):
    """Two captioned previews, A left and B right, scaled to their labels (``show_row``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview_a = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview_b = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.caption_a, self.caption_b = KeyLabel(), KeyLabel()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for col, (caption, label) in enumerate(self.pairs()):
            label.setMinimumSize(240, 160)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            # the palette's base and hint grey: they follow the theme (a #202020 frame stayed dark on the
            # light window); the hint grey is 4.5:1 at least on either base (tests/gui/test_light_theme.py)
            label.setStyleSheet("background: palette(base); color: palette(placeholder-text);")
            label.setWordWrap(True)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(caption, 0, col)
            layout.addWidget(label, 1, col)
            layout.setColumnStretch(col, 1)
        layout.setRowStretch(1, 1)
        self._images: tuple[QImage, QImage] | None = None  # the row shown's previews, refitted on resize
        self.clear()

    def pairs(self) -> tuple[tuple[KeyLabel, QLabel], tuple[KeyLabel, QLabel]]:
        """(caption, preview) of A, then of B."""
        return (self.caption_a, self.preview_a), (self.caption_b, self.preview_b)

    def device_side(self) -> int:
        """The long side of the larger preview label in device pixels (what a preview fills there)."""
        return max(round(max(label.width(), label.height()) * label.devicePixelRatioF())
                   for _caption, label in self.pairs())

    def clear(self) -> None:
        """Show nothing (no row selected, or one without previews)."""
        self._images = None
        for key, (caption, label) in zip("AB", self.pairs(), strict=True):
            label.clear()
            label.setText(EMPTY_PREVIEW.format(key=key))  # what shows here (an empty pane said nothing)
            caption.clear()

    def show_row(self, row: CompareRow, pair: tuple[bytes, bytes], names: Sequence[str]) -> None:
        """Show `row`'s previews `pair` (JPEG bytes of A's and B's) captioned with the checkpoints'
        `names` and the row's F_β of each. The captions first, laid out, then the pictures scaled to the
        labels' room under them (scaled before, a picture overflowed a label whose empty caption then
        took its line: 280 px in 271)."""
        for i, ((caption, label), name) in enumerate(zip(self.pairs(), names, strict=True)):
            score = f" — F_β {100 * row.scores[i].f_beta:.1f}" if row.scores else ""
            caption.set_key(i, "AB"[i], f": {html.escape(name)}{score}")
            label.setToolTip(f"{name}: {row.path.name}")
        if (layout := self.layout()) is not None:
            layout.activate()
        self._images = (QImage.fromData(pair[0], "JPG"), QImage.fromData(pair[1], "JPG"))
        self._fit()

    def _fit(self) -> None:
        """The pictures scaled to the labels' size now."""
        if self._images is None:
            return
        for (_caption, label), image in zip(self.pairs(), self._images, strict=True):
            label.setPixmap(fitted(image, label))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """The labels took another size (the dialog laid out again, its splitter moved): the pictures
        follow, else a picture fitted to a taller label was cut off at its bottom (476 px in 376 at
        200 %)."""
        super().resizeEvent(event)
        if (layout := self.layout()) is not None:
            layout.activate()  # the labels' new size, before the pictures are fitted to it
        self._fit()
