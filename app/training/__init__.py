"""Retraining from the app: Analysis ▸ Fine-tune on a Dataset… (`app.training.dialog`) and
Analysis ▸ Compare Two Checkpoints… (`app.training.compare_dialog`).

`TrainingUI(window)` adds the actions and owns the (non-modal) dialogs; the fine-tune dialog hands
finished weights to the analysis view's model settings, so the Model panel opens them like any
checkpoint, and its Compare… button opens the comparison of the start and the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.icons import icon
from app.training.compare_dialog import CompareDialog
from app.training.device_source import DeviceFollower
from app.training.dialog import FineTuneDialog

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["TrainingUI"]


class TrainingUI(QObject):
    """The Fine-tune action and dialog of a main window (which has `.analysis` and `.services`).
    Closing the window while a fine-tune runs asks first (the run stops, its state saved)."""

    def __init__(self, window: QMainWindow, runs_dir: str = "") -> None:
        super().__init__(window)
        self.window = window
        self.runs_dir = runs_dir
        self.dialog: FineTuneDialog | None = None
        self.compare_dialog: CompareDialog | None = None
        self._offered_export = ""  # the export folder last filled in as the dataset
        self.action = QAction(icon("fa6s.graduation-cap"), "&Fine-tune on a Dataset…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.action.setStatusTip("Retrain the model on a labelled dataset, e.g. an Annotate ▸ Export")
        self.action.triggered.connect(self.open_dialog)
        window.addAction(self.action)
        self.compare_action = QAction(icon("fa6s.code-compare"), "&Compare Two Checkpoints…", window)
        self.compare_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.compare_action.setStatusTip("Run two checkpoints on the open images and compare them image by image")
        self.compare_action.triggered.connect(lambda: self.open_compare())
        window.addAction(self.compare_action)
        window.installEventFilter(self)
        menu = getattr(window.analysis, "menu", None)
        if menu is not None:
            menu.insertAction(window.analysis.action_export_grid, self.action)
            menu.insertAction(window.analysis.action_export_grid, self.compare_action)

    def open_dialog(self) -> FineTuneDialog:
        if self.dialog is None:
            self.dialog = FineTuneDialog(self.window.services.settings, self.window.analysis.settings,
                                         None, self.window, runs_dir=self.runs_dir)
            # the Model panel's list, or its inference thread's when it comes: never listed on this thread
            DeviceFollower(self.window.analysis, self.dialog.form.set_devices, self.dialog)
            self.dialog.compare_requested.connect(self.open_compare)
        self._offer_export(self.dialog)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _offer_export(self, dialog: FineTuneDialog) -> None:
        """The dataset just exported (Annotate ▸ Export to SmokeSeg… in this session) is what the next
        fine-tune trains on: fill it in, unless the user typed another folder or a run holds the form."""
        export = getattr(getattr(self.window.annotation, "export_dialog", None), "report", None)
        dst = str(getattr(export, "dst", "") or "")
        if not dst or dialog.worker.running() or dialog.stopped_plan is not None:
            return
        current = dialog.dataset_edit.text().strip()
        if current in ("", dialog.restored_dataset, self._offered_export):
            dialog.dataset_edit.setText(dst)
            self._offered_export = dst

    def open_compare(self, a: Path | None = None, b: Path | None = None) -> CompareDialog:
        """Show the comparison dialog, with checkpoints `a` and `b` filled in when given."""
        reopened = self.compare_dialog is not None
        if self.compare_dialog is None:  # its constructor counts the images open: once at the first opening
            analysis = self.window.analysis
            worker = getattr(analysis, "worker", None)
            self.compare_dialog = CompareDialog(self.window.services.settings, analysis.settings,
                                                lambda: self.window.session.paths, self.window,
                                                input_size=getattr(worker, "input_size", 512),
                                                projects=self._project_of, project_pass=self._project_pass)
            self.compare_dialog.image_chosen.connect(self._show_image)
        self.compare_dialog.set_checkpoints(a, b)
        if reopened:  # images opened or annotated since it was last shown: counted again
            self.compare_dialog.refresh()
        self.compare_dialog.show()
        self.compare_dialog.raise_()
        self.compare_dialog.activateWindow()
        return self.compare_dialog

    def _project_of(self, path: Path) -> tuple[Project, str] | None:
        """(annotation project, image id) of an open image, or None: its masks a person reviewed or
        edited are Compare's ground truth where the image has no dataset label."""
        return self.window.annotation.controller.registry.lookup(path)

    def _project_pass(self) -> Callable[[Path], tuple[Project, str] | None]:
        """:meth:`_project_of` for one pass over the open images (Compare's refresh, its start): each
        folder resolved once for the pass, not once per image (`ProjectRegistry.lookup_pass`)."""
        return self.window.annotation.controller.registry.lookup_pass()

    def _show_image(self, path: Path) -> None:
        session = self.window.session
        index = session.index_of(path)
        if index < 0:
            self.window.statusBar().showMessage(f"{path.name} is no longer open", 4000)
            return
        session.set_current(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """A close of the shown window while a fine-tune runs: ask first; No keeps both going."""
        if (watched is self.window and event.type() == QEvent.Type.Close and self.window.isVisible()
                and self.dialog is not None and not self.dialog.confirm_stop(self.window)):
            event.ignore()
            return True
        return False

    def shutdown(self) -> None:
        """Stop a running fine-tune (its state is saved) and a comparison before the window goes."""
        if self.dialog is not None:
            self.dialog.shutdown()
        if self.compare_dialog is not None:
            self.compare_dialog.shutdown()
