"""What went wrong in the analysis view, said in the Model panel and in one non-modal dialog whose
messages accumulate (the last eight shown); :class:`ErrorReport` keeps every message (`errors`)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.analysis.model_panel import ModelPanel

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
        self._lines: list[str] = []  # the open dialog's

    def report(self, message: str) -> None:
        """Say `message` in the panel and add it to the dialog (a new one when none is open)."""
        self.errors.append(message)
        self.panel.show_status(message, error=True)
        if self.dialog is None or not self.dialog.isVisible():
            self.dialog = QMessageBox(QMessageBox.Icon.Warning, "FoSp Studio — analysis", "",
                                      QMessageBox.StandardButton.Ok, self.parent)
            self.dialog.setWindowModality(Qt.WindowModality.NonModal)
            self._lines = []
        self._lines.append(message)
        self.dialog.setText("<br>".join(html.escape(m) for m in self._lines[-SHOWN_LINES:]))
        self.dialog.show()
