"""The two previews of Compare Two Checkpoints (`app.training.compare_dialog`): a selected row's
masks of checkpoints A and B side by side over the image (small JPEGs the compare worker made), each
under a caption in its checkpoint's colour with its F_β."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from fosp_core.analysis.compare import COLORS, CompareRow

__all__ = ["ComparePreviews", "swatch_text"]


def swatch_text(index: int, name: str) -> str:
    """Rich text: a square in checkpoint `index`'s colour (0: A, 1: B) and `name`."""
    r, g, b = COLORS[index]
    return f"<span style='color: rgb({r},{g},{b}); font-size: 14pt;'>■</span> {name}"


class ComparePreviews(QWidget):
    """Two captioned previews, A left and B right, scaled to their labels (``show_row``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview_a = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview_b = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.caption_a = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.caption_b = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for col, (caption, label) in enumerate(self.pairs()):
            label.setMinimumSize(240, 160)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            # a dark frame for the picture in either theme, its note ("no preview yet") in the dark
            # theme's hint grey: 5.7:1 on #202020 (the light theme's hint grey was 2.4:1 there)
            label.setStyleSheet("background: #202020; color: #9a9a9a;")
            caption.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(caption, 0, col)
            layout.addWidget(label, 1, col)
            layout.setColumnStretch(col, 1)
        layout.setRowStretch(1, 1)

    def pairs(self) -> tuple[tuple[QLabel, QLabel], tuple[QLabel, QLabel]]:
        """(caption, preview) of A, then of B."""
        return (self.caption_a, self.preview_a), (self.caption_b, self.preview_b)

    def clear(self) -> None:
        """Show nothing (no row selected, or one without previews)."""
        for caption, label in self.pairs():
            label.clear()
            caption.clear()

    def show_row(self, row: CompareRow, pair: tuple[bytes, bytes], names: Sequence[str]) -> None:
        """Show `row`'s previews `pair` (JPEG bytes of A's and B's) captioned with the checkpoints'
        `names` and the row's F_β of each."""
        for i, ((caption, label), data, name) in enumerate(zip(self.pairs(), pair, names, strict=True)):
            pixmap = QPixmap.fromImage(QImage.fromData(data, "JPG"))
            label.setPixmap(pixmap.scaled(label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))
            label.setToolTip(f"{name}: {row.path.name}")
            score = f" — F<sub>β</sub> {100 * row.scores[i].f_beta:.1f}" if row.scores else ""
            caption.setText(f"{swatch_text(i, 'AB'[i])}: {html.escape(name)}{score}")
