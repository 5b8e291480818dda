"""The Fine-tune dialog: retrain the current model on a labelled dataset (e.g. an Annotate ▸ Export),
watch the loss and validation curves, stop and resume, then use the new weights.

The dialog plans the run with `fosp_core.train.finetune.plan_finetune` (every mistake is caught
before anything starts and shown in the dialog), runs it in its own process
(`app.training.process.TrainingProcess`) and binds the curves to the run log.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
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
from app.training.process import TrainingProcess
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.train.finetune import (
    FineTuneError,
    FineTunePlan,
    FineTuneRequest,
    TrainProgress,
    plan_finetune,
)
from fosp_core.train.progress import format_duration

LAST_DATASET_KEY = "training/last_dataset"
LOSS_COLOR = "#e2782a"
SCORE_COLOR = "#4fc3f7"
CROPS = (128, 192, 256, 320, 384, 512)


def project_hint(folder: Path) -> str:
    """Where the labels are when `folder` is a folder of images labelled in the app (its masks live in
    its annotation project) or that project's own folder: neither is a dataset until exported. "" else."""
    from fosp_core.annotation.project import PROJECT_FILE, default_location

    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return ""
    if (folder / PROJECT_FILE).is_file():
        where = f"{folder} is an annotation project (the app's working copy of the masks), not a dataset"
    elif (default_location(folder) / PROJECT_FILE).is_file():
        where = f"the masks made in the app for {folder.name} are in its annotation project"
    else:
        return ""
    return (f"{where}: open the images in the app and export them with Annotate ▸ Export to SmokeSeg…, "
            "then choose the export folder here.")


