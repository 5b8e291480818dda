"""The Keyboard Shortcuts sheet's last line ("Annotation keys can be changed under Annotate ▸
Annotation Shortcuts…") was a disabled label: (120, 120, 120) on the dialog's (45, 45, 48), 3.1:1,
under WCAG AA's 4.5:1 for text that says something (it is no inactive control). The same in the
light theme (app.theme.LIGHT), whose hint is dark grey on a light dialog."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from app.shortcut_sheet import ShortcutSheet
from app.theme import dark_palette, light_palette
from tests.gui.rendered_edges import contrast


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    array = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


@pytest.mark.parametrize("palette", [dark_palette, light_palette], ids=["dark", "light"])
def test_the_sheet_hint_is_readable(qtbot, qapp, make_window, palette) -> None:  # noqa: ANN001 - a palette maker
    old = qapp.palette()
    qapp.setPalette(palette())  # the app's theme
    try:
        sheet = ShortcutSheet(make_window())
        qtbot.addWidget(sheet)
        hint = next(label for label in sheet.findChildren(QLabel) if "can be changed under" in label.text())
        pixels = _pixels(hint.grab().toImage()).reshape(-1, 3).astype(int)
    finally:
        qapp.setPalette(old)
    background = QColor(*pixels[0])
    far = np.abs(pixels - pixels[0]).sum(axis=1).argmax()
    core = QColor(*pixels[far])  # the glyphs' cores (the pixels farthest from the dialog's): the text's colour
    assert contrast(core, background) >= 4.5, (core.getRgb(), background.getRgb())
