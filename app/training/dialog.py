"""The Fine-tune dialog: retrain the current model on a labelled dataset (e.g. an Annotate ▸ Export),
watch the loss and validation curves, stop and resume, then use the new weights.

The dialog plans the run with `fosp_core.train.finetune.plan_finetune` (every mistake is caught
before anything starts and shown in the dialog), runs it in its own process
(`app.training.process.TrainingProcess`) and binds the curves to the run log.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.icons import icon
from app.panels import fit_to_screen
from app.theme import HINT_STYLE
from app.training.curves import TrainingCurves
from app.training.messages import (
    dataset_note,
    estimate_text,
    pace_record,
    phase_text,
    progress_text,
    project_hint,
    start_lines,
)
from app.training.outcome import run_end, stopped_run_text
from app.training.path_row import path_row
from app.training.process import TrainingProcess
from app.training.runs import find_stopped_run, resume_request, runs_root
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.train.finetune import (
    FineTuneError,
    FineTunePlan,
    FineTuneRequest,
    TrainProgress,
    plan_finetune,
)

LAST_DATASET_KEY = "training/last_dataset"
PACE_KEY = "training/pace"  # the last run's measured seconds an iteration (messages.pace_record)
OUTPUT_TAIL = 200  # process messages kept to explain a failure
CROPS = (128, 192, 256, 320, 384, 512)


class FineTuneDialog(QDialog):
    """See the module doc. `model_ready(path)` is emitted when the user takes the new weights."""

    model_ready = Signal(Path)
    compare_requested = Signal(Path, Path)  # start checkpoint, fine-tuned weights

    def __init__(self, settings: QSettings, analysis: AnalysisSettings, devices: list[tuple[str, str]],
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

        self.restored_dataset = str(settings.value(LAST_DATASET_KEY, "") or "")  # the last run's, from settings
        self.dataset_edit = QLineEdit(self.restored_dataset)
        self.dataset_edit.setPlaceholderText("a labelled dataset folder, e.g. an Annotate ▸ Export")
        self.dataset_button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        self.dataset_button.setToolTip("Choose the dataset folder")
        self.dataset_button.clicked.connect(self._browse_dataset)
        self.checkpoint_edit = QLineEdit(str(analysis.checkpoint or ""))
        self._panel_checkpoint = self.checkpoint_edit.text()  # what "Start from" last took from the panel
        self.checkpoint_edit.setPlaceholderText("FoSp checkpoint (.safetensors) to start from")
        self.checkpoint_button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        self.checkpoint_button.setToolTip("Choose the checkpoint to start from")
        self.checkpoint_button.clicked.connect(self._browse_checkpoint)
        self.iterations = QSpinBox(minimum=1, maximum=1_000_000, value=300, singleStep=50)
        self.iterations.setToolTip("optimiser steps; the line under the form says about how long they take")
        self.lr = QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=1e-2, singleStep=1e-5, value=1e-4)
        self.lr.setToolTip("backbone learning rate; the decoder trains at 10x (AdamW, warm-up, poly decay)")
        self.crop = QComboBox()
        for size in CROPS:
            self.crop.addItem(f"{size} px", size)
        self.crop.setCurrentIndex(CROPS.index(256))
        self.batch = QSpinBox(minimum=1, maximum=64, value=4)
        self.device = QComboBox()
        for name, label in devices:
            self.device.addItem(label, name)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("automatic (finetune-<dataset>-<time>)")

        form = QFormLayout()
        form.addRow("Dataset", path_row(self.dataset_edit, self.dataset_button, "Dataset folder",
                                        "the dataset folder"))
        form.addRow("Start from", path_row(self.checkpoint_edit, self.checkpoint_button, "Start from checkpoint",
                                           "the checkpoint to start from"))
        numbers = QHBoxLayout()
        for label, widget in (("Iterations", self.iterations), ("Learning rate", self.lr), ("Crop", self.crop),
                              ("Batch", self.batch)):
            widget.setAccessibleName(label)  # a screen reader's name for it: a row of a layout is nobody's buddy
            numbers.addWidget(QLabel(label))
            numbers.addWidget(widget)
        numbers.addStretch(1)
        form.addRow(numbers)
        form.addRow("Device", self.device)
        form.addRow("Run name", self.name_edit)
        self.form_widgets = [self.dataset_edit, self.dataset_button, self.checkpoint_edit, self.checkpoint_button,
                             self.iterations, self.lr, self.crop, self.batch, self.device, self.name_edit]

        self.status = QLabel("Choose a dataset and press Start.")
        self.status.setWordWrap(True)
        self.estimate = QLabel()  # how long the form's run takes, before it starts
        self.estimate.setWordWrap(True)
        self.estimate.setStyleSheet(HINT_STYLE)
        self.note = QLabel()  # what the chosen dataset lacks (no val split, few val images), before a start
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #e0a030;")
        self._output: list[str] = []  # the process's last messages (why it failed)
        self._launched = 0.0  # wall time the process was started
        self._resumed_from = 0  # the iteration a resume continues from
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v / %m iterations")
        self.plots = TrainingCurves()
        self.loss_curve, self.score_curve = self.plots.loss_curve, self.plots.score_curve
        self.log_view = QPlainTextEdit(readOnly=True)
        self.log_view.setAccessibleName("Training messages")
        self.log_view.setMaximumBlockCount(2000)
        self.log_view.setPlaceholderText("messages of the training process")
        self.log_view.setStyleSheet("font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt;")

        self.start_button = QPushButton(icon("fa6s.play"), "Start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(icon("fa6s.stop"), "Stop")
        self.stop_button.setToolTip("stop after this iteration; the run's state is saved and Resume continues it")
        self.stop_button.clicked.connect(self.stop)
        self.use_button = QPushButton(icon("fa6s.check"), "Use This Model")
        self.use_button.setToolTip("open the fine-tuned weights in the Model panel")
        self.use_button.clicked.connect(self.use_model)
        self.compare_button = QPushButton(icon("fa6s.code-compare"), "Compare…")
        self.compare_button.setToolTip("compare the fine-tuned weights with the start, image by image, on the open "
                                       "images")
        self.compare_button.clicked.connect(self._request_compare)
        self.new_button = QPushButton(icon("fa6s.file"), "New Run")
        self.new_button.setToolTip("leave the stopped run (it stays on disk) and set up another one")
        self.new_button.clicked.connect(self.new_run)
        buttons = QDialogButtonBox()
        for button in (self.start_button, self.stop_button, self.new_button, self.compare_button, self.use_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.estimate)
        layout.addWidget(self.note)
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
        self.dataset_edit.textChanged.connect(self._update_notes)
        for box in (self.iterations, self.batch):
            box.valueChanged.connect(self._update_notes)
        for combo in (self.crop, self.device):
            combo.currentIndexChanged.connect(self._update_notes)
        self._offer_stopped_run()
        self._update_buttons()

    # --- user actions ---------------------------------------------------------------------------
    def _browse_dataset(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Dataset to Fine-tune On", self.dataset_edit.text())
        if folder:
            self.dataset_edit.setText(folder)

    def _browse_checkpoint(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Start from Checkpoint", self.checkpoint_edit.text(),
                                              "FoSp checkpoints (*.safetensors)")
        if path:
            self.checkpoint_edit.setText(path)

    def request(self, resume: bool = False) -> FineTuneRequest:
        """The request the form describes (a resume repeats the stopped run's own settings)."""
        if resume and self.stopped_plan is not None:
            return resume_request(self.stopped_plan.config, self.runs_dir, self.extra_overrides)
        return FineTuneRequest(
            dataset=Path(self.dataset_edit.text().strip()), init_from=Path(self.checkpoint_edit.text().strip()),
            iterations=self.iterations.value(), lr=self.lr.value(), crop=int(self.crop.currentData()),
            batch_size=self.batch.value(), device=str(self.device.currentData() or "auto"),
            name=self.name_edit.text().strip(), runs_dir=self.runs_dir, overrides=list(self.extra_overrides))

    def start(self) -> bool:
        """Plan the run (or resume the stopped one) and start it; False, with the reason shown, when
        the plan is refused."""
        if self.worker.running():
            return False
        if not self.dataset_edit.text().strip() and self.stopped_plan is None:
            self._show_problem("Choose the dataset to fine-tune on (a folder with images and masks).")
            return False
        if not self.checkpoint_edit.text().strip() and self.stopped_plan is None:  # "" would be the working folder
            self._show_problem("Choose the checkpoint to start from (a FoSp .safetensors file, e.g. the default "
                               "model or the result of an earlier fine-tune).")
            return False
        resume = self.stopped_plan is not None
        try:
            plan = plan_finetune(self.request(resume=resume))
        except FineTuneError as exc:
            hint = "" if resume else project_hint(Path(self.dataset_edit.text().strip()))
            self._show_problem(f"{exc}. {hint[0].upper()}{hint[1:]}" if hint else str(exc))
            return False
        self.settings.setValue(LAST_DATASET_KEY, self.dataset_edit.text().strip())
        self.plan = plan
        self.progress_bar.setRange(0, plan.config.train.iterations)
        if not resume:
            self.progress_bar.setValue(0)
            self.plots.clear_curves()
            self.log_view.clear()
        for line in start_lines(plan, "" if resume else project_hint(Path(self.dataset_edit.text().strip()))):
            self.log_view.appendPlainText(line)
        self.status.setStyleSheet("")
        self._resumed_from = self.progress_bar.value() if resume else 0
        self._launched = time.time() - 1.0  # the log's times are rounded: a start logged at once counts
        self._output.clear()
        self.status.setText(phase_text(TrainProgress(), plan.run_dir.name, resume, plan.val_images, self._launched))
        self.worker.start(plan)
        self._update_buttons()
        return True

    def stop(self) -> None:
        if self.worker.running():
            self.status.setText("Stopping: saving the run's state…")
            self.worker.stop()
            self._update_buttons()

    def new_run(self) -> None:
        self.stopped_plan = None
        self.status.setStyleSheet("")
        self.status.setText("Choose a dataset and press Start.")
        self._update_buttons()
        self._follow_panel()

    def _offer_stopped_run(self) -> None:
        """A run stopped in an earlier session (closing the app stops it; its state is on disk) is
        offered for Resume: the form shows its settings, New Run leaves it."""
        found = find_stopped_run(runs_root(self.runs_dir))
        if found is None:
            return
        plan, p = found.plan, found.progress
        self.plan = self.stopped_plan = plan
        cfg = plan.config
        self.dataset_edit.setText(str(cfg.data.train[0].path))
        self.checkpoint_edit.setText(str(cfg.model.init_from))
        self.iterations.setValue(cfg.train.iterations)
        self.crop.setCurrentIndex(max(0, self.crop.findData(cfg.data.crop)))
        self.batch.setValue(cfg.train.batch_size)
        self.name_edit.setText(cfg.name)
        self.progress_bar.setRange(0, cfg.train.iterations)
        self._on_progress(p)
        self.log_view.appendPlainText(f"found the stopped run {plan.run_dir}")
        self.status.setText(stopped_run_text(cfg.name, p, cfg.train.iterations))

    def _update_notes(self) -> None:
        """Before a start: how long the form's run takes, and what the chosen dataset lacks."""
        idle = not self.worker.running()
        crop, device = int(self.crop.currentData()), str(self.device.currentData() or "auto")
        self.estimate.setText(estimate_text(str(self.settings.value(PACE_KEY, "") or ""), device, crop,
                                            self.batch.value(), self.iterations.value()) if idle else "")
        self.note.setText(dataset_note(self.dataset_edit.text()) if idle else "")
        self.estimate.setVisible(bool(self.estimate.text()))
        self.note.setVisible(bool(self.note.text()))

    def _keep_output(self, line: str) -> None:
        self._output = self._output[-OUTPUT_TAIL:] + [line]

    def use_model(self) -> None:
        if self.plan is not None and self.plan.model_out.is_file():
            self.analysis.set_checkpoint(self.plan.model_out)
            self.model_ready.emit(self.plan.model_out)
            self.status.setText(f"The Model panel now uses {self.plan.model_out}.")

    def _request_compare(self) -> None:
        if self.plan is not None and self.plan.model_out.is_file():
            self.compare_requested.emit(Path(self.plan.config.model.init_from), self.plan.model_out)

    def _on_analysis_changed(self, name: str) -> None:
        if name == "checkpoint":
            self._follow_panel()

    def _follow_panel(self) -> None:
        """Start from the Model panel's checkpoint (e.g. the weights Use This Model just opened), unless
        the user chose another one here or a run is going or stopped (the form is theirs then)."""
        if self.worker.running() or self.stopped_plan is not None:
            return
        if self.checkpoint_edit.text().strip() in ("", self._panel_checkpoint):
            self._panel_checkpoint = str(self.analysis.checkpoint or "")
            self.checkpoint_edit.setText(self._panel_checkpoint)

    # --- process events -------------------------------------------------------------------------
    def _on_progress(self, p: TrainProgress) -> None:
        self.plots.show_progress(p)
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
        self.status.setStyleSheet("color: #ff6b6b;")
        self.status.setText(text)

    def _update_buttons(self) -> None:
        running = self.worker.running()
        self.start_button.setEnabled(not running)
        self.start_button.setText("Resume" if self.stopped_plan is not None else "Start")
        self.start_button.setIcon(icon("fa6s.play"))
        self.stop_button.setEnabled(running and not self.worker.stopping)
        self.use_button.setEnabled(not running and self.plan is not None and self.plan.model_out.is_file())
        self.compare_button.setEnabled(self.use_button.isEnabled())
        self.new_button.setVisible(self.stopped_plan is not None)
        self.new_button.setEnabled(not running)
        for widget in self.form_widgets:
            widget.setEnabled(not running and self.stopped_plan is None)
        self._update_notes()

    def shutdown(self) -> None:
        """Stop a running training and wait for its state to be saved (app exit)."""
        self.worker.wait_stopped()

    def confirm_stop(self, parent: QWidget | None = None) -> bool:
        """True when no run is going or the user agrees to stop it (asked over `parent`, else the dialog)."""
        return not self.worker.running() or QMessageBox.question(
            parent or self, "Training Is Running", "Stop the training? Its state is saved, and Resume continues it "
            "later (also after the app was closed).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.worker.running():
            if not self.confirm_stop():
                event.ignore()
                return
            self.shutdown()
            self._update_buttons()
        super().closeEvent(event)