def path_row(edit: QLineEdit, browse: QToolButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return row


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

        self.dataset_edit = QLineEdit(str(settings.value(LAST_DATASET_KEY, "") or ""))
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
        self.iterations.setToolTip("optimiser steps; about 2 s each for fosp-s at 256² on 2 CPU cores")
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
        form.addRow("Dataset", path_row(self.dataset_edit, self.dataset_button))
        form.addRow("Start from", path_row(self.checkpoint_edit, self.checkpoint_button))
        numbers = QHBoxLayout()
        for label, widget in (("Iterations", self.iterations), ("Learning rate", self.lr), ("Crop", self.crop),
                              ("Batch", self.batch)):
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
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v / %m iterations")
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setObjectName("finetune_plots")
        self.plots.setMinimumHeight(220)
        self.loss_plot = self.plots.addPlot(title="training loss")
        self.loss_plot.showGrid(x=True, y=True, alpha=0.15)
        self.loss_plot.setMenuEnabled(False)
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen(LOSS_COLOR, width=2))
        self.score_plot = self.plots.addPlot(title="validation F<sub>β</sub> (threshold 0.5)")
        self.score_plot.showGrid(x=True, y=True, alpha=0.15)
        self.score_plot.setMenuEnabled(False)
        self.score_plot.setYRange(0, 1, padding=0.02)
        self.score_curve = self.score_plot.plot(pen=pg.mkPen(SCORE_COLOR, width=2), symbol="o", symbolSize=7,
                                                symbolBrush=SCORE_COLOR)
        self.log_view = QPlainTextEdit(readOnly=True)
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
        layout.addWidget(self.status)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.plots, 2)
        layout.addWidget(self.log_view, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 860, 720)

        self.worker.progress.connect(self._on_progress)
        self.worker.output.connect(self.log_view.appendPlainText)
        self.worker.finished.connect(self._on_finished)
        analysis.events.changed.connect(self._on_analysis_changed)
        self.destroyed.connect(lambda *_: analysis.events.changed.disconnect(self._on_analysis_changed))
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
            cfg = self.stopped_plan.config
            return FineTuneRequest(dataset=Path(cfg.data.train[0].path), init_from=Path(cfg.model.init_from),
                                   iterations=cfg.train.iterations, lr=cfg.optim.lr, crop=cfg.data.crop,
                                   batch_size=cfg.train.batch_size, device=cfg.train.device, name=cfg.name,
                                   runs_dir=self.runs_dir, resume=True, overrides=list(self.extra_overrides))
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
            self.loss_curve.setData([], [])
            self.score_curve.setData([], [])
            self.log_view.clear()
        val = f"{plan.val_images} validation images" if plan.val_images else "no val split: the last weights are kept"
        if plan.val_in_train:
            val += " (also trained on: the dataset lists no train split)"
        self.log_view.appendPlainText(f"{'resuming' if resume else 'starting'} {plan.run_dir.name}: "
                                      f"{plan.train_images} training images, {val}")
        if plan.checkpoint_note:  # a run folder was given: say which of its files starts the run
            self.log_view.appendPlainText(f"note: {plan.checkpoint_note}")
        hint = "" if resume else project_hint(Path(self.dataset_edit.text().strip()))
        if hint:  # a dataset opened and corrected in the app: its files still hold the old masks
            self.log_view.appendPlainText(f"note: this trains on the dataset's own masks; {hint}")
        self.status.setStyleSheet("")
        self.status.setText(f"{'Resuming' if resume else 'Starting'} {plan.run_dir.name} "
                            f"(model loads in a few seconds)…")
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
        if p.losses:
            xs, ys = zip(*p.losses, strict=True)
            self.loss_curve.setData(list(xs), list(ys))
        if p.scores:
            xs, ys = zip(*p.scores, strict=True)
            self.score_curve.setData(list(xs), list(ys))
        self.progress_bar.setValue(min(p.iteration, self.progress_bar.maximum()))
        if self.worker.running() and not self.worker.stopping and p.iteration:
            parts = [f"Training: iteration {p.iteration} / {p.planned}"]
            if p.sec_per_iter:
                parts.append(f"{p.sec_per_iter:.2f} s/it")
            if p.eta_seconds is not None:
                parts.append(f"about {format_duration(p.eta_seconds)} left")
            if p.best is not None:
                parts.append(f"best F_β {100 * p.best[1]:.1f} at {p.best[0]}")
            self.status.setText(" · ".join(parts))

    def _on_finished(self, code: int) -> None:
        plan = self.plan
        it = self.worker.reader.progress.iteration if self.worker.reader else 0
        if code == 0 and plan is not None:
            self.stopped_plan = None
            self.status.setStyleSheet("")
            self.status.setText(f"Done: {it} iterations. {self._verdict()}Weights: {plan.model_out} — press "
                                "Use This Model to open them in the Model panel.")
        elif code == 130 and plan is not None and (plan.run_dir / "last.pt").is_file():
            self.stopped_plan = plan
            self.status.setStyleSheet("")
            self.status.setText(f"Stopped at iteration {it}; the state is saved. Resume continues the run.")
        elif code == 130 and plan is not None:  # stopped while the model loaded: nothing to resume
            self.stopped_plan = None
            self.status.setStyleSheet("")
            self.status.setText("Stopped before the first iteration; nothing was saved. Start begins a run again.")
        else:
            self.stopped_plan = None
            self._show_problem(f"The training process ended with code {code}; its messages are below.")
        self._update_buttons()
        self._follow_panel()  # the panel may have changed while the run went on

    def _verdict(self) -> str:
        """Before/after on the dataset's val images, when the run validated its start."""
        p = self.worker.reader.progress if self.worker.reader else None
        if p is None or p.start_score is None or p.best is None:
            return ""
        start, (best_it, best) = p.start_score, p.best
        seen = self.plan is not None and self.plan.val_in_train
        what = ("F_β on the val images, which it also trained on (the dataset lists no train split, so "
                "these scores are not those of new images):" if seen else "Validation F_β")
        if best_it == 0:
            return (f"{what} did not improve on the starting weights ({100 * start:.1f}); the exported "
                    "weights are the starting ones. ")
        return f"{what} {100 * start:.1f} → {100 * best:.1f} (iteration {best_it}). "

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

    def shutdown(self) -> None:
        """Stop a running training and wait for its state to be saved (app exit)."""
        self.worker.wait_stopped()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.worker.running():
            answer = QMessageBox.question(
                self, "Training Is Running",
                "Stop the training? Its state is saved, and Resume continues it later.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.shutdown()
            self._update_buttons()
        super().closeEvent(event)
