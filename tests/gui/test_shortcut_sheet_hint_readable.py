"""The Keyboard Shortcuts sheet's last line ("Annotation keys can be changed under Annotate ▸
Annotation Shortcuts…") was a disabled label: (120, 120, 120) on the dialog's (45, 45, 48), 3.1:1,
under WCAG AA's 4.5:1 for text that says something (it is no inactive control)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from app.shortcut_sheet import ShortcutSheet
from app.theme import dark_palette
from tests.gui.rendered_edges import contrast


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    array = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def test_the_sheet_hint_is_readable(qtbot, qapp, make_window) -> None:
    old = qapp.palette()
    qapp.setPalette(dark_palette())  # the app's theme
    try:
        sheet = ShortcutSheet(make_window())
        qtbot.addWidget(sheet)
        hint = next(label for label in sheet.findChildren(QLabel) if "can be changed under" in label.text())
        pixels = _pixels(hint.grab().toImage()).reshape(-1, 3).astype(int)
    finally:
        qapp.setPalette(old)
    background = QColor(*pixels[0])
    brightest = QColor(*pixels[pixels.sum(axis=1).argmax()])  # the glyphs' cores: the text's colour
    assert contrast(brightest, background) >= 4.5, (brightest.getRgb(), background.getRgb())
