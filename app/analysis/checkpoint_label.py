"""The Model panel's checkpoint name: the file's name in bold on one line, elided to the dock's width
keeping its beginning (`CheckpointLabel.shown_text`), or :data:`NO_MODEL_TEXT` wrapped without a checkpoint;
its tooltip (`checkpoint_tip`) its whole path and what a fine-tune started from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel

NO_MODEL_TEXT = "no default model — open a checkpoint"
_NAME_MIN_WIDTH = 80  # what a checkpoint's name asks of the dock's width, at least


def checkpoint_tip(path: Path | None, started_from: str = "", trained_on: str = "") -> str:
    """The name's tooltip: the whole path (the name in full); a fine-tune's start and data once it is known."""
    if path is None:
        return ""
    lines = [str(path)]
    if started_from:
        lines.append(f"fine-tuned from {started_from}" + (f" on {trained_on}" if trained_on else ""))
    return "\n".join(lines)


class CheckpointLabel(QLabel):
    """The checkpoint's file name in bold on one line, elided in the middle where the dock is
    narrower (a long name without spaces cannot wrap, and set the dock's width); without a
    checkpoint, `NO_MODEL_TEXT` wrapped. `text()` is the label's rich text either way."""

    def __init__(self) -> None:
        super().__init__(NO_MODEL_TEXT)
        self.setWordWrap(True)
        self._name = ""

    def set_name(self, name: str) -> None:
        """Show file name `name` ("" shows `NO_MODEL_TEXT`)."""
        self._name = name
        self.setWordWrap(not name)
        self.setText(f"<b>{name}</b>" if name else NO_MODEL_TEXT)

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def shown_text(self) -> str:
        """What the label shows: the name, elided to the label's width keeping its beginning (what the
        model is, a fine-tune's dataset: "finetune-my-export-2026…", not "finetu…185900.safetensors").
        ".safetensors", the usual format, gives way first (the tooltip has it); another extension stays whole
        (".pt" tells the format) and the stem is elided in the middle then."""
        if not self._name:
            return self.text()
        metrics, width = QFontMetrics(self._bold()), self.contentsRect().width()
        if metrics.horizontalAdvance(self._name) <= width:
            return self._name
        stem, dot, suffix = self._name.rpartition(".")
        if not dot or not stem:
            return metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, width)
        if suffix.lower() == "safetensors":
            return metrics.elidedText(stem, Qt.TextElideMode.ElideRight, width)
        tail = dot + suffix
        room = width - metrics.horizontalAdvance(tail)
        shown = metrics.elidedText(stem, Qt.TextElideMode.ElideMiddle, room) if room > 0 else ""
        if not shown or shown == "…":  # no room for any of the stem: the name elided as a whole
            return metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, width)
        return shown + tail

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), _NAME_MIN_WIDTH), hint.height()) if self._name else hint

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().sizeHint()
        return QSize(min(hint.width(), _NAME_MIN_WIDTH), hint.height()) if self._name else hint

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if not self._name:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setFont(self._bold())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.shown_text())
