"""ContrastStyle's hot path: the palette it lends Fusion is built once per widget palette, not per paint."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.control_style import ContrastStyle
from app.theme import dark_palette


def test_lent_palette_is_built_once_per_palette_and_kept_across_paints(qtbot) -> None:  # noqa: ANN001
    app = QApplication.instance()
    old_style, old_palette = app.style().name(), app.palette()
    style = ContrastStyle()
    app.setStyle(style)
    app.setPalette(dark_palette())
    try:
        box = QWidget()
        layout = QVBoxLayout(box)
        for widget in (QLineEdit("text"), QPushButton("Run"), QCheckBox("Show")):
            layout.addWidget(widget)
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        box.grab()
        lent = dict(style._lent)
        assert lent, "no outlined control was drawn"
        for _ in range(3):
            box.grab()
        assert style._lent.keys() == lent.keys()  # no palette built for a repaint
        assert all(style._lent[key] is palette for key, palette in lent.items())
    finally:
        app.setStyle(old_style)
        app.setPalette(old_palette)
