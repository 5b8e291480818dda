"""Mask annotation in the main window: tools on the canvas, projects, worklist, import and export.

`AnnotationUI(window)` builds everything and attaches it to a `MainWindow` (a few lines there):
the controller (`controller.AnnotationController`), the actions and the Annotate menu, the
Annotate dock and the Worklist dock. The analysis view hands model probabilities over with
``window.annotation.controller.set_probability(image_path, prob)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from app.annotation.actions import AnnotationActions
from app.annotation.controller import AnnotationController
from app.annotation.export_dialog import ExportDialog, export_summary
from app.annotation.home_end import go_to_end
from app.annotation.import_labels_dialog import ask_label_source, ask_smoke_labels, start_folder
from app.annotation.label_import import LabelImports
from app.annotation.shortcuts import ShortcutDialog, ShortcutMap
from app.annotation.tool_dock import ToolDock
from app.annotation.worklist_panel import WorklistPanel
from app.canvas import Canvas
from app.services import Services
from app.shortcuts_number_boxes import NumberBoxKeysPass
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import ExportReport
from fosp_core.io.long_names import fit_name
from fosp_core.session import ImageSession

__all__ = ["AnnotationUI"]

_TOOL_SETTINGS = "annotation/tools/"  # + radius, tolerance, opacity, outline: kept between sessions
_WORKLIST_SETTINGS = "annotation/worklist/"  # + show, sort: kept between sessions


def _take_away(window: QMainWindow, text: str) -> None:
    """The status bar's message goes while it is still `text` (`AnnotationController.withdrawn`)."""
    if window.statusBar().currentMessage() == text:
        window.statusBar().clearMessage()


