"""Which open images the analysis view runs the model on, and when: the bookkeeping between the
session, the result cache, the scores (:class:`~app.analysis.readouts.ScoreReadout` and its
:class:`~fosp_core.analysis.scorebook.ScoreBook`) and the inference worker's jobs. No widgets; the
controller (:mod:`app.analysis.controller`) asks it and starts the runs.

- **Run on all** (:meth:`RunPlanner.run_all`) predicts every open image that has neither a cached
  result nor its scores at the current model, τ, threshold and region rule (against its label as it
  is now), so a second Run on all over more images than the cache keeps does not run them again;
  nor, after a reopening, those whose saved worklist summary is of this model at these settings
  (`summarised`, set by the window: `app.annotation.worklist_summaries`), said in the plan's note;
  Run on All Again (`RunPlanner.everything`) leaves none of those out, also when it waits for a
  model to load, a video to close, or was paused behind one.
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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.analysis.inference_worker import Job
from app.analysis.readouts import ScoreReadout
from fosp_core.analysis.results import ResultCache, ResultKey, tau_key
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction
from fosp_core.session import ImageSession

__all__ = ["PAUSED_TEXT", "RunAllPlan", "RunPlanner", "summarised_note"]

PAUSED_TEXT = "Run on All paused while a video is open: it goes on in image mode"


@dataclass(frozen=True)
class RunAllPlan:
    """What Run on all predicts: `jobs`, in the session's order; `note`: what to say when there is
    nothing to run, or that a paused run goes on; `everything`: a Run on All Again (no image left out
    for its saved summary)."""

    jobs: list[Job]
    note: str = ""
    everything: bool = False


def summarised_note(skipped: int) -> str:
    """What Run on all says of the `skipped` images whose saved summary is of this model at these settings."""
    if not skipped:
        return ""
    return (f"{skipped} image{'s' if skipped != 1 else ''} skipped: {'their' if skipped != 1 else 'its'} saved "
            "summary is of this model at these settings (Annotate ▸ Run on All Again runs every image)")


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
        #: whether each image's project holds a summary made by `model_id` at the panel's settings (the
        #: window sets it, one call for the plan's images; None: never): Run on all leaves those images
        #: out, and says how many
        self.summarised: Callable[[list[Path], str], list[bool]] | None = None
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
            return "cancelled"
        done, total = progress
        return f"cancelled after {done} of {total} images: Run on All runs the {total - done} left"

    # --- Run on all -----------------------------------------------------------------------------
    def open_keys(self, model_id: str) -> list[ResultKey]:
        """The result key of every open image with `model_id` at the panel's τ (the session's paths
        are resolved already: no file system access)."""
        tau = tau_key(self.settings.tau)
        return [ResultKey(path, model_id, tau) for path in self.session.paths]

    def run_all(self, model_id: str) -> RunAllPlan:
        """The images Run on all predicts with `model_id` (see the module doc); the image shown goes
        with its decoded pixels, the others decode on the worker."""
        current, current_path = self.session.current_image, self.session.current_path
        keys = self.open_keys(model_id)
        if self.paused:  # it goes on over its own images, not those opened since
            keys = [key for key in keys if key.path in self.all_paths]
        uncached = [key for key in keys if key not in self.cache]
        scored = self.scores.known(uncached)
        jobs = []
        for key, known in zip(uncached, scored, strict=True):
            if not known:
                rgb = current.rgb if current is not None and key.path == current_path else None
                jobs.append(Job(key.path, rgb))
        resumed, self.paused = self.paused, False
        (everything, self.everything), planned, summarised = (self.everything, False), len(jobs), self.summarised
        if summarised is not None and not everything:
            done = summarised([job.path for job in jobs], model_id)
            jobs = [job for job, skip in zip(jobs, done, strict=True) if not skip]
        saved = summarised_note(planned - len(jobs))
        if jobs:
            note = f"Run on All goes on: {len(jobs)} image{'s' if len(jobs) != 1 else ''} left" if resumed else ""
            return RunAllPlan(jobs, "; ".join(part for part in (note, saved and f"Run on All: {len(jobs)} to run, "
                                                                f"{saved}") if part), everything)
        if saved:
            return RunAllPlan([], f"Nothing to run: {saved}")
        return RunAllPlan([], "every image already has a result" if not uncached else
                          "every image is already scored at these settings")

    # --- catching up ----------------------------------------------------------------------------
    def image_changed(self) -> None:
        """Another image is shown: coming back to the one caught up may catch up again."""
        if self.caught_up is not None and self.caught_up[0] != self.session.current_path:
            self.caught_up = None

    def _ran_otherwise(self, path: Path, model_id: str) -> bool:
        """Whether the cache holds a result of `path` by the checkpoint of `model_id` at another device,
        precision or input (model ids are "checkpoint@stamp|device|precision[|input]")."""
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
