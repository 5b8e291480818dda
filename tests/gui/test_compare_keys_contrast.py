"""Compare Two Checkpoints: the keys of A and B (the squares beside the form's checkpoint fields and in
the previews' captions) stand 3:1 from the window they are drawn on in either theme (WCAG 1.4.11, a
graphic that carries meaning), also after a theme switched while the dialog is open: the masks' orange
and blue were 2.0 and 2.2:1 on the light window. Measured from the rendered labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from app.theme import LIGHT, apply_theme
from app.training.compare_dialog import CompareDialog
from fosp_core.analysis.compare import COLORS, CompareRow
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui import theme_helpers
from tests.gui.rendered_edges import contrast
from tests.gui.theme_helpers import image_pixels

AA_UI = 3.0


restore_theme = theme_helpers.restore_theme


def _key_contrast(label: QLabel) -> float:
    """The contrast of the key square in `label` (its saturated pixels' commonest colour) on the label's
    background (its commonest colour)."""
    pixels = image_pixels(label.grab().toImage()).reshape(-1, 3).astype(int)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    saturated = pixels[pixels.max(axis=1) - pixels.min(axis=1) > 80]
    assert len(saturated) >= 30, label.text()  # the square is drawn
    colours, counts = np.unique(saturated, axis=0, return_counts=True)
    return contrast(QColor(*colours[counts.argmax()]), QColor(*background))


def _jpeg() -> bytes:
    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor(90, 90, 90))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG")
    return bytes(data.data())


def _keys(dialog: CompareDialog) -> list[QLabel]:
    """The form's two keys and the previews' two captions."""
    form = [w for w in dialog.findChildren(QLabel) if "■" in w.text() and w not in
            (dialog.preview_pane.caption_a, dialog.preview_pane.caption_b)]
    assert len(form) == 2
    return [*form, dialog.preview_pane.caption_a, dialog.preview_pane.caption_b]


def test_a_and_b_keys_stand_out_in_either_theme(qtbot, qapp, tmp_path: Path, restore_theme) -> None:
    apply_theme(qapp, "dark")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: [], input_size=64)
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        qtbot.waitExposed(dialog)
        jpeg = _jpeg()
        dialog.preview_pane.show_row(CompareRow(tmp_path / "a.jpg"), (jpeg, jpeg), ["start", "tuned"])
        QApplication.processEvents()
        dark = [_key_contrast(label) for label in _keys(dialog)]
        assert min(dark) >= AA_UI, dark
        apply_theme(qapp, "light")  # the dialog open
        QApplication.processEvents()
        assert dialog.palette().color(QPalette.ColorRole.Window) == LIGHT.window
        light = [_key_contrast(label) for label in _keys(dialog)]
        assert min(light) >= AA_UI, [f"{c:.2f}" for c in light]
        dialog.preview_pane.show_row(CompareRow(tmp_path / "b.jpg"), (jpeg, jpeg), ["start", "tuned"])
        assert min(_key_contrast(label) for label in _keys(dialog)) >= AA_UI  # captions made in light
        assert COLORS == ((255, 140, 40), (80, 170, 255))  # the masks' own colours stay
    finally:
        dialog.close()
        dialog.shutdown()  # its thread
