"""Loading the analysis view's model: the settings' checkpoint on the device, precision and input chosen,
on the inference thread; what the view shows once it is in, or when it fails.

:class:`ModelLoads` is a part of :class:`~app.analysis.controller.AnalysisController` (a mixin, as
:class:`~app.analysis.runs.AnalysisRuns` is: its methods are the controller's ``load_model``,
``loaded_checkpoint``, ...). Which loads are asked for, and which answers are stale, is
:class:`~app.analysis.load_requests.LoadRequests`'s. A load that fails puts back the settings of the model
that stays in use (none in use: the app's default model is opened in its place, or, that one failing or
none, no checkpoint is named, nor kept for the next start), and the panel's details describe the model in
use: none of the one before while another checkpoint loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.analysis.load_words import with_headline_note
from app.analysis.model_panel import PanelStatus

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.analysis.device_list import DeviceList
    from app.analysis.error_report import ErrorReport
    from app.analysis.inference_worker import InferenceWorker, LoadedModel
    from app.analysis.load_requests import LoadRequests
    from app.analysis.model_panel import ModelPanel
    from app.analysis.panel_kept import PanelKept
    from app.analysis.readouts import ScoreReadout
    from app.analysis.run_all_planning import RunAllPlanning
    from app.analysis.run_plan import RunPlanner
    from app.host import AppWindow
    from fosp_core.analysis.settings import AnalysisSettings

__all__ = ["ModelLoads"]

#: `_load_request` while the first load waits for the devices' list (the kept device: here or not); no request's id
_WAITING_FOR_DEVICES = 0


class ModelLoads:
    """The model's loads of the analysis view (see module doc); AnalysisController sets these attributes."""

    window: AppWindow
    settings: AnalysisSettings
    worker: InferenceWorker
    panel: ModelPanel
    panel_kept: PanelKept
    devices: DeviceList
    planning: RunAllPlanning
    planner: RunPlanner
    scores: ScoreReadout
    reports: ErrorReport
    loads: LoadRequests
    model: LoadedModel | None
    _load_request: int | None
    _loaded_settings: tuple[Path | None, str, str, str] | None
    _restoring: bool  # the settings are put back (or named) by the view: no load
    _tau_loading: bool
    _tau_chosen_for: Path | None
    _runs: set[int]
    _model_ready: bool

    if TYPE_CHECKING:  # AnalysisController's (and AnalysisRuns')
        model_changed: SignalInstance

        def _plan_ended(self, text: str | None = None, kind: PanelStatus = PanelStatus.MESSAGE) -> None: ...

        def _update_run_actions(self) -> None: ...

        def _show_ready(self, model: LoadedModel) -> None: ...

        def _show_current(self) -> None: ...

        def _run(self, which: str | None) -> None: ...

    def load_model(self) -> None:
        """Load the settings' checkpoint on the chosen device and precision (worker thread)."""
        s = self.settings
        if s.checkpoint is None:
            return
        if self._runs:  # the old model's runs would hold the new one back until their last image
            self.worker.cancel(max(self._runs))
        if self.planning.drop() is not None:  # the old model's Run on all plan, as its runs: its bar and Cancel go
            self._plan_ended()
        self.panel.show_status(f"Loading {s.checkpoint.name}…", kind=PanelStatus.LOADING)
        if self._loaded_settings is not None and self._loaded_settings[0] != s.checkpoint:
            self.panel.set_model_info(None)  # the details of the model before are not the one loading's
        self.devices.ask()  # before the load (which imports torch on the thread too), once
        waits = self.panel_kept.waits_for_devices  # the kept device: loaded on once it is known to be here
        if waits:
            self._load_request = _WAITING_FOR_DEVICES
        else:
            self._load_request = self.worker.load_model(s.checkpoint, s.device, s.precision, s.input)
            self.loads.asked(self._load_request)
        self._set_model_ready(False)  # the buttons say they wait for it

    def _on_devices_listed(self, listed: list[str]) -> None:
        with self.loads.together():  # the kept device and precision: one load (the first load waited for them)
            note = self.panel_kept.devices_known(listed)
        if note:
            self.window.statusBar().showMessage(note)
        if self._load_request == _WAITING_FOR_DEVICES:  # the device as it was: the load waited for nothing else
            self._load_request = None
            self.load_model()
            self._update_run_actions()  # (no checkpoint any more: no load)

    def _on_loaded(self, request_id: int, model: LoadedModel) -> None:
        if request_id != self._load_request:  # stale: a newer load was asked for
            self.loads.thread_moved = True  # (put in place before the thread knew: `_on_failed` puts ours back)
            return
        self._load_request, self.loads.thread_moved = None, False
        previous, self.model = self.model, model
        self.scores.tau_applies = model.info.tau is not None
        s = self.settings
        if model.checkpoint is not None and model.checkpoint != s.checkpoint:  # a run folder: its weights
            self._restoring = True  # named, not loaded again
            try:
                s.set_checkpoint(model.checkpoint)
            finally:
                self._restoring = False
        same_weights = previous is not None and bool(model.weights) and previous.weights == model.weights
        rewritten = previous is not None and bool(model.weights and previous.weights) and not same_weights
        chosen, self._tau_chosen_for = self._tau_chosen_for == s.checkpoint, None  # τ moved while it loaded
        if model.info.tau is not None and not same_weights and (  # (the same weights in another file: the user's τ)
                self._loaded_settings is None or self._loaded_settings[0] != s.checkpoint or rewritten):
            # another checkpoint: the τ it was trained at, as fosp eval / predict use (the kept one at its first
            # load); the defaults for a user who has not chosen: a τ moved while it loaded stays
            tau = self.panel_kept.first_tau(s.checkpoint, model.info.tau)
            if not chosen:
                self._tau_loading = True
                try:
                    s.set_tau(tau)
                finally:
                    self._tau_loading = False
        self._loaded_settings = (s.checkpoint, s.device, s.precision, s.input)
        self.panel.set_model_info(model.info, model.device)
        self._set_model_ready(True)
        self._show_ready(model)
        self._show_current()
        self.model_changed.emit()
        self._run(self.planner.take_after_load())

    def _set_model_ready(self, ready: bool) -> None:
        self._model_ready = ready
        self._update_run_actions()

    def loaded_checkpoint(self) -> tuple[Path, str, str, str] | None:
        """(checkpoint, device it runs on, precision, input choice) of the loaded model, or None when
        none is loaded."""
        if self.model is None or self._loaded_settings is None or self._loaded_settings[0] is None:
            return None
        checkpoint, _device, precision, input = self._loaded_settings
        return checkpoint, self.model.device, precision, input

    def _on_failed(self, request_id: int, path: Path | None, message: str) -> None:
        if self.loads.stale(request_id, self._load_request):
            return  # a newer load was asked for (the user moved on): dropped, as a stale success is
        loading = request_id == self._load_request
        if loading:  # the load is over; a run asked for meanwhile was meant for the model that failed
            self._load_request = None
            self._tau_chosen_for = None  # a τ moved meanwhile was for this load only
            self.planner.drop_after_load()
            self._update_run_actions()  # no longer waiting for a model
        if loading and self._loaded_settings is not None:
            self._restoring = True  # go back to the model that still works
            try:
                checkpoint, device, precision, input = self._loaded_settings
                self.settings.set_checkpoint(checkpoint)
                self.settings.set_device(device)
                self.settings.set_precision(precision)
                self.settings.set_input(input)
            finally:
                self._restoring = False
            self._set_model_ready(self.model is not None)
            if self.model is not None:
                self.panel.set_model_info(self.model.info, self.model.device)  # its details again
            if self.model is not None and self.loads.thread_moved:  # a stale load runs on the thread: ours again
                self.load_model()
        elif loading:  # none in use: the app's default model in its place, else none named (nor kept for next time)
            message = self._open_instead(message)
        if loading and self.model is not None and self._loaded_settings and self._loaded_settings[0] is not None:
            message = with_headline_note(message, f"The model you had open, {self._loaded_settings[0].name}, "
                                                  "stays in use.")  # which model the user has now (details last)
        self.reports.report(message, PanelStatus.FAILURE)  # it stays after a run (runs._on_done)

    def _open_instead(self, message: str) -> str:
        """A load failed with no model in use: open the default model in its place (unless it is the one that
        failed), or name none; `message` with a headline that says which."""
        failed, default = self.settings.checkpoint, self.panel_kept.default
        if default is not None and default != failed:
            self.settings.set_checkpoint(default)  # (loads it)
            return with_headline_note(message, f"The default model, {default.name}, is opened in its place.")
        self._restoring = True
        try:
            self.settings.set_checkpoint(None)
        finally:
            self._restoring = False
        return with_headline_note(message, "No model is open.")
