"""The window closed while an image export runs (`app.annotation.export_dialog.ExportDialog`): asked first, as for a
running fine-tune (`app.training.TrainingUI.eventFilter`), No keeping both going; once the close goes on, the
export is stopped after the image being written and waited for (`ExportDialog.stop_and_wait`, from
`app.annotation.AnnotationUI.close`) before the projects it reads close: `CLOSE_WAIT_S` (2 s) at most, then one whose
image write a disk that does not answer holds is left to its thread (it only reads the projects, readable once
closed) and stops once that disk answers; the app quits without waiting for it (`app.annotation.export_worker.
quit_leaving_exports`: Qt's pool would hold the process), naming the export abandoned. The destination is left as
it was: the
writer writes beside it and moves the whole dataset into place only at its end (`fosp_core.data.smokeseg`).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["STOP_QUESTION", "ExportCloseGuard", "confirm_stop"]

#: the question a close of the window asks while an export runs (title, text)
STOP_QUESTION = ("Export Is Running", "Stop the export? The destination is left as it was: the dataset is "
                 "written beside it and moved into place only once it is complete.")


class _Exporting(Protocol):
    @property
    def exporting(self) -> bool: ...


def confirm_stop(exporting: bool, parent: QWidget | None) -> bool:
    """True when no export runs (`exporting` False) or the user agrees to stop it (asked over `parent`)."""
    return not exporting or QMessageBox.question(
        parent, *STOP_QUESTION, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    ) == QMessageBox.StandardButton.Yes


class ExportCloseGuard(QObject):
    """Watches `window`'s close for `dialog` (its child: gone with it): while `dialog.exporting`, a close of the
    shown window asks first (`confirm_stop`); No ignores the close. Stops nothing itself: the close, once it goes
    on, does (module doc)."""

    def __init__(self, dialog: QObject, window: QWidget) -> None:
        super().__init__(dialog)
        self._dialog: _Exporting = dialog  # type: ignore[assignment] - an ExportDialog
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (watched is self._window and event.type() == QEvent.Type.Close and self._window.isVisible()
                and not confirm_stop(self._dialog.exporting, self._window)):
            event.ignore()
            return True
        return False
