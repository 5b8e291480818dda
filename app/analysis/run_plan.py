"""Which open images the analysis view runs the model on, and when: the bookkeeping between the
session, the result cache, the scores (:class:`~app.analysis.readouts.ScoreReadout` and its
:class:`~fosp_core.analysis.scorebook.ScoreBook`) and the inference worker's jobs. No widgets; the
controller (:mod:`app.analysis.controller`) asks it and starts the runs.

- **Run on all** (:meth:`RunPlanner.run_all`) predicts every open image that has neither a cached
  result nor its scores at the current model, τ, threshold and region rule (against its label as it
  is now), so a second Run on all over more images than the cache keeps does not run them again;
  nor, after a reopening, those whose saved worklist summary is of this model at these settings
  (`summarised`, set by the window: `app.annotation.worklist_summaries`), said in the plan's note
  (with those whose kept scores the reopening gave the metrics already: `app.analysis.kept_metrics`);
  Run on All Again (`RunPlanner.everything`) leaves none of those out, also when it waits for a
  model to load, a video to close, or was paused behind one. The plan is made in three steps so that
  its file system work (a ``stat`` of each image's label file, the summaries' folders resolved) runs
  off the GUI thread (:mod:`app.analysis.run_all_planning`): :meth:`RunPlanner.ask` (GUI thread, in
  memory: the images without a cached result), :func:`find` (any thread: the label files as they
  are now, the summaries' answers) and :meth:`RunPlanner.finish` (GUI thread: the score book's
  answers, the jobs); :meth:`RunPlanner.run_all` does the three at once.
- **Catching up** (:meth:`RunPlanner.should_catch_up`): the image shown runs again when its result was
  run at another τ than the panel's (τ moved while another image was shown), or when it has none but
  ran at these settings (Run on all scored it, then the result cache let its maps go), or has none
  but a result of the same checkpoint at another input, device or precision (the analyst changed
  one: the image shown follows, as it follows τ); once per image and τ, so a failure is not retried.
- A run asked for while a model loads waits for it (:meth:`RunPlanner.defer`; "all" wins); so does one
  asked for while a video is open (:mod:`app.analysis.standby`).
- **Pausing behind a video** (:meth:`RunPlanner.pause_all`): a Run on all under way when a video opens
  stops after the image in progress and waits, as a run asked for then; back in image mode it goes on
  with the images left (those without a result or scores, as ever), and the panel says so. Back in
  image mode before the image in progress is done, it goes on once that is
  (:meth:`RunPlanner.resume_when_done`): at once, that image (no result yet) would run a second time.
  It goes on over the images it was started on only, as a run no video paused: images opened to leave
  the video (or meanwhile) are a new context, run when the user asks (Run on all again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.analysis.inference_worker import Job
from app.analysis.readouts import ScoreReadout
from fosp_core.analysis.results import ResultCache, ResultKey, tau_key
from fosp_core.analysis.scorebook import ImageScore, LabelStamp, label_stamps
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction
from fosp_core.session import ImageSession

__all__ = ["PAUSED_TEXT", "PlanAsk", "PlanFound", "RunAllPlan", "RunPlanner", "find", "summarised_note"]

PAUSED_TEXT = "Run on All Images paused while a video is open: it goes on in image mode"


@dataclass(frozen=True)
class RunAllPlan:
    """What Run on all predicts: `jobs`, in the session's order; `note`: what to say when there is
    nothing to run, or that a paused run goes on; `everything`: a Run on All Again (no image left out
    for its saved summary)."""

    jobs: list[Job]
    note: str = ""
    everything: bool = False


#: a summary's kept scores of an image Run on all leaves out: (its result key, the label file scored
#: against, its scores) - `app.annotation.kept_scores`
Kept = tuple[ResultKey, LabelStamp, ImageScore]
#: the worker side of the `RunPlanner.summarised` hook: for each image, whether its saved summary is of
#: this model at these settings; the scores those summaries keep; the labelled images whose summary keeps none
SummarisedPass = Callable[[list[Path]], tuple[list[bool], list[Kept], list[Path]]]


@dataclass(frozen=True)
class PlanAsk:
    """What a Run on all's plan asks of the file system, taken on the GUI thread (:meth:`RunPlanner.ask`):
    `keys`, the open images without a cached result (of `model_id` at τ), in the session's order; the
    panel's `threshold` and rule `keep`; `paths`, the session's paths it was taken from (an image open
    now that is not among them - another folder opened meanwhile - makes the plan stale); the image
    shown, `current_path` and its decoded `current_rgb`; `everything` (a Run on All Again) and `resumed` (a run paused for a
    video goes on), spent by the ask; `summarised`, the summaries' question for the worker (None: none)."""

    model_id: str
    tau: float
    threshold: float
    keep: str
    paths: Sequence[Path]
    keys: list[ResultKey]
    current_path: Path | None = None
    current_rgb: np.ndarray | None = None
    everything: bool = False
    resumed: bool = False
    summarised: SummarisedPass | None = None

    def settings(self) -> tuple[float, float, str]:
        """(τ, threshold, rule) the plan is for (a plan arriving after the panel's changed is made again)."""
        return tau_key(self.tau), self.threshold, self.keep


