"""Fine-tuning from the app: Analysis ▸ Fine-tune on a Dataset… (see `app.training.dialog`).

`TrainingUI(window)` adds the action and owns the (non-modal) dialog; the dialog hands finished
weights to the analysis view's model settings, so the Model panel opens them like any checkpoint.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.icons import icon
from app.training.dialog import FineTuneDialog
from fosp_core.analysis.settings import device_choices

__all__ = ["TrainingUI"]


class TrainingUI:
    """The Fine-tune action and dialog of a main window (which has `.analysis` and `.services`)."""

    def __init__(self, window: QMainWindow, runs_dir: str = "") -> None:
        self.window = window
        self.runs_dir = runs_dir
        self.dialog: FineTuneDialog | None = None
        self.action = QAction(icon("fa6s.graduation-cap"), "&Fine-tune on a Dataset…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.action.setStatusTip("Retrain the model on a labelled dataset, e.g. an Annotate ▸ Export")
        self.action.triggered.connect(self.open_dialog)
        window.addAction(self.action)
        menu = getattr(window.analysis, "menu", None)
        if menu is not None:
            menu.insertAction(window.analysis.action_export_grid, self.action)

    def open_dialog(self) -> FineTuneDialog:
        if self.dialog is None:
            self.dialog = FineTuneDialog(self.window.services.settings, self.window.analysis.settings,
                                         device_choices(), self.window, runs_dir=self.runs_dir)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def shutdown(self) -> None:
        """Stop a running fine-tune (its state is saved) before the window goes."""
        if self.dialog is not None:
            self.dialog.shutdown()