class AnnotationUI:
    """Everything annotation adds to a main window (see module doc)."""

    def __init__(self, window: QMainWindow, canvas: Canvas, session: ImageSession, services: Services) -> None:
        self.window = window
        self.services = services
        self.shortcuts = ShortcutMap(services.settings)
        self.controller = AnnotationController(canvas, session, window)
        self.actions = AnnotationActions(window, self.controller, self.shortcuts)
        self.number_keys = NumberBoxKeysPass(canvas)  # B, ], M in a focused number box: the shortcuts'
        self.tool_dock = ToolDock(self.actions, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.tool_dock)
        self.worklist = WorklistPanel(self.controller, window)
        self.worklist_dock = QDockWidget("Worklist", window)
        self.worklist_dock.setObjectName("worklist_dock")
        self.worklist_dock.setWidget(self.worklist)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.worklist_dock)
        self.export_dialog: ExportDialog | None = None
        self.imports = LabelImports(  # Import Labels on a worker; ask_smoke_labels looked up when asked
            window, self.controller, lambda source, labels: ask_smoke_labels(window, source, labels),
            lambda errors: services.error_reporter.report(window, errors), self.worklist.refresh)
        self._restore_tool_settings()  # after the dock and the actions: they follow the state
        self._restore_worklist_choice()

        bar = window.menuBar()
        menus = [a for a in bar.actions() if a.menu() is not None]
        self.menu = bar.addMenu("&Annotate")
        if menus:  # before Help
            bar.insertMenu(menus[-1], self.menu)
        self.actions.build_menu(self.menu)
        self.menu.addAction(self.tool_dock.toggleViewAction())
        self.menu.addAction(self.worklist_dock.toggleViewAction())

        a = self.actions
        a.next_unreviewed.triggered.connect(lambda: self.worklist.step_unreviewed(1))
        a.previous_unreviewed.triggered.connect(lambda: self.worklist.step_unreviewed(-1))
        a.first_image.triggered.connect(lambda: go_to_end(self.worklist, window.session, last=False))  # Home
        a.last_image.triggered.connect(lambda: go_to_end(self.worklist, window.session, last=True))  # End
        a.import_labels.triggered.connect(self.import_labels_dialog)
        a.export.triggered.connect(self.open_export_dialog)
        a.take_over.triggered.connect(self.take_over)
        a.shortcut_settings.triggered.connect(lambda: ShortcutDialog(self.shortcuts, window).exec())
        self.controller.message.connect(lambda text, ms: window.statusBar().showMessage(text, ms))
        self.controller.withdrawn.connect(lambda text: _take_away(window, text))  # said of the image left
        self.controller.problem.connect(lambda errors: services.error_reporter.report(window, errors))
        save_status = self.controller.save_status  # failed saves: told once, then counted
        window.statusBar().insertPermanentWidget(0, save_status.indicator)
        save_status.reported.connect(lambda problem: services.error_reporter.report_save_problem(window, problem))
        save_status.updated.connect(lambda problem: services.error_reporter.update_save_problem(window, problem))
        save_status.lost.connect(lambda lost: services.error_reporter.report_lost_edits(window, lost))

    def _restore_tool_settings(self) -> None:
        """The brush radius, wand tolerance, mask opacity and outline of the last session (the tool
        itself starts as Navigate); every later change is stored."""
        state, settings = self.controller.state, self.services.settings
        setters = {"radius": state.set_radius, "tolerance": state.set_tolerance, "opacity": state.set_opacity}
        for name, setter in setters.items():
            value = settings.value(_TOOL_SETTINGS + name)
            try:
                if value is not None:
                    setter(float(value))
            except (TypeError, ValueError):
                pass  # a hand-edited settings file: keep the default
        outline = settings.value(_TOOL_SETTINGS + "outline")
        if outline is not None:
            state.set_outline(str(outline).lower() in ("true", "1"))

        def store(name: str) -> None:
            if name in ("radius", "tolerance", "opacity", "outline"):
                settings.setValue(_TOOL_SETTINGS + name, getattr(state, name))

        state.changed.connect(store)

    def _restore_worklist_choice(self) -> None:
        """The worklist's Show and Sort by of the last session (N follows its order); every later
        choice is stored."""
        settings, worklist = self.services.settings, self.worklist
        worklist.restore(str(settings.value(_WORKLIST_SETTINGS + "show", "")),
                         str(settings.value(_WORKLIST_SETTINGS + "sort", "")))

        def store() -> None:
            show, sort = worklist.choice()
            settings.setValue(_WORKLIST_SETTINGS + "show", show)
            settings.setValue(_WORKLIST_SETTINGS + "sort", sort)

        worklist.filter.currentIndexChanged.connect(lambda _index: store())
        worklist.sort.currentIndexChanged.connect(lambda _index: store())

    def open_paths(self, paths: Sequence[str | Path]) -> None:
        """Create or reopen the annotation projects of what the user opened."""
        self.controller.open_projects(list(paths))

    def take_over(self) -> None:
        """Annotate ▸ Take Over…: the shown read-only project taken from its lock's holder where the
        user says so (`LockPrompt.take_over_later`), its documents reopened."""
        controller = self.controller
        opened = controller.lock_prompt.take_over_later(controller.project)
        if opened is not None:
            controller.adopt_projects([opened])
            controller.reload_documents()

    def import_labels(self, source: Path | None, labels: Sequence[str] | None = None,
                      status: Status = Status.EDITED) -> int:
        """Import labels from `source` (None: the dataset's own; a folder of masks, a dataset, a
        labelme folder or file, a COCO .json, a CVAT .xml) into the current project and wait for it
        (the window's events going on; scripts and tests): the number of masks imported. The import
        runs on a worker as the menu's does (`start_import`); `status`: of the masks (EDITED: made by
        people, PREDICTED: a model's predictions)."""
        if not self.start_import(source, labels, status):
            return 0
        report = self.imports.wait()
        return 0 if report is None else len(report.imported)

    def start_import(self, source: Path | None, labels: Sequence[str] | None = None,
                     status: Status = Status.EDITED) -> bool:
        """Start importing `source` into the current project on a worker, with a progress dialog and
        Cancel (`app.annotation.label_import.LabelImports`): a labelme/COCO/CVAT source whose smoke
        labels cannot be told asks which they are (`labels`: chosen already), one that cannot be read
        is reported, nothing imported; at the end the documents are reloaded and the status bar says
        what was imported. False when it cannot start (no project, another import running)."""
        project = self.worklist.project
        if project is None:
            self.window.statusBar().showMessage("Open a folder or dataset first", 4000)
            return False
        return self.imports.start(project, source, labels, status)

    def import_labels_dialog(self) -> None:
        """Annotate ▸ Import Labels…: a folder or a labels file and who made its labels
        (`LabelSourceDialog`), then imported on a worker (`start_import`)."""
        project = self.worklist.project
        if self.imports.job is not None:  # refused before asking for a source
            self.start_import(None)
            return
        start = "" if project is None else start_folder(project)  # a dataset: itself, its labels offered
        choice = ask_label_source(self.window, start)
        if choice is not None:
            self.start_import(choice.source, status=choice.status)

    def open_export_dialog(self) -> ExportDialog | None:
        """Show the export dialog (non-modal) for the current project."""
        project = self.worklist.project
        if project is None:
            self.window.statusBar().showMessage("Open a folder or dataset first", 4000)
            return None
        previous = self.export_dialog  # a child of the window: deleted here, else one more per export
        if previous is not None and previous.worker is None and previous.isVisible() and previous.project is project:
            previous.raise_()  # still open, not exporting: what was typed and ticked in it stays
            previous.activateWindow()
            return previous
        if previous is not None:
            if previous.worker is None:
                previous.deleteLater()
            elif previous.isVisible():  # still exporting: deleted once it closes
                previous.finished.connect(previous.deleteLater)
            else:  # closed by Cancel, its export stopping after the image being written: once it stops
                worker = previous.worker
                for ended in (worker.signals.finished, worker.signals.failed, worker.signals.cancelled):
                    ended.connect(previous.deleteLater)
                if worker.ended.is_set():  # its end emitted already, on its way here (handled before the
                    previous.deleteLater()  # deletion, posted after it): the connections just made missed it
        # beside the images; its free name (in the home folder when the project's may not be written) is
        # probed off the GUI thread: app.annotation.free_folder
        beside = project.images_root.parent / fit_name(project.images_root.name, "-smokeseg")  # a long name: cut
        dialog = ExportDialog(project, beside, self.window, suggest_free=True)
        dialog.exported.connect(self._on_exported)
        self.export_dialog = dialog
        dialog.show()
        return dialog

    def _on_exported(self, report: ExportReport) -> None:
        self.window.statusBar().showMessage(export_summary(report), 12000)

    def close(self) -> None:
        """The window closes: a running import is cancelled (after the mask being written), a running export
        too (after the image being written, its destination left as it was: the close asked first,
        `app.annotation.export_close`), each waited for; then the controller saves and closes the projects."""
        self.imports.close()
        for dialog in self.window.findChildren(ExportDialog):  # a Cancel's export may still be stopping
            dialog.stop_and_wait()
        self.controller.close()
