"""The model panel: checkpoint, device, precision, input, mask threshold, regions, Focus τ, run
buttons, progress.

The Precision box offers what the device chosen computes in (:mod:`app.analysis.panel_precisions`: the
others are shown disabled, with a tooltip saying why); a precision chosen that the device picked next does
not compute in gives way to fp32, saying so once in the window's status bar.

The panel holds no truth: it binds both ways to an :class:`~fosp_core.analysis.AnalysisSettings`
(widget edits set the model; model changes update the widgets under signal blockers). Running is
the controller's business; the panel only emits ``run_current``, ``run_all`` and ``cancel``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.analysis.checkpoint_label import NO_MODEL_TEXT, CheckpointLabel, checkpoint_tip
from app.analysis.compute_words import compute_text
from app.analysis.device_combo import DeviceCombo
from app.analysis.panel_precision_combo import PrecisionCombo
from app.analysis.panel_precisions import fallback_note, offered, runs_on
from app.analysis.unit_slider import UnitSlider
from app.icons import icon
from app.theme import ERROR_COLOR, HINT_STYLE
from fosp_core.analysis.settings import INPUT_CHOICES, KEEP_CHOICES, AnalysisSettings, ModelInfo, keep_words
from fosp_core.infer.devices import PRECISIONS  # no torch with it: the window shows before torch is in

__all__ = ["NO_MODEL_RUN_TEXT", "NO_MODEL_TEXT", "TAU_TIP", "ModelPanel", "PanelStatus"]

#: Focus τ in a newcomer's words (the paper's: the Focus region removed before inpainting)
TAU_TIP = ("Focus threshold τ, an expert setting: the model sets it (the value it was trained with). Where the "
           "network's Focus Map is above τ, it hides that part of the image and repaints the scene behind it, "
           "then looks for what differs from the image: that is the smoke. A change runs the model again.")
#: the τ's tooltip while the model loaded has no Separation module (SegFormer, an ablation): no τ hole
NO_TAU_TIP = ("Focus threshold τ: this model has no Separation module (no Focus region is cut out and "
              "repainted), so τ changes nothing")
#: what Run on This Image / Run on All Images say when asked with no model loaded
NO_MODEL_RUN_TEXT = "No model loaded: open a checkpoint (Analysis ▸ Open Checkpoint…, or Open… in the Model panel)"


class PanelStatus(Enum):
    """What the status line under the buttons says (:attr:`ModelPanel.status_kind`), which the runs
    decide by, never by its words: the line is drawn from it (red for a notice and a failure)."""

    MESSAGE = "message"  # a step or a note ("Cancelling…", a run's plan): the ready line follows a run
    LOADING = "loading"  # a model loads: it stays until the model is ready or fails
    READY = "ready"  # the model is ready, with its count: a run's progress refreshes it
    NOTICE = "notice"  # in red, the ready line follows a run (a device fallback, a file not written)
    FAILURE = "failure"  # in red, stays after a run (a load or a run failed)


_MARGIN = 4  # around the panel: the dock's height goes to the controls and the metrics under them


class ModelPanel(QWidget):
    """See the module docstring. `devices` are (name, label) pairs, e.g. from device_choices()
    (see also :meth:`set_devices`)."""

    run_current = Signal()
    run_all = Signal()
    cancel = Signal()
    devices_listed = Signal(object)  # [device name, ...]: the devices are known (set_devices, not looking)
    reopened = Signal()  # the checkpoint open was chosen again (Open…): to load again, it may have been rewritten

    def __init__(self, settings: AnalysisSettings, devices: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        #: settings changed together in one user action are changed in a `together()` block (the controller's
        #: `LoadRequests.together`: one model load for them all)
        self.together: Callable[[], AbstractContextManager[object]] = nullcontext
        self.checkpoint_label = CheckpointLabel()
        self.open_button = QToolButton()
        self.open_button.setIcon(icon("fa6s.folder-open"))
        self.open_button.setText("Open…")
        self.open_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.open_button.setToolTip("Open a model checkpoint (.safetensors)")
        self.open_button.setAccessibleName("Open a model checkpoint")  # "Open…" alone is File ▸ Open's name too
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setStyleSheet(HINT_STYLE)
        self.device_combo = DeviceCombo()
        self.device_combo.fill(devices)
        self.precision_combo = PrecisionCombo()  # what the device chosen computes in (_offer_precisions)
        self.input_combo = QComboBox()
        for name, label in INPUT_CHOICES:
            self.input_combo.addItem(label, name)
        # long labels: the popup shows them whole; the closed box never widens the dock
        self.input_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.input_combo.setMinimumContentsLength(12)
        self.input_combo.setToolTip("What the network sees: the whole image scaled to this size (512 px is what "
                                    "the model was trained for; smaller flags less where there is no smoke but "
                                    "finds fewer small plumes), or 512 px tiles of the image at full resolution "
                                    "(small plumes in very large frames; slower).")
        self.threshold = UnitSlider("Mask threshold", "Mask threshold: probability above it is smoke (no re-inference)")
        self.keep_combo = QComboBox()
        for name, label in KEEP_CHOICES:
            self.keep_combo.addItem(label, name)
        self.keep_combo.setToolTip("Which regions of the mask count as smoke (no re-inference). All regions: "
                                   "every pixel above the threshold, as the model is validated. With a core "
                                   "above T: a region stays only if some pixel in it is above T, so faint "
                                   "patches of haze or cloud drop out, and so do the faintest plumes. The "
                                   "mask, the error map, the scores and the prediction lent to the annotation "
                                   "tools all follow it.")
        self.tau = UnitSlider("Focus threshold τ", TAU_TIP)
        # the Analysis menu's actions' words, in sentence case as every button is (menus: title case)
        self.run_button = QPushButton(icon("fa6s.play"), "Run on this image")
        self.run_all_button = QPushButton(icon("fa6s.forward"), "Run on all images")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("fa6s.xmark"))
        self.cancel_button.setToolTip("Cancel")
        self.cancel_button.setAccessibleName("Cancel")  # an icon alone: a screen reader read a nameless button
        self.cancel_button.hide()
        self.status_kind = PanelStatus.MESSAGE  # what `status_label` says (show_status)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a word longer than the dock (a path, a name with underscores) is cut, never widens the panel
        # past the dock's edge (which cut Open…, Run on All Images and the spin boxes instead)
        for label in (self.info_label, self.status_label):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        # the model's details (what it is, where and how it runs) fold away under the ▸ button where the
        # dock is too short for them and the metrics below (a 1366x768 screen; chrome.fit_details)
        self.details_button = QToolButton()
        self.details_button.setCheckable(True)
        self.details_button.setChecked(True)
        self.details_button.setAutoRaise(True)
        self.details_button.setArrowType(Qt.ArrowType.DownArrow)
        self.details_button.setAccessibleName("Model details")  # an arrow, no text; checked: unfolded
        self.details_chosen = False  # the analyst clicked the button: the fit leaves the details alone
        checkpoint_row = QHBoxLayout()
        checkpoint_row.addWidget(self.details_button)
        checkpoint_row.addWidget(self.checkpoint_label, 1)
        checkpoint_row.addWidget(self.open_button)
        self.details = QWidget()
        details_form = QFormLayout(self.details)
        details_form.setContentsMargins(0, 0, 0, 0)
        details_form.addRow(self.info_label)
        details_form.addRow("Device", self.device_combo)
        details_form.addRow("Precision", self.precision_combo)
        details_form.addRow("Input", self.input_combo)
        form = QFormLayout()
        form.addRow("Mask threshold", self.threshold)
        form.addRow("Regions", self.keep_combo)
        form.addRow("Focus τ", self.tau)
        labels = [f.labelForField(w) for f, w in ((details_form, self.device_combo), (details_form, self.precision_combo),
                                                  (details_form, self.input_combo), (form, self.threshold),
                                                  (form, self.keep_combo), (form, self.tau))]
        width = max(label.sizeHint().width() for label in labels)
        fields = (self.device_combo, self.precision_combo, self.input_combo, self.threshold.slider, self.keep_combo,
                  self.tau.slider)
        for label, field in zip(labels, fields, strict=True):  # one label column for the two forms
            label.setMinimumWidth(width)
            label.setToolTip(field.toolTip())  # hovering a row's words says what it sets
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.run_all_button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(_MARGIN, _MARGIN, _MARGIN, _MARGIN)
        layout.addLayout(checkpoint_row)
        layout.addWidget(self.details)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addLayout(progress_row)
        layout.addWidget(self.status_label)

        self.open_button.clicked.connect(self.open_checkpoint_dialog)
        self.device_combo.currentIndexChanged.connect(self._device_chosen)
        self.precision_combo.currentIndexChanged.connect(
            lambda _i: settings.set_precision(str(self.precision_combo.currentData())))
        self.input_combo.currentIndexChanged.connect(
            lambda _i: settings.set_input(str(self.input_combo.currentData())))
        self.threshold.edited.connect(settings.set_threshold)
        self.keep_combo.currentIndexChanged.connect(
            lambda _i: settings.set_keep(str(self.keep_combo.currentData())))
        self.tau.edited.connect(settings.set_tau)
        self.run_button.clicked.connect(self.run_current.emit)
        self.run_all_button.clicked.connect(self.run_all.emit)
        self.cancel_button.clicked.connect(self.cancel.emit)
        self.details_button.clicked.connect(self._details_clicked)
        settings.events.changed.connect(self._on_settings_changed)
        for name in ("checkpoint", "device", "precision", "input", "keep", "threshold", "tau"):
            self._on_settings_changed(name)
        self.set_model_ready(False)
        self._describe_details()

    # --- devices -----------------------------------------------------------------------------------
    def set_devices(self, devices: list[tuple[str, str]], looking: bool = False) -> None:
        """List `devices` ((name, label) pairs) in the Device box, the settings' device still chosen
        (listed by its name where it is not among them); `looking`: a last, disabled line says more are
        being looked for. Emits devices_listed (their names) unless `looking`."""
        chosen, found = self.settings.device, [name for name, _label in devices]
        if all(name != chosen for name, _label in devices):
            devices = [*devices, (chosen, chosen)]  # above the "looking" line
        with QSignalBlocker(self.device_combo):
            self.device_combo.clear()
            self.device_combo.fill(devices, looking)
        self._on_settings_changed("device")
        if not looking:
            self._fit_precision(self.settings.device)  # chosen before "auto" was known to be the CPU
            self.devices_listed.emit(found)

    def listed_devices(self) -> list[str] | None:
        """The names of the devices the Device box lists, or None while it is looking for them."""
        combo = self.device_combo
        return None if combo.looking() else [str(combo.itemData(i)) for i in range(combo.count())]

    # --- the precisions the device computes in ------------------------------------------------------
    def offered_precisions(self) -> tuple[str, ...]:
        """The precisions the Precision box offers (enabled) for the device chosen; all before the
        devices are known where it is "auto"."""
        return offered(runs_on(self.settings.device, self.listed_devices()))

    def _offer_precisions(self) -> None:
        self.precision_combo.offer(runs_on(self.settings.device, self.listed_devices()))

    def _device_chosen(self, _index: int) -> None:
        """The user picked a device: a precision it does not compute in gives way to fp32 first (a load at
        that precision on it would fail), then the device is set."""
        device = str(self.device_combo.currentData())
        with self.together():  # one load, on `device` (never one at fp32 on the device left)
            self._fit_precision(device)
            self.settings.set_device(device)

    def _fit_precision(self, device: str) -> None:
        """Set fp32 in place of the settings' precision where the model would run on `device` in a
        precision it does not compute in, with a note in the window's status bar (the panel's line where
        it is in no window: the loads' lines take the panel's own)."""
        on, chosen = runs_on(device, self.listed_devices()), self.settings.precision
        if on is None or chosen in offered(on) or chosen not in PRECISIONS:
            return
        note = fallback_note(chosen, on)
        self.settings.set_precision("fp32")
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(note)
        else:
            self.show_status(note, PanelStatus.NOTICE)

    # --- model -> widgets ----------------------------------------------------------------------
    def _on_settings_changed(self, name: str) -> None:
        s = self.settings
        if name == "checkpoint":
            self.checkpoint_label.set_name(s.checkpoint.name if s.checkpoint else "")
            self.checkpoint_label.setToolTip(checkpoint_tip(s.checkpoint))
        elif name in ("device", "precision", "input", "keep"):
            combo = {"device": self.device_combo, "precision": self.precision_combo, "input": self.input_combo,
                     "keep": self.keep_combo}[name]
            index = combo.findData(getattr(s, name))
            if index < 0:  # a rule the panel does not offer (--regions area:400) in words, as its own items
                text = str(getattr(s, name))
                if name == "keep" and (words := keep_words(text).removeprefix("regions ")):
                    text = words[:1].upper() + words[1:]
                combo.addItem(text, getattr(s, name))
                index = combo.count() - 1
            with QSignalBlocker(combo):
                combo.setCurrentIndex(index)
            if name == "device":
                self._offer_precisions()
        elif name == "threshold":
            self.threshold.set_value(s.threshold)
        elif name == "tau":
            self.tau.set_value(s.tau)
        if name in ("device", "precision", "input"):
            self._describe_details()

    # --- the model's details, folded or not -------------------------------------------------------
    def details_shown(self) -> bool:
        """Whether the model's details (info, Device, Precision, Input) are unfolded."""
        return not self.details.isHidden()

    def show_details(self, shown: bool) -> None:
        """Unfold (True) or fold the model's details; the button follows."""
        self.details.setHidden(not shown)
        with QSignalBlocker(self.details_button):
            self.details_button.setChecked(shown)
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._describe_details()

    def details_height(self) -> int:
        """How much taller the panel is with its details unfolded than without (pixels)."""
        margins = self.layout().contentsMargins()
        width = max(1, self.width() - margins.left() - margins.right())
        details = self.details.heightForWidth(width) if self.details.hasHeightForWidth() else -1
        return max(details, self.details.sizeHint().height()) + max(0, self.layout().spacing())

    def fit_details(self, room: int, needed: int) -> None:
        """Unfold the details where `needed` (the dock's height with them unfolded) is at most `room`
        (its viewport's height), fold them where not; never against the analyst's own choice."""
        if not self.details_chosen and (needed <= room) != self.details_shown():
            self.show_details(needed <= room)

    def _details_clicked(self, checked: bool) -> None:
        self.details_chosen = True
        self.show_details(checked)

    def _describe_details(self) -> None:
        """The button's tooltip: what it folds, and (folded) what the details say."""
        settings = " · ".join(c.currentText() for c in (self.device_combo, self.precision_combo, self.input_combo))
        if self.details_shown():
            self.details_button.setToolTip("Fold the model's details (they fold by themselves where the dock "
                                           "is too short for them and the metrics)")
            return
        info = self.info_label.text()
        self.details_button.setToolTip("Unfold the model's details: Device, Precision, Input"
                                       f" ({settings}){chr(10) + info if info else ''}")

    def set_model_info(self, info: ModelInfo | None, device: str = "") -> None:
        """Describe the loaded model (None: nothing loaded), with what it computes in on `device`
        (where it runs): the file's fp16 weights compute in fp32 unless Precision says otherwise."""
        applies = info is None or info.tau is not None  # a model without Separation has no τ hole
        self.tau.setEnabled(applies)
        for part in (self.tau, self.tau.slider, self.tau.spin):
            part.setToolTip(TAU_TIP if applies else NO_TAU_TIP)
        if info is None:
            self.info_label.clear()
        else:
            self.checkpoint_label.setToolTip(checkpoint_tip(info.path, info.started_from, info.training_data))
            computed = compute_text(info.weights, self.settings.precision, device) if device else ""
            self.info_label.setText("\n".join(line for line in (info.summary(device), computed) if line))
        self._describe_details()

    def set_model_ready(self, ready: bool) -> None:
        """Enable the run buttons only when a model is loaded."""
        self.run_button.setEnabled(ready)
        self.run_all_button.setEnabled(ready)

    def set_busy(self, done: int, total: int) -> None:
        """Show progress `done` of `total` with a cancel button; total 0 hides it."""
        busy = total > 0
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, total)
            bar = self.progress
            # QProgressBar.setValue repaints at once, and that paints every widget of the window waiting
            # for a paint (the canvas and its layers too) inside the turn that takes a result: painted with
            # the window's next paint instead (bench/bench_run_all_start.py)
            bar.setUpdatesEnabled(False)
            try:
                bar.setValue(done)
            finally:
                bar.setUpdatesEnabled(True)  # (which asks for the bar's paint: update(), not repaint())
            bar.setFormat("%v / %m images" if total > 1 else "running…")

    def show_status(self, text: str, kind: PanelStatus = PanelStatus.MESSAGE) -> None:
        """One line (or a few) under the buttons, of `kind` (:attr:`status_kind`); notices and failures
        in red."""
        self.status_kind = kind
        error = kind in (PanelStatus.NOTICE, PanelStatus.FAILURE)
        self.status_label.setStyleSheet(f"color: {ERROR_COLOR};" if error else HINT_STYLE)
        self.status_label.setText(text)
        self.status_label.setToolTip(text if error else "")  # whole, where a long path is cut

    def open_checkpoint_dialog(self) -> None:
        """Ask for a checkpoint file and make it the settings' checkpoint; the one open already emits
        `reopened` (a run trained again into the same file: its new weights load, not the old ones kept)."""
        start = str(self.settings.checkpoint.parent) if self.settings.checkpoint else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open Model Checkpoint", start,
                                              "Model checkpoints (*.safetensors *.pth *.pt);;All files (*)")
        if path and Path(path) == self.settings.checkpoint:
            self.reopened.emit()
        elif path:
            self.settings.set_checkpoint(Path(path))