@dataclass(frozen=True)
class PlanFound:
    """What :func:`find` found for a :class:`PlanAsk`: the label file of each of its images as it is now
    (`stamps`), whether each one's saved summary is of this model at these settings (`summarised`, in
    the ask's order; None: not asked), the scores those summaries keep (`kept`), the images with a label
    whose summary keeps none (`unscored`); `error`: why it could not look (the plan is then not made)."""

    stamps: dict[Path, LabelStamp | None] = field(default_factory=dict)
    summarised: list[bool] | None = None
    kept: list[Kept] = field(default_factory=list)
    unscored: list[Path] = field(default_factory=list)
    error: str = ""


def find(ask: PlanAsk) -> PlanFound:
    """On any thread (Run on all's planning worker): the file system's answers for `ask` - a ``stat``
    of each image's label file, each label folder listed once (`label_stamps`), and the summaries'
    question (each folder resolved once, a ``stat`` of each summarised image's label); an OSError or
    any other failure is told in `error`, not raised (the GUI thread would wait for ever)."""
    try:
        paths = [key.path for key in ask.keys]
        stamps = label_stamps(paths)
        if ask.summarised is None or ask.everything or not paths:
            return PlanFound(stamps)
        done, kept, unscored = ask.summarised(paths)
        return PlanFound(stamps, done, kept, unscored)
    except Exception as exc:  # noqa: BLE001 - told on the GUI thread (the panel), not lost on the worker
        return PlanFound(error=f"{type(exc).__name__}: {exc}")


def summarised_note(skipped: int, unscored: int = 0) -> str:
    """What Run on all says of the `skipped` images whose saved summary is of this model at these settings,
    `unscored` of them labelled with no scores kept in it (the folder metrics have none of them: the metrics
    note says why)."""
    if not skipped:
        return ""
    note = (f"{skipped} image{'s' if skipped != 1 else ''} skipped: {'their' if skipped != 1 else 'its'} saved "
            "summary is of this model at these settings")
    if not unscored:
        return note + " (Annotate ▸ Run on All Again runs every image)"
    # why, and Run on All Again, are the metrics note's to say (readouts.UNSCORED_WHY): said here too, the line
    # took 7 lines; said as the count and a pointer in 6, the note was still below the Model dock's fold at
    # 1366x768 (tests/gui/test_prelabel_note_in_view.py)
    of = f"{unscored} of them are" if skipped != 1 else "it is"
    return note + f"; {of} labelled but not scored: the note under the table says why"


