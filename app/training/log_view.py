"""The Fine-tune dialog's training messages: a read-only monospace box at the application font's
size. It names only the font's family (and the monospace hint), so the size is the dialog's, which
Qt takes from the application font and changes with it; a style sheet's fixed 9 pt did not follow a
14 pt application font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

__all__ = ["LogView", "monospace_family"]

MAX_LINES = 2000


def monospace_family() -> QFont:
    """A font that sets only a monospace family (DejaVu Sans Mono, else the system's fixed font):
    its size, weight and the rest come from the widget's parent."""
    font = QFont()
    font.setFamilies(["DejaVu Sans Mono", QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family(),
                      "monospace"])
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    return font


class LogView(QPlainTextEdit):
    """See the module doc: the messages of the training process, the last `MAX_LINES` kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAccessibleName("Training messages")
        self.setMaximumBlockCount(MAX_LINES)
        self.setPlaceholderText("messages of the training process")
        self.setFont(monospace_family())
