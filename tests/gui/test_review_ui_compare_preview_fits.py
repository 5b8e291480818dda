"""Review as a user (R2, Compare Two Checkpoints on the 30 SmokeSeg pairs at QT_SCALE_FACTOR=2): the
selected row's previews were scaled to the preview labels' size at the moment the row was shown; the
labels then got smaller (the dialog laid out again: 238 -> 188 px tall) and the 476-px picture of a
square photo stayed, its bottom fifth cut off. The previews follow their labels' size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from app.training.compare_previews import ComparePreviews
from fosp_core.analysis.compare import CompareRow


def _jpeg(side: int) -> bytes:
    image = QImage(side, side, QImage.Format.Format_RGB888)
    image.fill(QColor(200, 120, 40))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG")
    return bytes(buffer.data())


def _fits(pane: ComparePreviews) -> list[tuple[float, float, int, int]]:
    """(picture's logical width, height, label's width, height) of each preview."""
    out = []
    for label in (pane.preview_a, pane.preview_b):
        pixmap = label.pixmap()
        ratio = pixmap.devicePixelRatio()
        out.append((pixmap.width() / ratio, pixmap.height() / ratio, label.width(), label.height()))
    return out


def test_the_previews_follow_their_labels_when_the_pane_gets_smaller(qtbot) -> None:
    pane = ComparePreviews()
    qtbot.addWidget(pane)
    pane.resize(900, 520)
    pane.show()
    qtbot.waitExposed(pane)
    data = _jpeg(512)
    pane.show_row(CompareRow(Path("a.jpg")), (data, data), ("a.safetensors", "b.safetensors"))
    tall = _fits(pane)
    assert all(h > 300 for _w, h, _lw, _lh in tall), tall
    pane.resize(900, 260)  # the dialog lays out again: the labels lose height
    qtbot.waitUntil(lambda: pane.preview_a.height() < 260)
    for w, h, lw, lh in _fits(pane):
        assert h <= lh and w <= lw, (w, h, lw, lh)  # whole, not cut at the bottom
        assert h >= lh - 2, (h, lh)  # and as large as the label lets it be