class RunPlanner:
    """See the module doc. `after_load`: the run ("current" or "all") asked for while a model loads (or a
    video is open); `caught_up`: the last (image, τ, model) run again by :meth:`should_catch_up`; `all_request`:
    the request id of the last Run on all started (the controller sets it); `paused`: a Run on all
    paused for a video, not gone on yet; `resume_after`: the paused run's request, still finishing its
    image in progress when video mode ended (the run goes on once it is done); `all_paths`: the images of
    the last Run on all started (:meth:`started_all`), those a paused one goes on over; `ran_before`:
    whether an image was run in an earlier session (its annotation project holds a model summary of
    it; the window sets it, None: never): asked only while no model's result of it is cached, so that
    choosing another checkpoint still waits to be asked; `everything`: the next Run on all planned is a
    Run on All Again (Annotate menu: no image left out for its saved summary), kept while it waits for a
    model or a video and for a run of it paused behind a video, spent by the plan."""

    def __init__(self, session: ImageSession, settings: AnalysisSettings, cache: ResultCache,
                 scores: ScoreReadout) -> None:
        self.session = session
        self.settings = settings
        self.cache = cache
        self.scores = scores
        self.after_load: str | None = None
        self.caught_up: tuple[Path, float | None, str] | None = None
        self.all_request: int | None = None
        self.paused = False
        self.resume_after: int | None = None
        self.all_paths: frozenset[Path] = frozenset()
        self.ran_before: Callable[[Path], bool] | None = None
        #: given the loaded model's id, on the GUI thread: the function that tells, on the planning
        #: worker, whether each image's project holds a summary made by that model at the panel's
        #: settings (`SummarisedPass`; the window sets it; None: never): Run on all leaves those images
        #: out, and says how many
        self.summarised: Callable[[str], SummarisedPass | None] | None = None
        #: where the scores kept in the summaries of the images a plan leaves out go, on the GUI thread
        #: (the window sets it: the folder metrics count them)
        self.kept: Callable[[list[Kept]], None] | None = None
        self.progress: tuple[int, int] | None = None  # (done, total) of the Run on all under way, last told
        self.everything = False
        self._all_everything = False  # the Run on all under way is a Run on All Again

    # --- while a model loads ------------------------------------------------------------------
    def defer(self, run: str, loading: bool) -> bool:
        """While a model loads (`loading`), remember `run` ("current" or "all"; "all" wins) for when
        it is ready (its id would not be the loaded model's); returns whether it was deferred."""
        if not loading:
            return False
        self.after_load = "all" if "all" in (run, self.after_load) else run
        return True

    def take_after_load(self) -> str | None:
        """The run deferred while the model loaded (now forgotten), or None."""
        queued, self.after_load = self.after_load, None
        return queued

    def drop_after_load(self) -> None:
        """The model failed to load: the run asked for meanwhile (a Run on All Again too) is forgotten."""
        self.after_load, self.everything = None, False

    def forget(self) -> None:
        """The user cancelled: no run waits, none is paused."""
        self.after_load, self.all_request, self.paused, self.resume_after = None, None, False, None
        self.all_paths, self.everything = frozenset(), False

    # --- pausing behind a video -----------------------------------------------------------------
    def started_all(self, request: int, plan: RunAllPlan) -> None:
        """The controller started Run on all `plan` as `request` (paused if a video opens)."""
        self.all_request, self.all_paths = request, frozenset(job.path for job in plan.jobs)
        self.progress, self._all_everything = (0, len(plan.jobs)), plan.everything

    def pause_all(self, runs: set[int]) -> bool:
        """A video opened: whether the Run on all under way (`all_request`, one of the outstanding
        `runs`) pauses; it then waits as a run asked for meanwhile (`after_load`). The caller cancels the
        runs (the image in progress finishes)."""
        if self.all_request is None or self.all_request not in runs:
            return False
        self.after_load, self.paused, self.everything = "all", True, self._all_everything
        return True

    def resume_when_done(self, runs: set[int]) -> bool:
        """Video mode ended: whether the paused Run on all waits for its image in progress (its request
        still one of the outstanding `runs`) before it goes on; the controller then goes on when
        `resume_after` is done."""
        if not self.paused or self.all_request is None or self.all_request not in runs:
            return False
        self.resume_after = self.all_request
        return True

    def cancelled_text(self) -> str:
        """What the panel says when the runs end cancelled: paused for a video, or cancelled (a Run on
        all: after how many of its images, and that Run on All again runs only those left)."""
        if self.paused:
            return PAUSED_TEXT
        progress, self.progress = self.progress, None
        if progress is None or progress[0] >= progress[1]:
            return "Cancelled"
        done, total = progress
        return f"Cancelled after {done} of {total} images: Run on All Images runs the {total - done} left"

    # --- Run on all -----------------------------------------------------------------------------
    def open_keys(self, model_id: str) -> list[ResultKey]:
        """The result key of every open image with `model_id` at the panel's τ (the session's paths
        are resolved already: no file system access)."""
        tau = tau_key(self.settings.tau)
        return [ResultKey(path, model_id, tau) for path in self.session.paths]

    def run_all(self, model_id: str) -> RunAllPlan:
        """The images Run on all predicts with `model_id` (see the module doc), planned at once on this
        thread (:meth:`ask`, :func:`find`, :meth:`finish`); the image shown goes with its decoded
        pixels, the others decode on the worker."""
        return self.finish(ask := self.ask(model_id), find(ask))

    def ask(self, model_id: str) -> PlanAsk:
        """On the GUI thread, in memory only: what Run on all's plan with `model_id` asks of the file
        system (:class:`PlanAsk`); spends `everything` and `paused` (:meth:`restore` gives them back)."""
        current = self.session.current_image
        keys = self.open_keys(model_id)
        if self.paused:  # it goes on over its own images, not those opened since
            keys = [key for key in keys if key.path in self.all_paths]
        uncached = [key for key in keys if key not in self.cache]
        (everything, self.everything), (resumed, self.paused) = (self.everything, False), (self.paused, False)
        summarised = None if everything or self.summarised is None else self.summarised(model_id)
        s = self.settings
        return PlanAsk(model_id, float(s.tau), float(s.threshold), s.keep, self.session.paths, uncached,
                       self.session.current_path, None if current is None else current.rgb, everything, resumed,
                       summarised)

    def restore(self, ask: PlanAsk) -> None:
        """A plan dropped to be made again (the panel's settings changed meanwhile): its Run on All
        Again and going on after a video are kept for the next."""
        self.everything, self.paused = ask.everything, ask.resumed

    def finish(self, ask: PlanAsk, found: PlanFound) -> RunAllPlan:
        """On the GUI thread: the plan of `ask` with what :func:`find` `found` - the images with neither a
        result cached (now) nor scores known against their label as it is, less those whose summary is
        of this model at these settings (their kept scores handed to `kept`)."""
        threshold, keep, covers = ask.threshold, ask.keep, self.scores.book.covers
        uncached = [key for key in ask.keys if key not in self.cache]  # a result may have come meanwhile
        todo = [key for key in uncached if not covers(key, found.stamps.get(key.path), threshold, keep)]
        done = dict(zip(ask.keys, found.summarised, strict=True)) if found.summarised is not None else {}
        left_out = {key for key in todo if done.get(key)}
        jobs = [Job(key.path, ask.current_rgb if key.path == ask.current_path else None)
                for key in todo if key not in left_out]
        kept = [one for one in found.kept if one[0] in left_out]
        if kept and self.kept is not None:
            self.kept(kept)
        unscored = set(found.unscored)
        self.scores.left_unscored = frozenset(key for key in left_out if key.path in unscored)  # the metrics say why
        todo_now = set(todo)  # scored from their summaries already (`app.analysis.kept_metrics`): skipped for them too
        from_summaries = sum(1 for key in uncached if key not in todo_now and key in self.scores.kept)
        saved = summarised_note(len(left_out) + from_summaries, len(self.scores.left_unscored))
        if jobs:
            note = f"Run on All Images goes on: {len(jobs)} image{'s' if len(jobs) != 1 else ''} left" if ask.resumed else ""
            return RunAllPlan(jobs, "; ".join(part for part in (note, saved and f"Run on All Images: {len(jobs)} to run, "
                                                                f"{saved}") if part), ask.everything)
        if saved:
            return RunAllPlan([], f"Nothing to run: {saved}")
        return RunAllPlan([], "Every image already has a result" if not uncached else
                          "Every image is already scored at these settings")

    # --- catching up ----------------------------------------------------------------------------
    def image_changed(self) -> None:
        """Another image is shown: coming back to the one caught up may catch up again."""
        if self.caught_up is not None and self.caught_up[0] != self.session.current_path:
            self.caught_up = None

    def _ran_otherwise(self, path: Path, model_id: str) -> bool:
        """Whether the cache holds a result of `path` by the weights of `model_id` at another device,
        precision or input (model ids are "weights:<digest>|device|precision[|input]", or
        "checkpoint@stamp|..." where the weights are not known: `app.analysis.model_ids`)."""
        checkpoint = model_id.split("|", 1)[0]
        return any(model != model_id and model.split("|", 1)[0] == checkpoint for model in self.cache.models_for(path))

    def should_catch_up(self, shown: Prediction | None, model_id: str) -> bool:
        """Whether the image shown (`shown`: its result on screen, or None) should run again with
        `model_id` at the panel's τ (see the module doc); a yes is remembered, and not said twice for
        the same image, τ and model."""
        path = self.session.current_path
        if path is None or self.session.current_image is None:
            return False
        tau = tau_key(self.settings.tau)
        if shown is None:
            needed = (self.scores.book.was_run(ResultKey(path, model_id, tau)) or self._ran_otherwise(path, model_id)
                      or (self.ran_before is not None and not self.cache.models_for(path) and self.ran_before(path)))
        else:
            needed = shown.tau is not None and tau_key(shown.tau) != tau
        if not needed or self.caught_up == (path, tau, model_id):  # once: a failure is not retried
            return False
        self.caught_up = (path, tau, model_id)
        return True
