"""The Fine-tune dialog's form: what the run is (dataset, start, iterations, learning rate, crop,
batch, time limit, device, name), the request it makes, and the lines under it that say what the
form's run means before it starts (how long, a batch proposed for a small dataset, what the dataset
lacks). The dialog (`app.training.dialog`) runs and watches the run; this holds no run state.

The dataset folder is read (its split lists, else its mask names: `messages.read_dataset`) on a worker
thread, once per settled path: typing waits `READ_DELAY_MS` after the last key, a path set by the program
(Browse, a restored or exported dataset) is read at once, and an answer for a path no longer in the box is
dropped. A folder on a network drive or with thousands of masks no longer freezes the typing.

The batch is proposed when the dataset is chosen: `min(DEFAULT_BATCH, training images)`, since a
batch larger than the training images repeats images at the whole batch's cost (`fosp train` warns
of it: `fosp_core.train.small_data`). A batch the user chose that fits is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.analysis.device_combo import DeviceCombo
from app.analysis.device_list import AUTOMATIC
from app.icons import icon
from app.theme import HINT_STYLE, warning_style
from app.training.background import Background
from app.training.messages import DatasetFacts, batch_text, estimate_text, read_dataset
from app.training.path_row import path_row
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.train.config import Config
from fosp_core.train.finetune import FineTuneRequest

__all__ = ["CROPS", "DEFAULT_BATCH", "PACE_KEY", "READ_DELAY_MS", "FineTuneForm"]

PACE_KEY = "training/pace"  # the last run's measured seconds an iteration (messages.pace_record)
CROPS = (128, 192, 256, 320, 384, 512)
DEFAULT_BATCH = 4
READ_DELAY_MS = 300  # typing in the dataset box: the folder is read this long after the last key


class FineTuneForm(QWidget):
    """See the module doc. `idle()` says whether no run is going (the lines under the form are for a
    run not started yet); the dialog sets it. `dataset_read` is emitted once the lines under the form
    say the dataset now in the box (its folder read off the GUI thread)."""

    dataset_read = Signal()

    def __init__(self, settings: QSettings, analysis: AnalysisSettings, devices: list[tuple[str, str]] | None,
                 dataset: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.idle: Callable[[], bool] = lambda: True
        self.held = False  # a stopped run's settings fill the form: nothing is proposed then
        self._proposed = DEFAULT_BATCH  # the batch the form last chose itself (the default is its own)
        self.facts: DatasetFacts | None = None  # the dataset in the box, once read (None: not read yet)
        self.reader = Background("dataset-reader", self)
        self.reader.done.connect(self._dataset_was_read, Qt.ConnectionType.QueuedConnection)
        self.reader.failed.connect(self._dataset_not_read, Qt.ConnectionType.QueuedConnection)
        self._read_timer = QTimer(self, singleShot=True, interval=READ_DELAY_MS, timeout=self._read_dataset)
        self.dataset_edit = QLineEdit(dataset)
        self.dataset_edit.setPlaceholderText("a labelled dataset folder, e.g. an Annotate ▸ Export")
        self.dataset_button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        self.dataset_button.setToolTip("Choose the dataset folder")
        self.dataset_button.clicked.connect(self._browse_dataset)
        self.checkpoint_edit = QLineEdit(str(analysis.checkpoint or ""))
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
        self.batch = QSpinBox(minimum=1, maximum=64, value=DEFAULT_BATCH)
        self.budget = QSpinBox(minimum=0, maximum=100_000, value=0, singleStep=5)
        self.budget.setSpecialValueText("no limit")  # 0 (or the field emptied) is no limit
        self.budget.setToolTip("end the run within this many minutes, the final validation included: after a few "
                               "iterations it measures its pace and sets how many it does (0: no limit)")
        self.device = DeviceCombo()
        self.device.fill(devices or [AUTOMATIC], looking=devices is None)  # None: the dialog's owner lists them
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("automatic (finetune-<dataset>-<time>)")

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
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
        form.addRow("Stop after (minutes)", self.budget)
        form.addRow("Device", self.device)
        form.addRow("Run name", self.name_edit)
        self.widgets: list[QWidget] = [self.dataset_edit, self.dataset_button, self.checkpoint_edit,
                                       self.checkpoint_button, self.iterations, self.lr, self.crop, self.batch,
                                       self.budget, self.device, self.name_edit]
        self.estimate = QLabel()  # how long the form's run takes, before it starts
        self.batch_note = QLabel()  # why the batch was proposed smaller (a small dataset)
        self.note = QLabel()  # what the chosen dataset lacks (no val split, few val images), before a start
        for label in (self.estimate, self.batch_note, self.note):
            label.setWordWrap(True)
        self.estimate.setStyleSheet(HINT_STYLE)
        self.batch_note.setStyleSheet(HINT_STYLE)
        self.note.setStyleSheet(warning_style())  # the theme's warning colour
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        for label in (self.estimate, self.batch_note, self.note):
            layout.addWidget(label)

        self.dataset_edit.textChanged.connect(self._dataset_changed)
        for box in (self.iterations, self.batch, self.budget):
            box.valueChanged.connect(self.update_notes)
        for combo in (self.crop, self.device):
            combo.currentIndexChanged.connect(self.update_notes)
        if dataset.strip():
            self._read_dataset()
        self.update_notes()

    # --- the request ----------------------------------------------------------------------------
    def budget_s(self) -> float:
        """The time limit in seconds (`train.time_budget_s`), 0 for none."""
        return 60.0 * self.budget.value()

    def request(self, runs_dir: str, overrides: list[str]) -> FineTuneRequest:
        """The request the form describes; `overrides` (recipe overrides) come after the form's own."""
        budget = [f"train.time_budget_s={self.budget_s():g}"] if self.budget.value() else []
        return FineTuneRequest(
            dataset=Path(self.dataset_edit.text().strip()), init_from=Path(self.checkpoint_edit.text().strip()),
            iterations=self.iterations.value(), lr=self.lr.value(), crop=int(self.crop.currentData()),
            batch_size=self.batch.value(), device=str(self.device.currentData() or "auto"),
            name=self.name_edit.text().strip(), runs_dir=runs_dir, overrides=budget + list(overrides))

    def show_run(self, cfg: Config) -> None:
        """Fill the form with the settings of a stopped run's recipe `cfg` (held until `release`)."""
        self.held = True
        self.dataset_edit.setText(str(cfg.data.train[0].path))
        self.checkpoint_edit.setText(str(cfg.model.init_from))
        self.iterations.setValue(cfg.train.iterations)
        self.crop.setCurrentIndex(max(0, self.crop.findData(cfg.data.crop)))
        self.batch.setValue(cfg.train.batch_size)
        self.budget.setValue(round(cfg.train.time_budget_s / 60))
        self.name_edit.setText(cfg.name)

    def release(self) -> None:
        """The stopped run is left: the form is the user's again."""
        self.held = False
        self._proposed = self.batch.value()
        self.update_notes()

    def set_devices(self, devices: list[tuple[str, str]], looking: bool = False) -> None:
        """List `devices` ((name, label) pairs), the chosen device kept where it is among them;
        `looking`: a last, disabled "looking for devices…" line."""
        chosen = self.device.currentData() or "auto"
        self.device.blockSignals(True)
        self.device.clear()
        self.device.fill(devices, looking)
        self.device.setCurrentIndex(max(0, self.device.findData(chosen)))
        self.device.blockSignals(False)
        self.update_notes()

    # --- the lines under the form ---------------------------------------------------------------
    def reading(self) -> bool:
        """Whether the dataset in the box is still to be read (typing settling, or its read going)."""
        return self._read_timer.isActive() or (self.facts is None and bool(self.dataset_edit.text().strip()))

    def _dataset_changed(self) -> None:
        """A new path in the box: its lines wait for its read, after the typing settles (a path the
        program set: at once)."""
        self.facts = None
        self.reader.cancel()  # an answer for an earlier path is stale
        self._read_timer.start(READ_DELAY_MS if self.dataset_edit.isModified() else 0)
        self.update_notes()

    def _read_dataset(self) -> None:
        text = self.dataset_edit.text()
        if text.strip():
            self.reader.submit(read_dataset, text)
        else:
            self.facts = DatasetFacts(text, None, "")
            self.dataset_read.emit()

    def _dataset_was_read(self, call_id: int, facts: DatasetFacts) -> None:
        if call_id != self.reader.latest or facts.folder != self.dataset_edit.text():
            return  # stale: the box says another path now
        self.facts = facts
        self._propose_batch()
        self.update_notes()
        self.dataset_read.emit()

    def _dataset_not_read(self, call_id: int, _error: object) -> None:
        """An unexpected failure to read (the checks are Start's then): nothing to say under the form."""
        self._dataset_was_read(call_id, DatasetFacts(self.dataset_edit.text(), None, ""))

    def _propose_batch(self) -> None:
        """min(DEFAULT_BATCH, training images) when the batch is the form's own or more than the
        dataset's training images; a batch the user chose that fits is kept."""
        if self.held or self.facts is None:
            return
        n = self.facts.train_images
        current = self.batch.value()
        if current == self._proposed or (n and current > n):
            self._proposed = min(DEFAULT_BATCH, n) if n else DEFAULT_BATCH
            self.batch.setValue(self._proposed)

    def update_notes(self) -> None:
        """Before a start: how long the form's run takes, why its batch is smaller, what the chosen
        dataset lacks (all empty while a run goes; the last two once the dataset was read). Reads no
        folder: the dataset's facts come from its read."""
        idle = self.idle()
        crop, device = int(self.crop.currentData()), str(self.device.currentData() or "auto")
        self.estimate.setText(estimate_text(str(self.settings.value(PACE_KEY, "") or ""), device, crop,
                                            self.batch.value(), self.iterations.value(), self.budget_s())
                              if idle else "")
        n = self.facts.train_images if self.facts is not None else None
        proposed = not self.held and self.batch.value() == self._proposed < DEFAULT_BATCH
        self.batch_note.setText(batch_text(self.batch.value(), n or 0) if idle and proposed and n else "")
        self.note.setText(self.facts.note if idle and self.facts is not None else "")
        for label in (self.estimate, self.batch_note, self.note):
            label.setVisible(bool(label.text()))

    # --- browsing ---------------------------------------------------------------------------------
    def _browse_dataset(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Dataset to Fine-tune On", self.dataset_edit.text())
        if folder:
            self.dataset_edit.setText(folder)

    def _browse_checkpoint(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Start from Checkpoint", self.checkpoint_edit.text(),
                                              "FoSp checkpoints (*.safetensors)")
        if path:
            self.checkpoint_edit.setText(path)
