"""Annotate ▸ Pre-label All…: the loaded model's mask saved for every image of the project that has no
mask yet (status *predicted*), on a worker thread, with a progress dialog and Cancel; and Annotate ▸
Run on All Again, a Run on all that leaves out no image for its saved summary.

It is Import Labels with the model as the source (`app.annotation.label_import`): the same job thread,
progress dialog, hold on the project (`import_hold`: the tools stand aside, model summaries wait, one
thread writes the project), the same write loop (`fosp_core.annotation.prelabel.prelabel` over
`fosp_core.annotation.import_loop.write_masks`: atomic PNGs, a journal line each, so a crash keeps
what was written and never half a mask), and at the end the documents reloaded. The job loads its
own copy of the loaded checkpoint (device, precision, input, τ, threshold and region rule of the
model panel; one image and its map in memory at a time), so the analysis view's model stays free.

What a user can expect of Undo: a pre-label is not an undo step. A thousand masks as one step would
hold a thousand masks in memory, and an annotator reviews a pre-labelled image one at a time anyway:
each image's mask is simply its saved mask, status *predicted* (Accept Prediction, a stroke or the
eraser work on it as on any mask, with Undo for those). Images with a mask - predicted, edited,
reviewed - are never touched, so the run can be cancelled and started again: it goes on with the
images left. The confirmation says so before anything is written. After a retrain its box also
replaces the masks only a model made (status *predicted*; never edited, reviewed or imported ones:
`app.annotation.prelabel_question`), counted apart ("12 new, 30 replaced").
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.analysis.model_panel import NO_MODEL_RUN_TEXT, PanelStatus
from app.annotation.import_job import ImportJob
from app.annotation.import_view import PRELABEL_HELD_KEY
from app.annotation.label_import import LabelImports
from app.annotation.prelabel_question import (
    NOT_UNDO,
    ask_prelabel,
    dataset_labels_note,
    not_reached_words,
    nothing_text,
    progress_words,
    summary_counts,
)
from app.relay import ValueRelay
from fosp_core.annotation.document import Status
from fosp_core.annotation.labels import ImportReport
from fosp_core.annotation.prelabel import (
    ModelStamp,
    PrelabelCounts,
    PrelabelReport,
    checkpoint_stamp,
    count_prelabel,
    network_input,
    predictor_run,
    prelabel,
    stamp_tau,
)

if TYPE_CHECKING:
    from app.analysis.controller import AnalysisController
    from app.annotation import AnnotationUI
    from app.annotation.worklist_summaries import WorklistSummaries
    from fosp_core.annotation.project import Project


class MainWindow(Protocol):
    """What pre-labelling uses of the main window (typed here: importing app.main_window, which installs
    this, would tie the two in a circle)."""

    annotation: AnnotationUI  # the window itself is also the pre-label dialogs' parent (a QWidget)
    analysis: AnalysisController
    worklist_summaries: WorklistSummaries

__all__ = ["NOT_UNDO", "Model", "PrelabelJob", "PrelabelRuns", "install_prelabel", "loaded_model", "prelabel_summary"]

#: what the job loads: (checkpoint, device, precision, predictor keyword arguments, τ, threshold, rule)
Model = tuple[Path, str, str, dict, float, float, str]

class PrelabelJob(ImportJob):
    """Pre-label `project` with `model` on the job's thread (`ImportJob`'s signals and ending, through its
    public seam `work`: ``reading`` while the model loads, a cancel then abandons it, the project untouched)."""

    def __init__(self, project: Project, model: Model, replace_predicted: bool = False) -> None:
        super().__init__(project, None, None, Status.PREDICTED)
        self.model = model
        self.replace_predicted = replace_predicted  # the masks only a model made are replaced too
        self.reading = True  # loading the model: the project not touched yet
        self.thread.name = "fosp-prelabel"

    def work(self) -> PrelabelReport:
        from fosp_core.infer import Predictor  # torch: on this thread

        checkpoint, device, precision, inputs, tau, threshold, keep = self.model
        # Its own copy, not the analysis view's loaded model (session 30, C; bench/bench_prelabel_model_copy.py):
        # the copy of the default model holds 27.3 MB of weights and grew the process by 0.4-10.7 MB (the
        # heap the first load's temporaries freed takes it), so sharing saves little, and it is not safe
        # here: the view's Predictor lives on the inference thread, reached only through queued signals,
        # and is replaced or reconfigured there when the Model panel changes checkpoint, device,
        # precision or input (a CUDA out-of-memory fallback moves it to the CPU); its lock runs one call at
        # a time, so each pre-label image would hold up the panel's Run on This Image; and `predict_batch`
        # with a τ makes that τ the predictor's own for the panel's later calls. Read now, the file may
        # also have changed since the view loaded it: the stamp's digest is of the weights used. τ None
        # for a model without one, as ``fosp project prelabel`` stamps it.
        predictor = Predictor(checkpoint, device=device, precision=precision, **inputs)
        stamp = checkpoint_stamp(checkpoint, stamp_tau(predictor.tau, tau), threshold, keep,
                                 *predictor_run(predictor))  # its precision and input: as `counting_stamp` says them
        self.finish_reading()

        def probability(rgb):  # noqa: ANN001, ANN202
            return predictor.predict_batch([rgb], tau=tau, need=())[0].probability

        return prelabel(self.project, probability, stamp, progress=self.signals.progress.emit,
                        cancelled=self.stop.is_set, replace_predicted=self.replace_predicted)


def prelabel_summary(report: PrelabelReport) -> str:
    """What the status bar says at the end of a pre-label."""
    done = len(report.imported)
    words = [f"Pre-label {'cancelled' if report.cancelled else 'done'}: {done} image{'s' if done != 1 else ''} "
             f"pre-labelled (status predicted){summary_counts(report)}"]
    if report.cancelled:
        words.append(not_reached_words(report))
    if report.skipped_masked:
        words.append(f"{report.skipped_masked} already had a mask, left alone")
    if report.failed:
        words.append(f"{len(report.failed)} could not be read: " + ", ".join(i for i, _ in report.failed[:3]))
    return "; ".join(words)


class PrelabelRuns(LabelImports):
    """The window's pre-labels: one at a time, refused while labels are imported (`imports`). Import
    Labels' window side through its public seam only (`app.annotation.label_import`'s module doc:
    `make_job`, `title` and the words)."""

    title = "Pre-label All"
    held_key = PRELABEL_HELD_KEY  # a key pressed meanwhile names Pre-label All, not an import
    imports: LabelImports | None = None
    main_window: MainWindow
    _model: Model | None = None
    _replace = (False, 0, 0)  # (the model-only masks replaced too, new images, masks to replace) of the run
    _counting = False  # the menu's count of the images to pre-label is under way on its thread
    _clicked: tuple[Project, Model] | None = None  # what the menu's last click was for (counted, or to count)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: what the counting thread emits (project, model, PrelabelCounts or None) on, held by it too: never
        #: this object, which the window's close may delete while the thread emits (`app.relay`)
        self._counted = ValueRelay()
        self._counted.done.connect(self._on_counted)  # queued: emitted on the counting thread

    def start_prelabel(self, project: Project, model: Model, counts: PrelabelCounts | None = None,
                       replace: bool = False) -> bool:
        """Pre-label `project` with `model` on a worker (`replace`: the masks only a model made too;
        `counts`: what the progress line counts); False (and why) when it cannot start."""
        if self.imports is not None and self.imports.job is not None:
            self._say("Labels are being imported: Pre-label All waits for the import to end", 8000)
            return False
        self._model = model
        self._replace = (replace, counts.new if counts else 0, counts.predicted if counts and replace else 0)
        return self.start(project, None, status=Status.PREDICTED)

    def make_job(self, project: Project, source: Path | None, labels: Sequence[str] | None,  # noqa: ARG002
                 status: Status) -> ImportJob:  # noqa: ARG002
        if self._model is None:
            raise RuntimeError("Pre-label All starts with start_prelabel (its model)")
        return PrelabelJob(project, self._model, self._replace[0])

    def reading_text(self, source: Path | None) -> str:  # noqa: ARG002
        return f"Loading {self._model[0].name if self._model else 'the model'}…"

    def progress_text(self, done: int, total: int) -> tuple[str, str]:
        return (f"Pre-labelling: {done} of {total} images ({progress_words(*self._replace[1:])})",
                f"Pre-labelling: {done} of {total} images; masks are shown read-only until it ends")

    def finished_text(self, job: ImportJob, report: ImportReport) -> str:  # noqa: ARG002
        return prelabel_summary(report) if isinstance(report, PrelabelReport) else ""

    def abandoned_text(self, job: ImportJob) -> str:  # noqa: ARG002
        return "Pre-label cancelled while the model loaded: nothing written"

    def read_cancelled_text(self) -> str:
        return "Pre-label cancelled: nothing written"

    def prelabel_all(self, ask: bool = True, replace_predicted: bool = False) -> bool:
        """Annotate ▸ Pre-label All…: confirm (`ask`; what it writes, that it is no undo step, and a box to
        replace the masks only a model made when there are any), then start on the worklist's project with
        the loaded model (without `ask`: `replace_predicted` says whether it replaces those); False (and
        why, in the status bar) when not.

        With `ask` (the menu) the images with no mask yet are counted on a thread of their own - a
        ``stat`` of each unlabeled image's mask file, 45-54 ms of CPU for 5053 entries on the GUI thread
        before (docs/benchmarks-annotation.md) - and the question is asked when the count arrives: True
        then says the count started."""
        window = self.main_window
        project, chosen = window.annotation.worklist.project, loaded_model(window)
        if project is None or chosen is None:
            self._say(missing_words(project is None, chosen is None), 6000)
            return False
        model_tau = None if window.analysis.model is None else window.analysis.model.info.tau
        if not ask:
            counts, made = count_prelabel(project, counting_stamp(chosen, model_tau))
            return self._ask_and_start(project, chosen, counts, ask=False, replace=replace_predicted, made=made)
        self._clicked = (project, chosen)
        if not self._counting:  # a second click while counting waits for the same count (another is counted after)
            self._counting = True
            self._say(COUNTING_TEXT, 0)  # seconds on a network drive: the click is seen to do something
            threading.Thread(target=_count, args=(self._counted, project, chosen, model_tau), name="fosp-prelabel-count",
                             daemon=True).start()
        return True

    def _on_counted(self, answer: tuple[Project, Model, PrelabelCounts | None, int]) -> None:
        project, chosen, counts, made = answer
        self._counting = False
        window = self.main_window
        if window.statusBar().currentMessage() == COUNTING_TEXT:  # (another line since: left alone)
            window.statusBar().clearMessage()
        if self._closed:
            return
        if project is not window.annotation.worklist.project or chosen != loaded_model(window):
            clicked, self._clicked = self._clicked, None  # another project or model since the click
            if clicked is not None and clicked[0] is window.annotation.worklist.project \
                    and clicked[1] == loaded_model(window):
                self.prelabel_all()  # clicked again since, for these: its count (it waited for this one)
            else:
                self._say("Pre-label All was not started: the folder, the model or its settings changed while "
                          "it counted. Choose it again to pre-label with these", 6000)
            return
        self._clicked = None
        if counts is None:
            self._say("Pre-label All could not count the images with no mask yet: try again", 6000)
            return
        self._ask_and_start(project, chosen, counts, ask=True, made=made)

    def _ask_and_start(self, project: Project, chosen: Model, counts: PrelabelCounts, ask: bool,
                       replace: bool = False, made: int = 0) -> bool:
        """Ask (`ask`) and start; with nothing to write say why (`nothing_text`: `made`, the model-only masks this
        model wrote already, left out of `counts`, said as this model's)."""
        if not counts.new and not (counts.predicted and (ask or replace)):  # the box would be off too
            self._say(nothing_text(counts, made), 6000)
            return False
        if ask:
            choice = ask_prelabel(self.main_window, chosen[0].name, counts,  # type: ignore[arg-type] # a QWidget
                                  dataset_labels_note(project.entries))  # a dataset's own labels: said
            if not choice.start:
                return False
            replace = choice.replace
            if not counts.new and not replace:
                self._say(nothing_text(counts, made), 6000)
                return False
        return self.start_prelabel(project, chosen, counts, replace)


def missing_words(no_folder: bool, no_model: bool) -> str:
    """What Pre-label All says when it cannot start: the folder, the model or both missing (only what is)."""
    if not no_model:
        return "Open a folder or dataset first: Pre-label All saves the model's masks for its images"
    if not no_folder:
        return ("Pre-label All needs a model: open a checkpoint (Analysis ▸ Open Checkpoint…, or Open… in the "
                "Model panel)")
    return "Open a folder and a model first: Pre-label All saves the model's masks"


#: the status bar while Pre-label All counts the images with no mask yet (before its question)
COUNTING_TEXT = "Pre-label All: counting the images with no mask yet…"


def counting_stamp(chosen: Model, model_tau: float | None) -> ModelStamp | None:
    """The stamp a pre-label with `chosen` (the model's own τ `model_tau`: None without one) marks its masks
    with, as `PrelabelJob` makes it (the checkpoint read for its digest: off the GUI thread); None when the
    checkpoint cannot be read (the count then counts every model-only mask)."""
    checkpoint, _device, precision, inputs, tau, threshold, keep = chosen
    try:
        return checkpoint_stamp(checkpoint, stamp_tau(model_tau, tau), threshold, keep, precision,
                                network_input(inputs))
    except OSError:
        return None


def _count(relay: ValueRelay, project: Project, chosen: Model, model_tau: float | None) -> None:
    """On the counting thread: how many images Pre-label All would write and how many model-only masks are this
    model's already (`count_prelabel`), told on `relay` as (project, model, PrelabelCounts or None, that number);
    once the window is gone, the relay's connection went with it: nobody is told."""
    made = 0
    try:
        counts: PrelabelCounts | None
        counts, made = count_prelabel(project, counting_stamp(chosen, model_tau))
    except Exception:  # noqa: BLE001 - told on the GUI thread; the menu must not stay counting
        counts = None
    relay.done.emit((project, chosen, counts, made))


def install_prelabel(window: MainWindow) -> PrelabelRuns:
    """Wire Pre-label All and Run on All Again into `window`, and Run on all's skipping of the images
    whose saved summary is of the current model and settings (the scores those summaries keep go to the
    analysis view's folder metrics: `app.annotation.kept_scores`)."""
    ui, analysis, summaries = window.annotation, window.analysis, window.worklist_summaries
    summaries.settings, summaries.loaded = analysis.settings, lambda: analysis.model
    analysis.planner.summarised = summaries.summarised_hook  # one pass over the plan's images, on its worker

    from_summaries = analysis.scores.kept  # result keys the score book has from saved summaries, not from a run here

    def kept_scores(kept: list) -> None:  # left out by a plan, or found on reopening: their summaries' scores, counted
        settings, book = analysis.settings, analysis.scores.book
        for key, label, score in kept:
            book.record(key, label, settings.threshold, settings.keep, score.scores, score.delta)
            from_summaries.add(key)
        analysis.metrics_later()  # after the plan (once after many of these): the folder metrics count them

    analysis.planner.kept = kept_scores  # (the plan's and `app.analysis.kept_metrics`': on the GUI thread)
    runs = PrelabelRuns(window, ui.controller, lambda _s, _l: None,
                        lambda errors: ui.services.error_reporter.report(window, errors), ui.worklist.refresh)
    runs.imports, runs.main_window = ui.imports, window

    def run_all_again() -> None:
        if analysis.model is None and analysis.model_state != "loading":  # as Run on All Images says it
            analysis.panel.show_status(NO_MODEL_RUN_TEXT, PanelStatus.NOTICE)
            window.statusBar().showMessage(NO_MODEL_RUN_TEXT, 8000)
            return
        planner = analysis.planner
        analysis.scores.book.forget(from_summaries)  # scored from their summaries only: they run again
        from_summaries.clear()
        planner.everything = True  # spent by the plan, or kept while the run waits for a model or a video
        analysis.run_all()
        if planner.after_load != "all":  # nothing waits for it (no model): a later Run on all is not one
            planner.everything = False

    ui.actions.prelabel_all.triggered.connect(lambda: runs.prelabel_all())
    ui.actions.run_all_again.triggered.connect(run_all_again)
    close = ui.close

    def close_both() -> None:  # the window closes: a running pre-label stops before the projects close
        runs.close()
        close()

    ui.close = close_both  # type: ignore[method-assign]
    return runs


def loaded_model(window: MainWindow) -> Model | None:
    """What a pre-label loads: the analysis view's loaded checkpoint with the Model panel's settings."""
    from fosp_core.analysis.settings import predictor_input

    analysis = window.analysis
    loaded = analysis.loaded_checkpoint()
    if loaded is None:
        return None
    checkpoint, device, precision, choice = loaded
    settings = analysis.settings
    return (Path(checkpoint), device, precision, predictor_input(choice, analysis.worker.input_size),
            float(settings.tau), float(settings.threshold), settings.keep)
