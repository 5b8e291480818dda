"""The worklist's summary of each model result, made on the inference thread.

Every prediction the window's model makes (Run on This Image, Run on All, Ctrl+R while annotating) is
summarised for the worklist (sort by model uncertainty, by error against the label:
`fosp_core.annotation.worklist.prediction_summary`) and kept in the image's project entry. Made on the
GUI thread, the label PNG's decode and the pass over a 1920×1080 map held the event loop 12-86 ms per
result. :class:`WorklistSummaries` follows the inference worker's runs instead
(:meth:`~app.analysis.inference_worker.InferenceWorker.add_follower`): when a run is asked for, it
hands the worker the mask threshold and which label file each image of the open projects has (a map
made once for the projects open, by their images' resolved paths: a run's start costs no lookup per
image); the worker thread summarises each prediction against that file
(`fosp_core.annotation.summaries.summarise`, taking the label the analysis view has just read for its
scores when it is the same file, so it is decoded once); the GUI thread only stores what arrives
(`record_summary`: the entry and its journal line, not fsynced). It summarises on the GUI thread as before (`commands.record_prediction`) where nothing
arrived for a result - its image's project was opened while the model ran, the worker's summary
failed - or the project's label file is not the one summarised against any more.

The worklist is sorted again at most every `RESORT_MS` while results arrive, in a turn of its own:
a project of 20 000 images takes ~30 ms to sort by uncertainty, and a GPU brings many results a second.

Each summary carries the model's identity (`fosp_core.annotation.prelabel.ModelStamp`: the
checkpoint file's digest, the τ - None for a model without one, `stamp_tau` - mask threshold and region
rule the run was asked at), so that after a reopening Run on all leaves out the images whose saved
summary is of the current model and settings (`summarised_hook`, the
`app.analysis.run_plan.RunPlanner.summarised` hook: one pass over the images on Run on all's planning
worker, each folder resolved once; Run on All Again: `RunPlanner.everything`). The
digest is the loaded model's (`LoadedModel.digest`, read on the inference thread as it loaded): the
GUI thread never hashes the checkpoint (13.7 MB for the default model: 12-138 ms a hash measured), whether it stamps a
summary made here or answers Run on all's question for each image.

A summary is at the mask threshold the run was asked at (the one each summary records), as the
analysis view's layers are; the project is written only on the GUI thread, so the user's edits, the
image shown changing, a project closed or made read-only meanwhile, and a cancelled Run on All leave
it as consistent as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from app.analysis.prepared import PreparedResult
from app.annotation import import_hold
from app.annotation.kept_scores import SCORES_KEY, Run, kept_score, other_run, run_key, with_scores
from fosp_core.analysis.results import ResultKey, tau_key
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.prelabel import ModelStamp, stamp_summary, stamp_tau, summary_matches
from fosp_core.annotation.project import Project
from fosp_core.annotation.summaries import MadeSummary, file_stamp, label_file, record_summary, summarise
from fosp_core.infer.result import Prediction

if TYPE_CHECKING:
    from app.analysis.inference_worker import Follow, InferenceWorker, Job, LoadedModel
    from app.analysis.run_plan import Kept, SummarisedPass
    from app.annotation.controller import AnnotationController
    from fosp_core.analysis.settings import AnalysisSettings

__all__ = ["WorklistSummaries", "label_files", "model_stamp", "summarise_for_worklist", "summarised_pass"]

#: the least time between two sorts of the worklist for new summaries (ms): a fraction of a second
#: late, the order is still there when the annotator looks
RESORT_MS = 300

#: resolved image path (text) -> the project's label file of that image (None: it has none); never
#: changed once made (the worker thread reads it)
LabelFiles = Mapping[str, str | None]


def model_stamp(model: LoadedModel | None, settings: AnalysisSettings | None, threshold: float) -> ModelStamp | None:
    """The stamp of a run of the loaded `model` at the panel's `settings` (τ, region rule) and mask
    `threshold`: the digest read as the model loaded, no file read here; None without a model, panel or
    digest (the summaries are then not stamped: Run on all never leaves their images out)."""
    if model is None or settings is None or model.digest is None:
        return None
    return ModelStamp(model.digest, stamp_tau(model.info.tau, float(settings.tau)), float(threshold), settings.keep,
                      getattr(model, "precision", ""), getattr(model, "network_input", ""), getattr(model, "weights", ""))


def label_files(projects: Iterable[Project]) -> dict[str, str | None]:
    """The label file (`Project.label_path`, text) of every image of `projects` by the image's path in
    its resolved images folder (100 000 images: ~60 ms, made again only when a project opens). An
    image found elsewhere (its entry leads out of the folder, a link) is not listed: its summary is
    made on the GUI thread."""
    out: dict[str, str | None] = {}
    for project in projects:
        root, real = os.fspath(project.images_root), os.path.realpath(project.images_root)
        prefix = real if real.endswith(os.sep) else real + os.sep
        labels = root if root.endswith(os.sep) else root + os.sep
        posix = os.sep == "/"  # entry paths are posix
        out.update((prefix + (e.image if posix else e.image.replace("/", os.sep)),
                    None if e.label is None else labels + e.label) for e in project.entries)
    return out


def summarise_for_worklist(path: Path, prediction: Prediction, prepared: object, *, labels: LabelFiles,
                           threshold: float, stamp: ModelStamp | None = None, run: Run | None = None,
                           keep: str = "plain") -> MadeSummary | None:
    """On the worker thread: the worklist summary of `prediction` of image `path` (resolved) against the
    label file `labels` names for it (None when `labels` does not have the image), of the regions the rule
    `keep` keeps (the Model panel's); `prepared`: what the analysis view made of it (its label is taken
    when it read the same file); stamped with `stamp` (`model_stamp`; None: not stamped), its scores kept
    as made by `run` (`kept_scores.run_key`)."""
    key = os.fspath(path)
    if key not in labels:
        return None
    known = None
    if isinstance(prepared, PreparedResult) and prepared.stamp is not None:
        known = (prepared.stamp, prepared.label)
    made = summarise(prediction.probability, threshold, labels[key], known=known, keep=keep)
    if stamp is None:
        return made
    summary = with_scores(stamp_summary(made.summary, stamp, made.label), prepared, threshold, stamp.keep, run)
    return replace(made, summary=summary)  # with the folder metrics' scores of it: `app.annotation.kept_scores`


def summarised_pass(lookup: Callable[[Path], tuple[Project, str] | None], stamp: ModelStamp, model_id: str,
                    tau: float, paths: list[Path], run: Run | None = None) -> tuple[list[bool], list[Kept], list[Path]]:
    """On any thread (Run on all's planning worker): whether each of `paths` has a saved summary made by
    the model of `stamp` at its settings against its label file as it is now (a ``stat`` of the label
    of each image holding one: a label changed since is scored again), found through `lookup` (a
    `ProjectRegistry.lookup_pass`); the scores those summaries keep, keyed by `model_id` at τ `tau`; and
    the images among them with a label whose summary keeps none (a pre-label's: the folder metrics will
    have no scores of them, and say why). A summary keeping scores of another run than `run` (another
    precision, input or kind of device: `kept_scores.other_run`) is not of these settings: its image runs
    again. It only reads the projects' entries (the GUI thread writes them; a summary stored meanwhile is seen
    or not, either is a right answer)."""
    out, kept, unscored = [], [], []
    for path in paths:
        found = lookup(path)
        summary = None if found is None else found[0].entry(found[1]).prediction
        label = None if found is None or summary is None else file_stamp(label_file(found[0], found[1]))
        done = summary is not None and summary_matches(summary, stamp, label) and not other_run(summary, run)
        out.append(done)
        if done and (scored := kept_score(summary, run)) is not None:
            kept.append((ResultKey(path, model_id, tau), *scored))
        elif done and label is not None:
            unscored.append(path)
    return out, kept, unscored


class WorklistSummaries(QObject):
    """Keeps the worklist summary of every result of `worker` in its image's project (module doc)."""

    def __init__(self, controller: AnnotationController, worker: InferenceWorker) -> None:
        super().__init__(controller)
        self.controller = controller
        self._made: MadeSummary | None = None  # what the worker made of the next result
        self._labels: LabelFiles = {}
        self._labels_of: tuple[tuple[int, int], ...] = ()  # the projects `_labels` was made of
        self.settings: AnalysisSettings | None = None  # the model panel's (the window sets it): runs' stamps
        #: the analysis view's loaded model (the window sets it; None: no stamps), its digest the stamps'
        self.loaded: Callable[[], LoadedModel | None] = lambda: None
        self._stamp: ModelStamp | None = None  # the last run's, for summaries made on the GUI thread
        self._run_model = ""  # the model id the last run was asked of (its scores are kept as its run's)
        #: tells the worklist (and the actions) of the summaries stored since it last fired
        self.resort = QTimer(self, singleShot=True, interval=RESORT_MS, timeout=controller.state_changed.emit)
        worker.add_follower(self.follow)
        worker.followed.connect(self.on_followed)
        worker.result.connect(self.on_result)

    def follow(self, _jobs: list[Job]) -> Follow | None:
        """On the GUI thread, as a run is asked for: its summarising function for the worker thread
        (None when no project is open)."""
        projects = self.controller.registry.projects
        made_of = tuple((id(project), len(project.entries)) for project in projects)
        if made_of != self._labels_of:  # a project was opened: a new map (the worker may read the old one)
            self._labels, self._labels_of = label_files(projects), made_of
        if not self._labels:
            return None
        threshold = float(self.controller.state.threshold)
        loaded = self.loaded()
        self._stamp = model_stamp(loaded, self.settings, threshold)
        self._run_model = "" if loaded is None else loaded.model_id
        return partial(summarise_for_worklist, labels=self._labels, threshold=threshold, stamp=self._stamp,
                       run=run_key(loaded), keep="plain" if self.settings is None else self.settings.keep)

    def on_followed(self, _request_id: int, _path: object, made: object) -> None:
        if isinstance(made, MadeSummary):
            self._made = made  # for the next result

    def on_result(self, _request_id: int, path: object, model_id: str, _tau: object, prediction: object) -> None:
        """Store the summary of a result (the worker's, else made here); a result of another model than the
        run was asked of (a device fallback moved it to the CPU) keeps no scores: they are not its run's."""
        made, self._made = self._made, None
        probability = getattr(prediction, "probability", None)
        if not isinstance(path, (str, os.PathLike)) or probability is None:
            return
        if made is not None and model_id != self._run_model and SCORES_KEY in made.summary:
            made = replace(made, summary={k: v for k, v in made.summary.items() if k != SCORES_KEY})
        if made is not None and made.probability is probability and self.record(Path(path), made):
            return
        self.controller.record_prediction(path, probability, self._stamp)

    def ran_before(self, path: Path) -> bool:
        """Whether image `path`'s project holds a model summary of it (a model ran on it, maybe in an
        earlier session: `RunPlanner.ran_before` runs it again when it is shown without a result)."""
        found = self.controller.registry.lookup(path)
        return found is not None and found[0].entry(found[1]).prediction is not None

    def summarised(self, path: Path, model_id: str) -> bool:
        """Whether image `path`'s project holds a summary made by the loaded model (`model_id`) at the
        model panel's τ, threshold and region rule (Run on all asks many at once: `summarised_hook`)."""
        ask = self.summarised_hook(model_id)
        return ask is not None and ask([path])[0][0]

    def summarised_hook(self, model_id: str) -> SummarisedPass | None:
        """On the GUI thread, as Run on all plans (the `app.analysis.run_plan.RunPlanner.summarised` hook):
        the question its planning worker asks of the plan's images (`summarised_pass` with the loaded
        model's stamp at the panel's settings and a `ProjectRegistry.lookup_pass`: each folder resolved
        once), or None when no model of `model_id` is loaded or it has no digest (nothing left out)."""
        settings, model = self.settings, self.loaded()
        if settings is None or model is None or model.model_id != model_id:
            return None
        stamp = model_stamp(model, settings, float(settings.threshold))
        if stamp is None:
            return None
        return partial(summarised_pass, self.controller.registry.lookup_pass(), stamp, model_id, tau_key(settings.tau),
                       run=run_key(model))

    def record(self, path: Path, made: MadeSummary) -> bool:
        """Store `made` for image `path`; False when it was not the summary to store (see
        `record_summary`), and True, nothing stored, when the image is in no writable project or the
        state cannot be saved (the summary only orders the worklist: nobody must hear of it)."""
        found = self.controller.registry.lookup(path)
        if found is None or found[0].read_only:
            return True
        if import_hold.holding(found[0]):  # labels are imported into it: its import thread alone writes it
            return import_hold.keep_made(found[0], found[1], made)
        try:
            if not record_summary(found[0], found[1], made):
                return False
        except ProjectError:
            return True
        if not self.resort.isActive():  # at most one sort every RESORT_MS, however many results come
            self.resort.start()
        return True
