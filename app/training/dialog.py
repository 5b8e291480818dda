"""The Fine-tune dialog: retrain the current model on a labelled dataset (e.g. an Annotate ▸ Export),
watch the loss and validation curves, stop and resume, then use the new weights.

The dialog plans the run with `fosp_core.train.finetune.plan_finetune` (every mistake is caught
before anything starts and shown in the dialog) on a worker thread (`app.training.planning`: planning
imports torch, resolves the recipe and opens the dataset's images, seconds on a first start or a large
dataset), runs it in its own process
(`app.training.process.TrainingProcess`) and binds the curves to the run log. The form, its request and
the lines under it are `app.training.form.FineTuneForm`; its Device box is filled by its owner
(`app.training.device_source`), never on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.icons import icon
from app.panels import fit_to_screen
from app.theme import ERROR_COLOR
from app.training.background import Background
from app.training.curves import TrainingCurves
from app.training.form import CROPS, PACE_KEY, FineTuneForm
from app.training.log_view import LogView
from app.training.messages import (
    pace_record,
    phase_text,
    progress_text,
    start_lines,
)
from app.training.outcome import run_end, stopped_run_text, usable_weights
from app.training.planning import Planned, plan_run
from app.training.process import TrainingProcess
from app.training.runs import StoppedRun, find_stopped_run, resume_request, runs_root, stopped_run
from app.training.status_prompt import StatusPrompt
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.train.finetune import FineTunePlan, FineTuneRequest, TrainProgress, discard_plan
from fosp_core.windows_names import run_name_problem

__all__ = ["CROPS", "LAST_DATASET_KEY", "PACE_KEY", "FineTuneDialog"]

LAST_DATASET_KEY = "training/last_dataset"
OUTPUT_TAIL = 200  # process messages kept to explain a failure


class FineTuneDialog(QDialog):
    """See the module doc. `model_ready(path)` is emitted when the user takes the new weights.
    `devices`: what the Device box lists; None: "looking for devices…" until `form.set_devices`."""

    model_ready = Signal(Path)
    planned = Signal(bool)  # after Start: True the run started, False its plan was refused (the status says why)
    compare_requested = Signal(Path, Path)  # start checkpoint, fine-tuned weights

    def __init__(self, settings: QSettings, analysis: AnalysisSettings, devices: list[tuple[str, str]] | None,
                 parent: QWidget | None = None, runs_dir: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Fine-tune the Model")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.settings = settings
        self.analysis = analysis
        self.runs_dir = runs_dir
        self.extra_overrides: list[str] = []  # recipe overrides (tests, power users)
        self.plan: FineTunePlan | None = None
        self.stopped_plan: FineTunePlan | None = None  # a stopped run that Resume continues
        self.worker = TrainingProcess(self)
        self.planner = Background("finetune-planner", self)  # Start's checks, off the GUI thread
        self.planner.done.connect(self._on_planned, Qt.ConnectionType.QueuedConnection)
        self.planner.failed.connect(self._on_plan_failed, Qt.ConnectionType.QueuedConnection)
        self._planning: int | None = None  # the id of the plan Start is waiting for
        self._plan_cancel = threading.Event()  # set by Stop: the planning thread drops the plan's folder
        self._closing = False  # in closeEvent: its reject hides (`reject`)

        self.restored_dataset = str(settings.value(LAST_DATASET_KEY, "") or "")  # the last run's, from settings
        self.form = form = FineTuneForm(settings, analysis, devices, self.restored_dataset)
        form.idle = lambda: not self.worker.running() and not self.planning()  # the lines are for a run not started
        self._panel_checkpoint = form.checkpoint_edit.text()  # what "Start from" last took from the panel
        self.dataset_edit, self.checkpoint_edit, self.name_edit = form.dataset_edit, form.checkpoint_edit, form.name_edit
        self.iterations, self.lr, self.crop, self.batch = form.iterations, form.lr, form.crop, form.batch
        self.budget, self.device = form.budget, form.device
        self.dataset_button, self.checkpoint_button = form.dataset_button, form.checkpoint_button
        self.estimate, self.batch_note, self.note = form.estimate, form.batch_note, form.note

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.prompt = StatusPrompt(self.status, form)  # what Start will do, or what it still needs
        self._output: list[str] = []  # the process's last messages (why it failed)
        self._launched = 0.0  # wall time the process was started
        self._resumed_from = 0  # the iteration a resume continues from
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v / %m iterations")
        self.plots = TrainingCurves()
        self.loss_curve, self.score_curve = self.plots.loss_curve, self.plots.score_curve
        self.log_view = LogView()

        self.start_button = QPushButton(icon("fa6s.play"), "Start")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(icon("fa6s.stop"), "Stop")
        self.stop_button.setToolTip("stop after this iteration; the run's state is saved and Resume continues it")
        self.stop_button.clicked.connect(self.stop)
        self.use_button = QPushButton(icon("fa6s.check"), "Use this model")
        self.use_button.setToolTip("open the fine-tuned weights in the Model panel")
        self.use_button.clicked.connect(self.use_model)
        self.compare_button = QPushButton(icon("fa6s.code-compare"), "Compare…")
        self.compare_button.setToolTip("compare the fine-tuned weights with the start, image by image, on the open "
                                       "images")
        self.compare_button.clicked.connect(self._request_compare)
        self.new_button = QPushButton(icon("fa6s.file"), "New run")
        self.new_button.setToolTip("leave the stopped run (it stays on disk) and set up another one")
        self.new_button.clicked.connect(self.new_run)
        buttons = QDialogButtonBox()
        for button in (self.start_button, self.stop_button, self.new_button, self.compare_button, self.use_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        # no default button: Enter in a field (a number typed, a path) would start a run of many minutes (or, Close
        # made the default instead, close the dialog). GNOME HIG / Windows guidelines: a costly action is no
        # default, nor is Cancel instead. A button with focus still takes Space.
        for button in buttons.buttons():
            button.setAutoDefault(False)
            button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addWidget(self.status)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.plots, 2)
        layout.addWidget(self.log_view, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 860, 720)

        self.worker.progress.connect(self._on_progress)
        self.worker.output.connect(self.log_view.appendPlainText)
        self.worker.output.connect(self._keep_output)
        self.worker.finished.connect(self._on_finished)
        analysis.events.changed.connect(self._on_analysis_changed)
        self.destroyed.connect(lambda *_: analysis.events.changed.disconnect(self._on_analysis_changed))
        self._offer_stopped_run()
        self._update_buttons()

    # --- user actions ---------------------------------------------------------------------------
    def request(self, resume: bool = False) -> FineTuneRequest:
        """The request the form describes (a resume repeats the stopped run's own settings)."""
        if resume and self.stopped_plan is not None:
            return resume_request(self.stopped_plan.config, self.runs_dir, self.extra_overrides)
        return self.form.request(self.runs_dir, self.extra_overrides)

    def planning(self) -> bool:
        """Whether Start is checking the run (its plan is being made on the worker thread)."""
        return self._planning is not None

    def start(self) -> bool:
        """Plan the run (or resume the stopped one) on the worker thread; the run starts when the plan
        comes (`planned(True)`), a refused plan shows its reason (`planned(False)`). False when nothing
        is planned: a run going or being planned, a field empty or a run name Windows cannot hold (said)."""
        if self.worker.running() or self.planning():
            return False
        if not self.dataset_edit.text().strip() and self.stopped_plan is None:
            self._show_problem("Choose the dataset to fine-tune on (a folder with images and masks).")
            self.prompt.follow_from_here()  # filled in, the line says what Start will do
            return False
        if not self.checkpoint_edit.text().strip() and self.stopped_plan is None:  # "" would be the working folder
            self._show_problem("Choose the checkpoint to start from (a FoSp .safetensors file, e.g. the default "
                               "model or the result of an earlier fine-tune).")
            self.prompt.follow_from_here()  # filled in, the line says what Start will do
            return False
        name = self.name_edit.text().strip()
        if name and self.stopped_plan is None and (problem := run_name_problem(name)) is not None:
            self._show_problem(f"Run name {name!r}: {problem}. A run's folder must open on Windows too (runs are "
                               "copied between machines): choose another name.")
            return False  # as `fosp train name=...` refuses it (config_checks), said before any check
        resume = self.stopped_plan is not None
        self._plan_cancel = threading.Event()
        self._planning = self.planner.submit(plan_run, self.request(resume=resume), resume, self._plan_cancel)
        self.status.setStyleSheet("")
        self.status.setText("Checking the dataset and the starting checkpoint…")
        self._update_buttons()
        return True

    def _on_planned(self, call_id: int, planned: Planned) -> None:
        if call_id != self._planning:  # cancelled (Stop, or the dialog closed, while Start checked the run)
            if planned.plan is not None:  # made before the cancel reached its thread: its folder goes
                discard_plan(planned.plan)
            return
        self._planning = None
        found = stopped_run(planned.stopped) if planned.plan is None and planned.stopped is not None else None
        if found is not None:  # the name asked for is a stopped run's: offered for Resume, not refused
            self._offer(found, earlier=False)
            self._update_buttons()
            self.planned.emit(False)
            return
        if planned.plan is None:
            self._show_problem(planned.problem)
            self._update_buttons()
            self.planned.emit(False)
            return
        self._launch(planned.plan, planned.hint)
        self.planned.emit(True)

    def _on_plan_failed(self, call_id: int, error: object) -> None:
        """An unexpected failure while planning (not a refused plan): said, nothing started."""
        if call_id != self._planning:
            return
        self._planning = None
        self._show_problem(f"Could not plan the run: {str(error).strip() or type(error).__name__}")
        self._update_buttons()
        self.planned.emit(False)

    def _launch(self, plan: FineTunePlan, hint: str) -> None:
        """Start the run of `plan` (a resume when it says so); `hint`: the project hint for its log."""
        resume = plan.resume
        self.settings.setValue(LAST_DATASET_KEY, self.dataset_edit.text().strip())
        self.plan = plan
        self.progress_bar.setRange(0, plan.config.train.iterations)
        if not resume:
            self.progress_bar.setValue(0)
            self.plots.clear_curves()
            self.log_view.clear()
        for line in start_lines(plan, hint):
            self.log_view.appendPlainText(line)
        self.status.setStyleSheet("")
        self._resumed_from = self.progress_bar.value() if resume else 0
        self._launched = time.time() - 1.0  # the log's times are rounded: a start logged at once counts
        self._output.clear()
        self.status.setText(phase_text(TrainProgress(), plan.run_dir.name, resume, plan.val_images, self._launched))
        self.worker.start(plan)
        self._update_buttons()

    def stop(self) -> None:
        """Stop the run after its iteration (its state saved), or drop the plan Start is making."""
        if self.planning():
            self._plan_cancel.set()
            self.planner.cancel()
            self._planning = None
            self.status.setText("Start was stopped while the run was being checked: nothing started.")
            self._update_buttons()
            self.planned.emit(False)
            return
        if self.worker.running():
            self.status.setText("Stopping: saving the run's state…")
            self.worker.stop()
            self._update_buttons()

    def new_run(self) -> None:
        self.stopped_plan = None
        self.form.release()
        self.status.setStyleSheet("")
        self._update_buttons()
        self._follow_panel()
        self.prompt.show()

    def _offer_stopped_run(self) -> None:
        """A run stopped in an earlier session (closing the app stops it; its state is on disk) is
        offered for Resume: the form shows its settings, New run leaves it."""
        found = find_stopped_run(runs_root(self.runs_dir))
        if found is not None:
            self._offer(found)

    def _offer(self, found: StoppedRun, earlier: bool = True) -> None:
        """Hold the form for the stopped run `found`: Resume continues it, New run leaves it."""
        plan, p = found.plan, found.progress
        self.plan = self.stopped_plan = plan
        cfg = plan.config
        self.form.show_run(cfg)
        self.progress_bar.setRange(0, cfg.train.iterations)
        self._on_progress(p)
        self.log_view.appendPlainText(f"found the stopped run {plan.run_dir}")
        self.status.setStyleSheet("")
        self.status.setText(stopped_run_text(cfg.name, p, cfg.train.iterations, earlier, usable_weights(plan)))

    def _keep_output(self, line: str) -> None:
        self._output = self._output[-OUTPUT_TAIL:] + [line]

    def use_model(self) -> None:
        if (weights := usable_weights(self.plan)) is not None:  # a stopped run's best so far too
            self.analysis.set_checkpoint(weights)
            self.model_ready.emit(weights)
            self.status.setText(f"The Model panel now uses {weights}.")

    def _request_compare(self) -> None:
        if self.plan is not None and (weights := usable_weights(self.plan)) is not None:
            self.compare_requested.emit(Path(self.plan.config.model.init_from), weights)

    def _on_analysis_changed(self, name: str) -> None:
        if name == "checkpoint":
            self._follow_panel()

    def _follow_panel(self) -> None:
        """Start from the Model panel's checkpoint (e.g. the weights Use this model just opened), unless
        the user chose another one here or a run is going or stopped (the form is theirs then)."""
        if self.worker.running() or self.stopped_plan is not None:
            return
        if self.checkpoint_edit.text().strip() in ("", self._panel_checkpoint):
            self._panel_checkpoint = str(self.analysis.checkpoint or "")
            self.checkpoint_edit.setText(self._panel_checkpoint)

    # --- process events -------------------------------------------------------------------------
    def _on_progress(self, p: TrainProgress) -> None:
        self.plots.show_progress(p)
        if p.planned and p.planned != self.progress_bar.maximum():  # a time limit fitted the run's length
            self.progress_bar.setMaximum(p.planned)
        self.progress_bar.setValue(min(p.iteration, self.progress_bar.maximum()))
        if self.worker.running() and not self.worker.stopping and self.plan is not None:
            fresh = p.started_at is not None and p.started_at >= self._launched
            if fresh and p.iteration > self._resumed_from:
                self.status.setText(progress_text(p))
            else:
                self.status.setText(phase_text(p, self.plan.run_dir.name, self.plan.resume, self.plan.val_images,
                                               self._launched))

    def _on_finished(self, code: int) -> None:
        plan, reader = self.plan, self.worker.reader
        pace = reader.progress.sec_per_iter if reader else None
        if plan is not None and pace:  # what the next estimate goes by
            cfg = plan.config
            self.settings.setValue(PACE_KEY, pace_record(cfg.train.device, cfg.data.crop, cfg.train.batch_size, pace))
        end = run_end(code, plan, reader.progress if reader else None, self._output)
        self.stopped_plan = end.resumable
        if end.problem:
            self._show_problem(end.text)
        else:
            self.status.setStyleSheet("")
            self.status.setText(end.text)
        self._update_buttons()
        self._follow_panel()  # the panel may have changed while the run went on

    # --- state ----------------------------------------------------------------------------------
    def _show_problem(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};")  # the theme's error colour
        self.status.setText(text)

    def _update_buttons(self) -> None:
        running = self.worker.running() or self.planning()  # planning: the form is what is being checked
        self.start_button.setEnabled(not running)
        self.start_button.setText("Resume" if self.stopped_plan is not None else "Start")
        self.start_button.setIcon(icon("fa6s.play"))
        self.stop_button.setEnabled(running and not self.worker.stopping)
        self.use_button.setEnabled(not running and usable_weights(self.plan) is not None)
        self.compare_button.setEnabled(self.use_button.isEnabled())
        self.new_button.setVisible(self.stopped_plan is not None)
        self.new_button.setEnabled(not running)
        for widget in self.form.widgets:
            widget.setEnabled(not running and self.stopped_plan is None)
        self.form.update_notes()

    def shutdown(self) -> None:
        """Stop a running training and wait for its state to be saved (app exit); a run Start is still
        checking is dropped (nothing starts once the window is gone; its folder goes, as on Stop)."""
        if self.planning():
            self.stop()
        self.worker.wait_stopped()

    def confirm_stop(self, parent: QWidget | None = None) -> bool:
        """True when no run is going or the user agrees to stop it (asked over `parent`, else the dialog)."""
        return not self.worker.running() or QMessageBox.question(
            parent or self, "Training Is Running", "Stop the training? Its state is saved, and Resume continues it "
            "later (also after the app was closed).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.planning():  # closed while Start checked the run: nothing starts unseen
            self.stop()
        if self.worker.running():
            if not self.confirm_stop():
                event.ignore()
                return
            self.shutdown()
            self._update_buttons()
        self._closing = True  # QDialog's closeEvent rejects: that reject only hides
        try:
            super().closeEvent(event)
        finally:
            self._closing = False

    def reject(self) -> None:
        """Escape: as Close (`closeEvent`: a run going asks first), not QDialog's silent hide, after
        which the run went on unseen."""
        if self._closing:
            super().reject()
        else:
            self.close()
