"""What the image Export dialog (`app.annotation.export_dialog.ExportDialog`) says under its options of an export's
end: a failure (the reason in red, the destination box outlined, until it is edited or Export is pressed again), a
cancel (`cancelled_words`, or in the window's status bar once the dialog is closed), and an export that went well
but left images out for a problem or removed a dead export's copy (`export_summary`, with Close): any other closes
the dialog, the window's status bar then saying the summary. Split out of the dialog, which holds the state
(``error``, ``worker``, ``report``) and the widgets these look at."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QDialogButtonBox, QLabel

from app.annotation.export_words import cancelled_words, export_summary
from app.theme import ERROR_COLOR
from fosp_core.annotation.export import ExportReport

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLineEdit, QProgressBar, QWidget

    from fosp_core.data.smokeseg_debris import DeadExport

__all__ = ["ExportOutcome", "OutcomeDialog", "TITLE"]

#: the dialog's title while nothing has ended (a failure, a finished export with something to say change it)
TITLE = "Export to SmokeSeg"


class OutcomeDialog(Protocol):
    """What an end changes of the Export dialog (`app.annotation.export_dialog.ExportDialog`), named here so that
    this module does not import the dialog that imports it."""

    worker: object | None
    report: ExportReport | None
    cleaned: list[DeadExport]
    running_dst: Path | None
    error: str | None
    dst: QLineEdit
    progress: QProgressBar
    buttons: QDialogButtonBox
    exported: SignalInstance

    def accept(self) -> None: ...
    def setWindowTitle(self, title: str) -> None: ...  # noqa: N802 - Qt's name
    def parentWidget(self) -> QWidget | None: ...  # noqa: N802 - Qt's name
    def isVisible(self) -> bool: ...  # noqa: N802 - Qt's name


class ExportOutcome:
    """The dialog's `error_label` (why the last export failed, in words its user can act on) and `result_label`
    (what an export that went well, or was cancelled, has to say), and what an end does to the dialog."""

    def __init__(self, dialog: OutcomeDialog) -> None:
        self.dialog = dialog
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error_label.setVisible(False)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setVisible(False)

    def finished(self, report: ExportReport) -> None:
        """The export ended well: the dialog accepted (closed), unless images were left out for a problem (a file
        renamed or changed since it was labelled, an unreadable mask) or a dead export's copy was removed: said
        here, where the user looks, not only in the status bar's passing line (the app sets up no logging: the
        writer's warning reaches nobody); done, so Close, no Export."""
        dialog = self.dialog
        dialog.report, dialog.worker = report, None
        dialog.exported.emit(report)
        if not report.problems and not report.cleaned:
            dialog.accept()
            return
        dialog.progress.setVisible(False)
        count = len(report.problems)
        if count:
            dialog.setWindowTitle(f"{TITLE} - done, {count} image{'' if count == 1 else 's'} not exported")
        else:
            dialog.setWindowTitle(f"{TITLE} - done")
        said = self.error_label if count else self.result_label
        said.setText(export_summary(report))
        said.setVisible(True)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")

    def cancelled(self) -> None:
        """The export was cancelled (or forgotten while its destination was checked): Export offered again, and
        `cancelled_words` said in the window's status bar (Cancel closed the dialog), or under the options while
        the dialog is still shown."""
        dialog = self.dialog
        dialog.worker = None
        dialog.progress.setVisible(False)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        words = cancelled_words(dialog.running_dst, dialog.cleaned)
        status_bar = getattr(dialog.parentWidget(), "statusBar", None)
        if not dialog.isVisible() and callable(status_bar):
            status_bar().showMessage(words, 12000)
            return
        self.result_label.setText(words)
        self.result_label.setVisible(True)

    def failed(self, message: str) -> None:
        """The export (or its destination's check) failed: `message` under the options, in the title's and the
        destination box's outline, Export offered again."""
        dialog = self.dialog
        dialog.error, dialog.worker = message, None
        dialog.progress.setVisible(False)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        dialog.setWindowTitle(f"{TITLE} - failed")
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        dialog.dst.setToolTip(message)
        dialog.dst.setStyleSheet(f"border: 1px solid {ERROR_COLOR};")

    def clear_error(self) -> None:
        """Drop the last failure's reason, red outline and title (a retry or another destination)."""
        dialog = self.dialog
        if dialog.error is None:
            return
        dialog.error = None
        dialog.setWindowTitle(TITLE)
        self.error_label.clear()
        self.error_label.setVisible(False)
        dialog.dst.setToolTip("")
        dialog.dst.setStyleSheet("")
