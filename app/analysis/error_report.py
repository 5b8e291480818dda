"""What went wrong in the analysis view, said in the Model panel and in one non-modal dialog whose
messages accumulate (the last eight shown; a message's details, after :data:`~app.analysis.load_words.
DETAILS`, under Show Details…); :class:`ErrorReport` keeps every message whole (`errors`)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.analysis.load_words import DETAILS, headline
from app.analysis.model_panel import ModelPanel, PanelStatus
from app.quiet_notice import show_quietly

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["ErrorReport"]

SHOWN_LINES = 8  # the dialog's last messages


class ErrorReport:
    """See the module doc. `dialog`: the dialog last opened (None before the first error)."""

    def __init__(self, parent: AppWindow, panel: ModelPanel) -> None:
        self.parent = parent
        self.panel = panel
        self.errors: list[str] = []
        self.dialog: QMessageBox | None = None
        self._lines: list[str] = []  # the open dialog's headlines
        self._details: list[str] = []  # and their details (Show Details…)

    def report(self, message: str, kind: PanelStatus = PanelStatus.NOTICE) -> None:
        """Say `message` in the panel (a status of `kind`: a failure stays after a run) and add it to
        the dialog (a new one when none is open)."""
        self.errors.append(message)
        self.panel.show_status(headline(message), kind=kind)  # the details: in the dialog's Show Details…
        if self.dialog is None or not self.dialog.isVisible():
            self.dialog = QMessageBox(QMessageBox.Icon.Warning, "FoSp Studio — analysis", "",
                                      QMessageBox.StandardButton.Ok, self.parent)
            self.dialog.setWindowModality(Qt.WindowModality.NonModal)
            self._lines, self._details = [], []
        self._lines.append(headline(message))
        if message != headline(message):
            self._details.append(message[len(headline(message)) + len(DETAILS):])
            self.dialog.setDetailedText("\n\n".join(self._details[-SHOWN_LINES:]))
        self.dialog.setText("<br>".join(html.escape(m) for m in self._lines[-SHOWN_LINES:]))
        show_quietly(self.dialog)  # a failure of a run in the background: the keys stay the window's
