"""The analysis view's controller: wires the session, the inference worker, the layer stack and the
result cache to the canvas, the model panel, the layer list, the metrics box and the compare grid.

Build it with the main window (``AnalysisController(window)``); it adds its docks, its menu
(:mod:`app.analysis.chrome`) and a hover readout (:mod:`app.analysis.readouts`, with the metrics) to
the window and never touches the window's own widgets otherwise. The result shown (its layers on the
canvas, ``analysis:<layer name>`` below the annotation layers, its label, the hover readout, the
probability lent to the annotation tools) is :mod:`app.analysis.shown`'s; the threshold is shared with
the tools by :mod:`app.analysis.assist`; which images run, and when, :mod:`app.analysis.run_plan`
decides, and the runs are started and their results taken in by :mod:`app.analysis.runs`; the worker makes
each result ready to show (:mod:`app.analysis.prepared`). The model is loaded by :mod:`app.analysis.model_loads`.
While a video is open it idles and catches up after (:mod:`app.analysis.standby`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from app.analysis.assist import share_threshold
from app.analysis.chrome import build_docks, build_menu, enable_run
from app.analysis.compare_grid import COMPARE_TIP, CompareGrid
from app.analysis.device_list import AUTOMATIC, DeviceList
from app.analysis.error_report import ErrorReport
from app.analysis.grid_export import NOTHING_TO_EXPORT, GridExport, ViewExport
from app.analysis.inference_worker import InferenceWorker, LoadedModel
from app.analysis.kept_metrics import KeptMetrics
from app.analysis.layer_list import LayerList
from app.analysis.layers_kept import LayersKept
from app.analysis.load_requests import LoadRequests
from app.analysis.metrics_box import MetricsBox
from app.analysis.model_loads import ModelLoads
from app.analysis.model_panel import NO_MODEL_TEXT, ModelPanel, PanelStatus
from app.analysis.overlays import OVERLAY_PREFIX
from app.analysis.panel_kept import PanelKept
from app.analysis.prepared import PreparedResult
from app.analysis.readouts import ScoreReadout
from app.analysis.run_all_planning import RunAllPlanning
from app.analysis.run_plan import RunPlanner
from app.analysis.runs import AnalysisRuns
from app.analysis.shown import ShownResult
from app.analysis.standby import VideoStandby
from fosp_core.analysis.layers import LayerStack
from fosp_core.analysis.results import ResultCache
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction
from fosp_core.io.images import LoadedImage

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["NOTHING_TO_EXPORT", "OVERLAY_PREFIX", "AnalysisController"]

TAU_DEBOUNCE_MS = 120


class AnalysisController(QObject, AnalysisRuns, ModelLoads):
    """See the module docstring. `input_size` is the network input (tests use a small one).
    Signals: model_changed() after another model finished loading (see `loaded_checkpoint`);
    model_state_changed(state) when :attr:`model_state` changes; running_changed(running) when a Run on This Image
    of the image shown starts or ends (`running_on` it: the Annotate dock then names no Ctrl+R)."""

    model_changed = Signal()
    model_state_changed = Signal(str)  # "ready", "loading" or "none" (model_state)
    running_changed = Signal(bool)  # whether the model runs on the image shown (running_on its path)

    def __init__(self, window: AppWindow, input_size: int = 512,
                 devices: list[tuple[str, str]] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.canvas = window.canvas
        self.settings = AnalysisSettings(checkpoint=window.services.default_model)
        self.panel_kept = PanelKept(self.settings, window.services.settings, window.services.default_model)
        kept_note = self.panel_kept.restore()  # threshold, regions rule, checkpoint and τ of the last session
        self.layers = LayerStack()
        self.layers_kept = LayersKept(self.layers, window.services.settings)
        self.layers_kept.restore()  # the layers shown in the last session (before the widgets bind to them)
        self.cache = ResultCache()
        self.worker = InferenceWorker(self, input_size=input_size)
        self.loads = LoadRequests(self.load_model)  # one load a user action; stale answers dropped
        self.panel = ModelPanel(self.settings, [AUTOMATIC])
        self.devices = DeviceList(self.panel, self.worker, devices)  # listed on the inference thread
        self.panel.devices_listed.connect(self._on_devices_listed)
        self.panel.together = self.loads.together  # a device and the precision that follows it: one load
        self.panel.reopened.connect(self.loads.changed)  # the same file chosen again: its weights may be new
        kept_note = " ".join(note for note in (kept_note, self.panel_kept.devices_known(self.panel.listed_devices()))
                             if note)  # a kept GPU: here or not, once the devices are known
        self.layer_list = LayerList(self.layers)
        self.metrics = MetricsBox()
        self.grid = CompareGrid(layers=self.layers)  # drawn in the canvas's colours
        self.model: LoadedModel | None = None
        self.reports = ErrorReport(window, self.panel)
        self.errors = self.reports.errors
        self.standby = VideoStandby(window)  # idle while a video is open
        self.scores = ScoreReadout(self.metrics, self.settings, self.session, self.cache)
        self.scores.trained.answered.connect(self.update_metrics)  # the trained-on line, worked out off this thread
        self.planner = RunPlanner(self.session, self.settings, self.cache, self.scores)  # what runs, when
        self.planning = RunAllPlanning(self, self._on_planned)  # Run on all's plan, off the GUI thread
        self.kept_metrics = KeptMetrics(self, self)  # reopened: the scores kept in the saved summaries, at once
        self._loaded_settings: tuple[Path | None, str, str, str] | None = None
        self._restoring = False
        self._load_request: int | None = None
        self._tau_loading = False  # the loaded model's τ is being set (`_on_loaded`): not the user's choice
        self._tau_chosen_for: Path | None = None  # the checkpoint loading when the user moved τ, if any
        self._runs: set[int] = set()  # outstanding predict requests
        self._image_runs: dict[int, Path] = {}  # the outstanding Run on This Image requests: their image
        self._prepared: PreparedResult | None = None  # what the worker made of the next result
        self._tau_timer = QTimer(self, singleShot=True, interval=TAU_DEBOUNCE_MS, timeout=self._on_tau_settled)
        self._metrics_timer = QTimer(self, singleShot=True, interval=60, timeout=self.update_metrics)
        self.shown = ShownResult(window, self.layers, self.settings, self.scores, self.layer_list, self._shown_changed,
                                 self.standby)
        self.overlays, self.hover, self.hover_label = self.shown.overlays, self.shown.hover, self.shown.hover.label
        docks = build_docks(window, self.panel, self.metrics, self.layer_list, self.grid)
        self.model_dock, self.layer_dock, self.grid_dock = docks.model, docks.layers, docks.grid
        compare = self.grid_dock.toggleViewAction()  # Analysis ▸ Compare (Fig. 7): what it shows, in words
        compare.setToolTip(COMPARE_TIP)
        compare.setStatusTip(COMPARE_TIP.split("\n", 1)[0])
        self.grid_export = GridExport(window, self.shown, self.grid, self.grid_dock, self.report_error)
        self.grid.maps.share(self.overlays.upsampler, self.overlays.made)  # its maps: the canvas's, or its worker's
        self.grid.hover.say_as(window.canvas)  # a pixel pointed at in the grid reads as on the canvas
        self.view_export = ViewExport(window, self.shown, self.layers, self.report_error)
        self.grid_dock.visibilityChanged.connect(lambda visible: visible and self.grid_export.update())
        menu = build_menu(window, docks, self.layers, self.settings, run=lambda: self._asked("current"),
                          run_all=lambda: self._asked("all"),
                          cancel=self.cancel, open_model=self.panel.open_checkpoint_dialog,
                          export_grid=self.export_grid_dialog, export_view=self.view_export.dialog)
        self.action_run, self.action_run_all, self.action_cancel = menu.run, menu.run_all, menu.cancel
        self.action_open_model, self.action_export_grid, self.action_export_view = (menu.open_model,
                                                                                     menu.export_grid, menu.export_view)
        self.layer_actions = menu.layers
        self._run_tips = {menu.run: menu.run.toolTip(), menu.run_all: menu.run_all.toolTip()}  # "… (Ctrl+R)"
        self._model_ready = False
        self._model_state = "none"
        self._running_here = False  # what running_changed said last
        self.menu = menu.menu
        self._bind()
        self._update_run_actions()
        if self.settings.checkpoint is not None:
            self.load_model()
        else:
            self.panel.show_status(NO_MODEL_TEXT)
        if kept_note:
            window.statusBar().showMessage(kept_note)

    # --- building ------------------------------------------------------------------------------
    def _bind(self) -> None:
        self.session.events.image_changed.connect(self._on_image_changed)
        self.session.events.entries_changed.connect(self._update_run_actions)
        self.session.events.current_changed.connect(lambda _index: self._update_run_actions())
        self.settings.events.changed.connect(self._on_settings_changed)
        self.layers.events.changed.connect(self._on_layer_changed)
        self.panel.run_current.connect(self.run_current)
        self.panel.run_all.connect(self.run_all)
        self.panel.cancel.connect(self.cancel)
        self.worker.loaded.connect(self._on_loaded)
        self.worker.prepared.connect(self._on_prepared)
        self.worker.result.connect(self._on_result)
        self.worker.progress.connect(self._on_progress)
        self.worker.failed.connect(self._on_failed)
        self.worker.unreadable.connect(self._on_unreadable)
        self.worker.notice.connect(lambda _rid, text: self.panel.show_status(text, PanelStatus.NOTICE))
        self.worker.done.connect(self._on_done)
        self.worker.done.connect(lambda request_id, _cancelled: self.loads.done(request_id))
        share_threshold(self.window, self.settings)  # one mask threshold, the panel's and the tools'

    def shutdown(self) -> None:
        """Stop the inference thread (the window closes: ``MainWindow.closeEvent``, once the close is
        not cancelled; stopped at the Close event itself, a cancelled close left a model that never
        answered again)."""
        self._tau_timer.stop()
        self.planning.close()
        self.kept_metrics.close()
        self.worker.shutdown()

    # --- model (loads: `ModelLoads`) -------------------------------------------------------------
    def run_all_busy(self) -> bool:
        """Whether a Run on all waits for a model to load, plans or runs (its request still outstanding)."""
        request = self.planner.all_request
        return (self.planner.after_load == "all" or self.planning.pending
                or (request is not None and request in self._runs))

    def _update_run_actions(self) -> None:
        """Run on this image / Run on all wait for an image (with nothing open they did nothing,
        silently), the panel's buttons for a model too; see :func:`app.analysis.chrome.enable_run`."""
        model = "ready" if self._model_ready else "loading" if self._load_request is not None else "none"
        if model != self._model_state:
            self._model_state = model
            self.model_state_changed.emit(model)
        running = model == "ready" and self.running_on(self.session.current_path)
        self.layer_list.set_model_state("running" if running else model)  # open a model, wait for it, run it
        if running != self._running_here:
            self._running_here = running
            self.running_changed.emit(running)
        open_now = {self.action_run: self.session.current_path is not None, self.action_run_all: len(self.session) > 0}
        for (action, tip), button in zip(self._run_tips.items(), (self.panel.run_button, self.panel.run_all_button),
                                         strict=True):
            enable_run(action, button, tip, image_open=open_now[action], model=model)

    @property
    def model_state(self) -> str:
        """"loading" while a model loads, else "ready" (a model is loaded) or "none" (the load failed
        with none kept, or none was asked for); :attr:`model_state_changed` says when it changes."""
        return self._model_state

    def _on_settings_changed(self, name: str) -> None:
        if name in ("checkpoint", "device", "precision", "input"):
            if not self._restoring:
                self.loads.changed()  # now, or once for a whole user action (`LoadRequests.together`)
        elif name in ("threshold", "keep") and not self.standby.waits():
            self.shown.on_threshold(name)
        elif name == "tau":
            if self._load_request is not None and not self._tau_loading:  # the user's, not the loaded model's
                self._tau_chosen_for = self.settings.checkpoint
            self._tau_timer.start()

    def report_error(self, message: str) -> None:
        """Say what went wrong in the panel and in one non-modal dialog (messages accumulate)."""
        self.reports.report(message)

    # --- showing -------------------------------------------------------------------------------
    def _on_image_changed(self, image: LoadedImage | None) -> None:
        self.planner.image_changed()  # coming back to an image caught up may catch up again
        if image is not None or self.session.current_path is None:
            self._show_current()

    def _show_current(self) -> None:
        if self.standby.waits():
            return
        image = self.session.current_image
        key = None if image is None else self._key(Path(image.path))
        cached = None if key is None else (self.cache.get(key) or self.cache.latest_for(key.path, key.model))
        fits = cached is not None and image is not None and cached.shape == image.rgb.shape[:2]
        self.shown.show(cached if fits else None)
        self.scores.show_image(None if self.model is None else self.model.model_id, self.prediction)  # not the last image's
        self._catch_up()

    def _show(self, prediction: Prediction | None) -> None:
        self.shown.show(prediction)  # (tests and benchmarks show a prediction made without a model)

    def _shown_changed(self) -> None:
        """Another result shown, or its mask moved: the export action, the grid and the metrics follow."""
        for action in (self.action_export_grid, self.action_export_view):
            action.setEnabled(self.prediction is not None)
        self.grid_export.update()
        self._metrics_timer.start()  # off the critical path of switching images

    @property
    def prediction(self) -> Prediction | None:
        """The prediction shown (:class:`ShownResult`), or None."""
        return self.shown.prediction

    @property
    def label(self) -> np.ndarray | None:
        """The shown image's ground truth of the prediction's size, or None."""
        return self.shown.label

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """The layer arrays of the shown prediction (name → array at the image's size)."""
        return self.shown.arrays

    def _on_layer_changed(self, name: str, what: str) -> None:
        if what == "visible" and name in self.layer_actions:
            self.layer_actions[name].setChecked(self.layers[name].visible)
        self.overlays.on_layer_changed(name, what)

    def _on_tau_settled(self) -> None:
        image = self.session.current_image
        if image is not None and self.model is not None and self.prediction is not None:
            self.run_current()  # cached τ: instant; else only separation + fusion re-run

    def can_export_grid(self) -> bool:
        """Whether the compare grid has something to show (:class:`GridExport`)."""
        return self.grid_export.possible()

    def export_grid(self, path: str | Path) -> bool:
        """Write the compare grid of the current image as one PNG; False (nothing written) without a result."""
        return self.grid_export.write(path)

    def export_grid_dialog(self) -> None:
        """Analysis ▸ Export Compare Grid…"""
        self.grid_export.dialog()

    # --- readouts ------------------------------------------------------------------------------
    def metrics_later(self) -> None:
        """`update_metrics` in a turn of its own, soon (once for many asks in a row)."""
        self._metrics_timer.start()

    def update_metrics(self) -> None:
        """Scores of the current image and of every open image with a result and a label."""
        if self.standby.waits():
            return
        self.scores.update(None if self.model is None else self.model.model_id, self.prediction, self.label)
