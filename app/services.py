"""What a main window needs from outside: settings, an error reporter, a worker-thread count.

Tests build windows with their own :class:`Services` (isolated QSettings, a recording reporter)
instead of monkeypatching; ``--screenshot`` uses a reporter that collects errors for the exit code.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from fosp_core.paths import find_model
from fosp_core.session import OpenError

ORGANIZATION = "FoSp"
APPLICATION = "FoSp Studio"
_MAX_LISTED = 12  # errors spelled out in the dialog text; all of them go to "Show Details"


class ErrorReporter(Protocol):
    """Tells the user that some things could not be opened. Must not block."""

    def report(self, parent: QWidget | None, errors: Sequence[OpenError]) -> None: ...


class DialogErrorReporter:
    """Shows open errors in one non-modal message box; errors arriving while it is open are
    appended to it instead of stacking new dialogs."""

    def __init__(self) -> None:
        self.dialog: QMessageBox | None = None
        self._errors: list[OpenError] = []

    def report(self, parent: QWidget | None, errors: Sequence[OpenError]) -> None:
        if not errors:
            return
        if self.dialog is None or not self.dialog.isVisible():
            self._errors = []
            self.dialog = QMessageBox(QMessageBox.Icon.Warning, APPLICATION, "", QMessageBox.StandardButton.Ok,
                                      parent)
            self.dialog.setWindowModality(Qt.WindowModality.NonModal)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._errors.extend(errors)
        count = len(self._errors)
        self.dialog.setText(f"Could not open {count} {'item' if count == 1 else 'items'}.")
        listed = "<br>".join(
            f"<b>{html.escape(e.path.name)}</b>: {html.escape(e.reason)}" for e in self._errors[:_MAX_LISTED]
        )
        if count > _MAX_LISTED:
            listed += f"<br>… and {count - _MAX_LISTED} more (see Show Details)."
        self.dialog.setInformativeText(listed)
        self.dialog.setDetailedText("\n".join(f"{e.path}: {e.reason}" for e in self._errors))
        self.dialog.show()


@dataclass
class CollectingErrorReporter:
    """Keeps the errors instead of showing them (``--screenshot``, tests)."""

    errors: list[OpenError] = field(default_factory=list)

    def report(self, parent: QWidget | None, errors: Sequence[OpenError]) -> None:
        self.errors.extend(errors)


@dataclass
class Services:
    """Everything a :class:`~app.main_window.MainWindow` takes from its surroundings."""

    settings: QSettings
    error_reporter: ErrorReporter
    loader_threads: int = 2
    #: weights the Model panel and the video view preselect (None: "no default model")
    default_model: Path | None = None

    @classmethod
    def default(cls) -> Services:
        """The user's settings and dialogs and the installed default model, as the app uses them."""
        return cls(settings=QSettings(ORGANIZATION, APPLICATION), error_reporter=DialogErrorReporter(),
                   default_model=find_model())
