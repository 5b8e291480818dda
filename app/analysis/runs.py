"""Running the model from the analysis view: Run on this image, Run on all, Cancel, the results as
they arrive, catching up with the image shown, and pausing behind a video.

:class:`AnalysisRuns` is a part of :class:`~app.analysis.controller.AnalysisController` (a mixin: its
methods are the controller's ``run_current``, ``run_all``, ``cancel``, ...), kept apart because the
life of a run is a concept of its own: which images run, and when, :class:`~app.analysis.run_plan.RunPlanner`
decides; this starts the worker's requests, keeps the outstanding ones (`_runs`), caches and scores each
result, shows the one of the image shown and says in the model panel how far the run got. An image a
run cannot read is the session's to drop and tell, as one whose thumbnail failed (told once).

Run on all's plan is made on a thread of its own (:mod:`app.analysis.run_all_planning`: a ``stat`` of each
image's label, the saved summaries, seconds on a network drive): :meth:`AnalysisRuns.run_all` asks for it
and returns, the panel saying "Planning…" with Cancel; :meth:`AnalysisRuns._on_planned` starts the run
when it arrives, unless it went stale, and ``planning.planned`` tells its request id (None: nothing ran).

A Run on all under way when a video opens pauses (:meth:`AnalysisRuns.video_entered`; the image in
progress finishes) and goes on back in image mode (:meth:`AnalysisRuns.video_left`), once that image
is done: started before, it would run that image a second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.analysis.inference_worker import Job
from app.analysis.model_panel import NO_MODEL_RUN_TEXT, PanelStatus
from app.analysis.prepared import PreparedResult, result_preparer
from app.analysis.run_all_planning import planning_text
from app.analysis.run_plan import PAUSED_TEXT
from fosp_core.analysis.results import ResultKey, tau_key
from fosp_core.analysis.settings import device_words

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from app.analysis.inference_worker import InferenceWorker, LoadedModel
    from app.analysis.model_panel import ModelPanel
    from app.analysis.readouts import ScoreReadout
    from app.analysis.run_all_planning import RunAllPlanning
    from app.analysis.run_plan import PlanAsk, PlanFound, RunPlanner
    from app.analysis.shown import ShownResult
    from app.analysis.standby import VideoStandby
    from app.host import AppWindow
    from fosp_core.analysis.layers import LayerStack
    from fosp_core.analysis.results import ResultCache
    from fosp_core.analysis.settings import AnalysisSettings
    from fosp_core.infer.result import Prediction
    from fosp_core.session import ImageSession

__all__ = ["AnalysisRuns", "ready_text"]


def ready_text(device: str, done: int) -> str:
    """The panel's status once a model is ready on `device` ("cpu", "cuda:0"), with `done` (the images
    this model has results for at this τ): 'Model ready (CPU) · no results yet', '… · 3 images done'
    (the device named by `device_words`, as every other line names it)."""
    where = device_words(device)
    done_text = "no results yet" if done == 0 else f"{done} image{'s' if done != 1 else ''} done"
    return f"{READY_PREFIX}({where}) · {done_text}"


#: How :func:`ready_text` begins (a ready line is told by its PanelStatus.READY kind, not by these words).
READY_PREFIX = "Model ready "


class AnalysisRuns:
    """The runs of the analysis view (see module doc); AnalysisController sets these attributes."""

    window: AppWindow
    session: ImageSession
    settings: AnalysisSettings
    layers: LayerStack
    cache: ResultCache
    worker: InferenceWorker
    panel: ModelPanel
    scores: ScoreReadout
    planner: RunPlanner
    planning: RunAllPlanning  # Run on all's plan, on its worker
    standby: VideoStandby
    shown: ShownResult
    model: LoadedModel | None
    _load_request: int | None
    _runs: set[int]  # outstanding predict requests
    _image_runs: dict[int, Path]  # the outstanding run_current requests: their image
    _prepared: PreparedResult | None  # what the worker made of the next result
    _metrics_timer: QTimer

    if TYPE_CHECKING:  # AnalysisController's
        @property
        def prediction(self) -> Prediction | None: ...

        def update_metrics(self) -> None: ...

        def _show_current(self) -> None: ...

        def _update_run_actions(self) -> None: ...

    def _key(self, path: Path) -> ResultKey | None:
        return None if self.model is None else ResultKey.make(path, self.model.model_id, self.settings.tau)

    def _asked(self, which: str) -> None:
        """Ctrl+R / Ctrl+Shift+R (menu, keys): run, or say that a model is needed and where to get one."""
        if self.model is None and self._load_request is None:
            self.panel.show_status(NO_MODEL_RUN_TEXT, PanelStatus.NOTICE)
            self.window.statusBar().showMessage(NO_MODEL_RUN_TEXT, 8000)
        else:
            self._run(which)

    def _run(self, which: str | None) -> None:
        """Run on this image ("current"), Run on all ("all"), or nothing (None)."""
        if which == "current":
            self.run_current()
        elif which == "all":
            self.run_all()

    def run_current(self) -> int | None:
        """Predict the current image unless its result is cached; returns the request id or None
        (also while a model loads or a video is open: the run starts once it is ready, or closed)."""
        if self.planner.defer("current", self._load_request is not None or self.standby.waits()):
            return None
        image, key = self.session.current_image, None
        if image is not None:
            key = self._key(Path(image.path))
        if image is None or key is None:
            return None
        cached = self.cache.get(key)
        if cached is not None:
            self.shown.show(cached)
            return None
        request = self.worker.predict([Job(key.path, image.rgb)], key.model, self.settings.tau, self._preparer(True))
        self._runs.add(request)
        self._image_runs[request] = key.path
        self.panel.set_busy(0, 1)
        self._update_run_actions()  # the Layers note: running
        return request

    def run_all(self) -> bool:
        """Run on all: predict every open image that has neither a cached result nor its scores at the
        current model, τ, threshold and region rule (:meth:`RunPlanner.run_all`); images decode on the
        worker. An image scored whose result left the cache runs again when it is shown.

        The plan (a ``stat`` of each image's label, the saved summaries: seconds on a network drive)
        is made on a worker of its own (:mod:`app.analysis.run_all_planning`), the panel saying
        "Planning…"; the run starts when it arrives and ``planning.planned`` tells its request id, or
        None when nothing ran. Returns whether a plan was asked for: False without a model, or while a
        model loads or a video is open (it is planned once ready, or closed)."""
        if self.planner.defer("all", self._load_request is not None or self.standby.waits()) or self.model is None:
            return False
        self._metrics_timer.stop()
        self.update_metrics()  # score the cached results at these settings before new results push them out
        ask = self.planner.ask(self.model.model_id)
        self.planning.start(ask)  # (a plan under way is dropped: this one is wanted)
        if not self._runs:
            self.panel.set_busy(0, 1)  # the Cancel button, beside a bar that says it is under way
            self.panel.progress.setRange(0, 0)
        self.panel.show_status(planning_text(len(ask.keys)))
        return True

    def _on_planned(self, ask: PlanAsk, found: PlanFound) -> None:
        """Run on all's plan arrived (:class:`RunAllPlanning`): start it, unless it went stale meanwhile -
        another model (its runs would be the old one's: dropped, as a model change cancels a run),
        a video opened (it waits, as a Run on all asked for then, and is made in image mode), the panel's
        τ, threshold or rule changed or images opened (made again, over the images open now)."""
        model = self.model
        if model is None or model.model_id != ask.model_id or self._load_request is not None:
            self._plan_ended()  # ("Loading …" or the new model's line stays)
            return
        if self.standby.waits():  # planned again in image mode, at the settings then: that plan tells
            self.planner.restore(ask)  # (first: a stale plan made again now would wait unsaid, "Planning…" shown)
            self.planner.defer("all", True)
            if not self._runs:
                self.panel.set_busy(0, 0)
            self.panel.show_status(PAUSED_TEXT)
            return
        s = self.settings
        if ask.settings() != (tau_key(s.tau), float(s.threshold), s.keep) or not set(ask.paths).issuperset(
                self.session.paths):
            self.planner.restore(ask)
            self.run_all()
            return
        if found.error:
            self._plan_ended(f"Run on All Images could not look at the images' labels: {found.error}", PanelStatus.NOTICE)
            return
        plan = self.planner.finish(ask, found)
        plan = replace(plan, jobs=[job for job in plan.jobs if job.path in self.session])  # one dropped meanwhile
        if not plan.jobs:
            self._plan_ended(plan.note)
            return
        request = self.worker.predict(plan.jobs, model.model_id, ask.tau, self._preparer())
        self._runs.add(request)
        self.planner.started_all(request, plan)  # paused while a video is open (video_entered)
        self.panel.set_busy(0, len(plan.jobs))
        if plan.note:  # a run paused for a video goes on
            self.panel.show_status(plan.note)
        else:
            self._show_ready(model)  # (its count follows the run)
        self.planning.planned.emit(request)

    def _plan_ended(self, text: str | None = None, kind: PanelStatus = PanelStatus.MESSAGE) -> None:
        """A plan ended with nothing started: the panel as it was before (`text`: what it says, a status of
        `kind`; None: leave the line), and ``planned(None)``."""
        if not self._runs:
            self.panel.set_busy(0, 0)
        if text:
            self.panel.show_status(text, kind)
        self.planning.planned.emit(None)

    def running_on(self, path: Path | None) -> bool:
        """Whether a Run on This Image of `path` (Ctrl+R, or its result run again as it was shown) is under way:
        its result is coming, and the prediction tools' hint says so instead of naming Ctrl+R."""
        return path is not None and any(p == path and r in self._runs for r, p in self._image_runs.items())

    def busy(self) -> bool:
        """Whether a run of the model is under way (any image's: Run on This Image, Run on All)."""
        return bool(self._runs)

    def running(self, request: int) -> bool:
        """Whether run `request` (an id :meth:`run_current` returned, or ``planning.planned`` told) is under way."""
        return request in self._runs

    def cancel(self) -> None:
        """Cancel every running request (the image in progress completes), a Run on all being planned
        and a run waiting for a model to load."""
        self.planner.forget()
        planning = self.planning.drop() is not None
        if self._runs:
            self.worker.cancel(max(self._runs))
            self.panel.show_status("Cancelling…")
        if planning:
            self._plan_ended(None if self._runs else "Run on All Images cancelled while it planned: nothing ran")

    def _preparer(self, draw: bool = False) -> Callable[[Path, Prediction], PreparedResult]:
        """What the worker makes of each result (label, scores, layer arrays: :mod:`app.analysis.prepared`;
        `draw`: and the full arrays of the shown layers held at the grid, for the image shown's run)."""
        return result_preparer(self.layers, self.settings.threshold, self.settings.keep, draw)

    def _on_prepared(self, _request_id: int, _path: Path, prepared: object) -> None:
        self._prepared = prepared if isinstance(prepared, PreparedResult) else None  # for the next result

    def _on_result(self, request_id: int, path: Path, model_id: str, tau: float, prediction: Prediction) -> None:
        prepared, self._prepared = self._prepared, None
        if self.model is not None and model_id != self.model.model_id and request_id in self._runs:
            self.model = replace(self.model, model_id=model_id)  # fell back to another device
        result_key = ResultKey.make(path, model_id, tau)
        self.cache.put(result_key, prediction)
        self.scores.score(result_key, prediction, prepared)  # now: the cache may let it go before the table is filled
        key = self._key(path)
        if (key is not None and key.model == model_id and key.tau == tau_key(tau) and path == self.session.current_path
                and not self.standby.waits()):
            self.shown.show(prediction, prepared)
        self._metrics_timer.start()

    def _on_unreadable(self, _request_id: int, path: Path, why: str) -> None:
        """An image of a run could not be read: the session drops it from the list and the window tells
        it, once (:meth:`ImageSession.mark_failed`: nothing more when its thumbnail failed first);
        the run goes on with the others."""
        self.session.mark_failed(path, why)

    def _on_progress(self, request_id: int, done: int, total: int) -> None:
        if request_id in self._runs and total > 1:
            self.panel.set_busy(done, total)
            self.planner.progress = (done, total)  # what a cancel then says
            if self.model is not None and self.panel.status_kind is PanelStatus.READY:
                self._show_ready(self.model)  # the count under the bar follows it ("Cancelling…" stays)

    def _on_done(self, request_id: int, cancelled: bool) -> None:
        if request_id == self._load_request:
            self._load_request = None
            self._update_run_actions()
        self._runs.discard(request_id)
        if self._image_runs.pop(request_id, None) is not None:
            self._update_run_actions()  # the Layers note: no longer running
        if not self._runs and not self.planning.pending:  # (while Run on all plans, its line and Cancel stay)
            self.panel.set_busy(0, 0)
            if cancelled and self._load_request is None:  # else "loading…" stays until the model is ready
                self.panel.show_status(self.planner.cancelled_text())  # or paused for a video
            elif self.model is not None and self.panel.status_kind not in (PanelStatus.LOADING, PanelStatus.FAILURE):
                self._show_ready(self.model)
            if not cancelled:
                self._catch_up()  # the user moved on while this ran
        if request_id == self.planner.resume_after:  # the paused run's image in progress is done: it goes on
            self.planner.resume_after = None
            if self._load_request is None and not self.standby.waits():
                self._run(self.planner.take_after_load())

    def _show_ready(self, model: LoadedModel) -> None:
        """Say in the panel that `model` is ready, with how many images it has results for at this τ
        (:func:`ready_text`): once it has loaded, and after a run. Those whose results left the cache
        count too (their scores are kept: the metrics box counts them, Run on all does not run them). A
        run folder loaded (its weights) is named under it, as the CLI names it."""
        tau = self.settings.tau
        ran = self.scores.book.ran(model.model_id, tau)  # (a keys view: len and `in` without a copy)
        done = len(ran) + sum(1 for path in self.cache.for_model(model.model_id, tau) if path not in ran)
        note = f"\n{model.note}" if model.note else ""  # a run folder given: which of its files, as the CLI says
        self.panel.show_status(ready_text(model.device, done) + note, kind=PanelStatus.READY)

    def _catch_up(self) -> None:
        """Run the image shown again when :meth:`RunPlanner.should_catch_up` says so (its result ran at
        another τ, or the cache let it go), one image at a time: the next when this one is done."""
        if (self.model is not None and not self._runs and self._load_request is None and not self.standby.waits()
                and self.planner.should_catch_up(self.prediction, self.model.model_id)):
            self.run_current()

    def video_entered(self) -> None:
        """A video opened (``VideoMode.opened``): a Run on All under way pauses (the image in progress
        finishes); the images left run when video mode ends (:meth:`RunPlanner.pause_all`)."""
        if self.planner.pause_all(self._runs):
            self.worker.cancel(max(self._runs))

    def video_left(self) -> None:
        """Video mode ended (``VideoMode.left``): show the current image as this view would have shown it
        had no video been open, and start the run asked for meanwhile (:mod:`app.analysis.standby`); a
        paused Run on all goes on once its image in progress is done (:meth:`RunPlanner.resume_when_done`)."""
        owed = self.standby.take()
        if self._load_request is None and not self.planner.resume_when_done(self._runs):  # else once ready, or done
            self._run(self.planner.take_after_load())
        if owed:
            self._show_current()  # (it catches up once no run is left)
