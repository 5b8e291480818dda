"""Pre-label: the model's mask saved for every image of a project that has none yet (status PREDICTED).

`prelabel` runs a probability function over the project's images whose status is *unlabeled* and that
have no mask file, one image at a time (memory bounded by one image and its map, whatever the
project's size), and writes each mask through the Import Labels loop
(`fosp_core.annotation.import_loop.write_masks`): inside one `Project.batch`, each PNG written
atomically by `Project.save_mask` and its state a journal line at once (its intent journalled before
the PNG: `fosp_core.annotation.mask_intents`), so a kill at any point keeps every mask written so far
whole with its state, and leaves no half-written mask nor a mask beside "unlabeled"; a cancel stops
before the next image. An image with a mask - predicted, edited or reviewed - is never touched, so a second run
goes on where the first stopped (it skips the images pre-labelled already).

After a retrain, ``replace_predicted`` also replaces the masks only a model made (`model_only`: status
PREDICTED - nobody edited or reviewed it: a stroke, a clean-up or a copied mask turns an image EDITED -
that no import wrote, whose ``imported_at`` (`IMPORTED_KEY`) would make it a person's, and that no
recovery log holds a person's commits over): the new model's mask through the same batch, counted apart
in ``replaced``. Edited and reviewed masks are never touched, whatever is asked. Each mask a pre-label
writes is marked with its model and its digest (`MASK_MODEL_KEY`, journalled with its state and its
intent), so a replacing run stopped and run again goes on: a model-only mask whose mark names this
model at these settings and whose file still holds that mask (read to be sure: a kill before its PNG,
an Accept Prediction since) is this model's already, and left alone. A save that raises (disk full)
gives the entry its summary and mark back as they were (`_unstamp_unsaved`): the stamp stays only
where the mask was saved.

Each image pre-labelled also gets its worklist summary (`summaries.summarise`) carrying the model's
identity (`ModelStamp`: the checkpoint file's digest and its weights' (`prelabel_weights`), τ, mask
threshold, region rule, precision and network input; a stamp without the last two, written before, is
of an unknown run; one without the weights' digest names the model by its file), the same
stamp the app's Run on all stores (`app.annotation.worklist_summaries`) and reads to skip the images
whose summary is of the current model and settings (`summary_matches`).

No Qt here: the app runs it on a worker thread (`app.annotation.prelabel_runs`), ``fosp project
prelabel`` in the foreground (`fosp_core.cli.project_prelabel`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fosp_core.analysis.scorebook import LabelStamp
from fosp_core.annotation.document import Status
from fosp_core.annotation.import_loop import IMPORTED_KEY, CancelCheck, Progress, write_masks
from fosp_core.annotation.labels import ImportReport
from fosp_core.annotation.mask_intents import mask_digest
from fosp_core.annotation.prelabel_weights import weights_digest
from fosp_core.annotation.summaries import label_file, summarise
from fosp_core.io.images import ImageReadError, read_image
from fosp_core.io.long_names import fits
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.metrics.decision import keep_regions, parse_rule
from fosp_core.trained_on import DigestCache, file_digest

if TYPE_CHECKING:
    from fosp_core.annotation.entries import ImageEntry
    from fosp_core.annotation.project import Project

__all__ = ["MASK_MODEL_KEY", "MODEL_KEY", "ModelStamp", "PrelabelCounts", "PrelabelReport", "checkpoint_digest", "checkpoint_stamp", "count_prelabel",
           "model_only",
           "network_input", "predictor_run", "prelabel", "prelabel_counts", "prelabel_todo", "same_model", "stamp_summary", "stamp_tau",
           "summary_matches", "weights_digest"]

#: the key of a worklist summary (`ImageEntry.prediction`) holding the `ModelStamp` it was made with
MODEL_KEY = "model"

#: the entry's key (kept in ``project.json`` as any unknown key) naming the model that wrote its saved
#: mask in a pre-label and that mask's digest: {**ModelStamp.as_dict(), "mask": `mask_digest`}
MASK_MODEL_KEY = "prelabel_mask"

#: probability of an image: RGB uint8 (H, W, 3) -> float (H, W) in [0, 1]
Probability = Callable[[np.ndarray], np.ndarray]

#: checkpoint digests by (path, modification time, size), racily clean ones read again (`DigestCache`)
_CHECKPOINTS = DigestCache()


def checkpoint_digest(path: str | os.PathLike) -> str:
    """The checkpoint file's digest (`fosp_core.trained_on.file_digest`, blake2b-8 as 16 hex digits),
    read once per (path, modification time, size) unless the file was written within a tick of the file
    system's clock of its hashing (`DigestCache`: a checkpoint saved again at the same size keeps its
    time); OSError when it cannot be read."""
    found = _CHECKPOINTS.digest(path)
    return found if found is not None else file_digest(path)  # unreadable: file_digest raises why


def stamp_tau(model_tau: float | None, tau: float | None) -> float | None:
    """The τ a `ModelStamp` records for a run asked at `tau` of a model whose own τ is `model_tau`: None
    for a model without separation (`model_tau` None: τ changes nothing it predicts, whatever τ a panel
    or a command line holds), else `tau`, or the model's own when `tau` is None. One rule for
    ``fosp project prelabel`` and the app (Run on all, Pre-label All), so that a summary either made
    is matched by the other."""
    if model_tau is None:
        return None
    return float(model_tau if tau is None else tau)


#: precision names as a stamp says them (the Predictor's aliases: `fosp_core.infer.devices`)
_PRECISIONS = {"float32": "fp32", "bfloat16": "bf16", "float16": "fp16", "half": "fp16"}


def _precision(text: object) -> str:
    words = str(text or "").strip().lower()
    return _PRECISIONS.get(words, words)


def network_input(inputs: Mapping[str, Any]) -> str:
    """The network input of Predictor keyword arguments (`fosp_core.analysis.settings.predictor_input`)
    as a stamp and a kept score's run say it: "<long side>" (letterboxed) or "tiled <tile>/<overlap>";
    "" when they do not say."""
    if inputs.get("tiled"):
        return f"tiled {int(inputs.get('tile', 512))}/{int(inputs.get('overlap', 128))}"
    size = inputs.get("input_size")
    return "" if size is None else str(int(size))


def predictor_run(predictor: object) -> tuple[str, str]:
    """(precision, network input) a predictor computes at (`fosp_core.infer.Predictor`: its `precision`,
    `tiled`, `input_size`, `tile`, `overlap`); "" for what it does not say (a stand-in)."""
    inputs = {name: getattr(predictor, name) for name in ("tiled", "input_size", "tile", "overlap")
              if getattr(predictor, name, None) is not None}
    return _precision(getattr(predictor, "precision", "")), network_input(inputs)


@dataclass(frozen=True)
class ModelStamp:
    """Which model and settings made a summary: `checkpoint` (its file's digest), Focus `tau` (None: a
    model without separation), mask `threshold` and region rule `keep` (`fosp_core.metrics.decision`),
    the `precision` it computed in ("fp32", "fp16", "bf16") and its network `input` ("512", "tiled
    512/128": `network_input`). Precision and input change the probabilities: a stamp of another one is
    another run. "" is unknown (a stamp written before they were recorded, `from_dict`): not written, so
    such a stamp reads and writes as before, and matches no stamp that knows them.

    `weights`: the digest of the weights the file holds (`weights_digest`; "": not known, not written).
    Where both stamps know it, it names the model and the file digest does not count (`same_model`: the
    same weights exported again under another name are the same model); else the file digest does."""

    checkpoint: str
    tau: float | None
    threshold: float
    keep: str = "plain"
    precision: str = ""
    input: str = ""
    weights: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "precision", _precision(self.precision))
        object.__setattr__(self, "input", str(self.input or "").strip())

    def as_dict(self) -> dict[str, Any]:
        """The stamp as it is stored in a summary (JSON); unknown precision or input left out."""
        tau = None if self.tau is None else round(float(self.tau), 4)
        out: dict[str, Any] = {"checkpoint": self.checkpoint, "tau": tau, "threshold": round(float(self.threshold), 4),
                               "keep": str(parse_rule(self.keep))}
        if self.precision:
            out["precision"] = self.precision
        if self.input:
            out["input"] = self.input
        if self.weights:
            out["weights"] = self.weights
        return out

    @classmethod
    def from_dict(cls, data: object) -> ModelStamp | None:
        """The stamp `as_dict` (or a release before, without precision and input: unknown) wrote; None
        when `data` is no stamp (no checkpoint, a value of the wrong type)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("checkpoint"), str):
            return None
        try:
            tau = data.get("tau")
            return cls(data["checkpoint"], None if tau is None else float(tau), float(data.get("threshold", 0.5)),
                       str(data.get("keep", "plain")), str(data.get("precision") or ""), str(data.get("input") or ""),
                       str(data.get("weights") or ""))
        except (TypeError, ValueError):
            return None


def checkpoint_stamp(checkpoint: str | os.PathLike, tau: float | None, threshold: float, keep: str = "plain",
                     precision: str = "", input: str = "") -> ModelStamp:  # noqa: A002 - the stamp's field
    """The `ModelStamp` of a run of the checkpoint file at `checkpoint` (its file's and its weights'
    digests: `checkpoint_digest`, `weights_digest`, each read once per file version); OSError when the
    file cannot be read."""
    return ModelStamp(checkpoint_digest(checkpoint), tau, threshold, keep, precision, input, weights_digest(checkpoint))


def same_model(stored: object, stamp: Mapping[str, Any]) -> bool:
    """Whether a stored stamp (a summary's `MODEL_KEY`, a mask's mark without its "mask") is `stamp` (an
    `as_dict`, or `_stamp_of`): every key equal, the model named by its weights' digest where both say
    it (another file of the same weights is the same model), else by the file's digest."""
    if not isinstance(stored, Mapping):
        return False
    by = "weights" if stored.get("weights") and stamp.get("weights") else "checkpoint"
    skip = {"checkpoint", "weights"} - {by}
    return ({k: v for k, v in stored.items() if k not in skip} == {k: v for k, v in stamp.items() if k not in skip})


def _stamp_of(stamp: ModelStamp, label: LabelStamp | None) -> dict[str, Any]:
    """What `MODEL_KEY` holds: the model's stamp and the reference label file scored against, as it
    was then ([modification time ns, size]; None: none), so that a label changed since is seen."""
    return {**stamp.as_dict(), "label": None if label is None else [label.mtime_ns, label.size]}


def stamp_summary(summary: dict, stamp: ModelStamp | None, label: LabelStamp | None = None) -> dict:
    """`summary` (a worklist summary dict) with `stamp` and the `label` file it was made against under
    `MODEL_KEY` (a new dict; `stamp` None: unchanged)."""
    return dict(summary) if stamp is None else {**summary, MODEL_KEY: _stamp_of(stamp, label)}


def summary_matches(summary: dict | None, stamp: ModelStamp, label: LabelStamp | None = None) -> bool:
    """Whether `summary` (an entry's ``prediction``) was made by `stamp`'s model at its settings against
    the reference label file as it is now (`label`: `summaries.file_stamp` of it; None: none): a summary
    of an older version (no stamp) never matches."""
    return isinstance(summary, dict) and same_model(summary.get(MODEL_KEY), _stamp_of(stamp, label))


@dataclass
class PrelabelReport(ImportReport):
    """An `ImportReport` (``imported``: the images pre-labelled, replaced ones included), `skipped_masked`,
    how many images already had a mask (predicted, edited, reviewed) and were left alone, and `replaced`,
    the images of ``imported`` whose model-only mask was replaced (``replace_predicted``)."""

    skipped_masked: int = 0
    replaced: list[str] = field(default_factory=list)
    replacing: bool = False  # asked to replace the model-only masks (``replace_predicted``)
    todo: int = 0  # the images it set out to write (`prelabel_todo`: those this model wrote already left out)

    @property
    def new(self) -> int:
        """How many images had no mask before and have the model's now."""
        return len(self.imported) - len(self.replaced)


@dataclass(frozen=True)
class PrelabelCounts:
    """What a pre-label would write: `new` images (no mask yet) and `predicted` images whose mask only a
    model made (`model_only`: replaced with ``replace_predicted``), of `total` images."""

    new: int
    predicted: int
    total: int


def model_only(project: Project, entry: ImageEntry) -> bool:
    """Whether `entry`'s mask is only a model's, one a pre-label may replace (see the module doc): status
    PREDICTED, no ``imported_at`` (an import's mask counts as a person's, whatever its status), and no
    recovery log applied over its file (commits a person made that the file does not hold yet)."""
    return (entry.status == Status.PREDICTED and IMPORTED_KEY not in entry.extra
            and not project.log_applies(entry.id))


def _is_new(project: Project, entry: ImageEntry) -> bool:
    path = project.mask_path(entry.id)  # a name too long for a mask file has none (write_masks tells why)
    return entry.status == Status.UNLABELED and not (fits(path.name) and path.exists())


def made_by(project: Project, entry: ImageEntry, stamp: ModelStamp) -> bool:
    """Whether `entry`'s saved mask is the one a pre-label with `stamp` wrote (`MASK_MODEL_KEY`): its mark
    names `stamp` and its file holds the marked mask (read only when the mark names `stamp`)."""
    mark = entry.extra.get(MASK_MODEL_KEY)
    if not isinstance(mark, dict) or not same_model({k: v for k, v in mark.items() if k != "mask"}, stamp.as_dict()):
        return False
    try:
        return mask_digest(read_mask(project.mask_path(entry.id))) == mark.get("mask")
    except (MaskReadError, OSError, ValueError):
        return False


def prelabel_todo(project: Project, *, replace_predicted: bool = False,
                  stamp: ModelStamp | None = None) -> list[ImageEntry]:
    """The images a pre-label writes, in the project's order: status unlabeled and no mask file, and with
    `replace_predicted` those whose mask only a model made (`model_only`), but for those whose mask a
    pre-label with `stamp` wrote already (`made_by`: a replacing run stopped and run again goes on)."""
    return [e for e in project.entries if _is_new(project, e) or (
        replace_predicted and model_only(project, e) and (stamp is None or not made_by(project, e, stamp)))]


def prelabel_counts(project: Project, stamp: ModelStamp | None = None) -> PrelabelCounts:
    """How many images have no mask yet and how many a model-only mask (one pass over the entries); with
    `stamp`, only the model-only masks a replacing pre-label with it would change: not those it wrote
    already (`made_by`, as `prelabel_todo` leaves them out; their files read for that only)."""
    new = predicted = 0
    for entry in project.entries:
        if _is_new(project, entry):
            new += 1
        elif model_only(project, entry) and (stamp is None or not made_by(project, entry, stamp)):
            predicted += 1
    return PrelabelCounts(new, predicted, len(project.entries))


def count_prelabel(project: Project, stamp: ModelStamp | None) -> tuple[PrelabelCounts, int]:
    """`prelabel_counts` with `stamp` (the model-only masks a pre-label with it wrote already left out: they would
    not change), and how many those are (`prelabel_words.made_already` says them as this model's); 0 without a
    stamp. The second pass reads no file (`model_only`: the entries, and a recovery log's name looked up where one
    was written). The app's Pre-label All and `fosp project prelabel` count with it."""
    counts = prelabel_counts(project, stamp)
    if stamp is None:
        return counts, 0
    return counts, sum(1 for entry in project.entries if model_only(project, entry)) - counts.predicted


def prelabel(project: Project, probability: Probability, stamp: ModelStamp, *, progress: Progress | None = None,
             cancelled: CancelCheck | None = None, replace_predicted: bool = False,
             report: PrelabelReport | None = None) -> PrelabelReport:
    """Save the model's mask (`probability` thresholded at `stamp.threshold`, its region rule) as the
    mask of every image `prelabel_todo` lists (`replace_predicted`: the model-only masks too, counted in
    ``replaced``), status PREDICTED, with its stamped worklist summary (see the module doc).
    `progress(done, total)` and `cancelled()` as `write_masks` calls them; `report`: the report to fill
    (a caller's, which then also says what was written before an error). Raises what
    `Project.save_mask` raises (ProjectSaveError, ProjectReadOnlyError); an image that cannot be read
    is named in ``failed`` and the others go on."""
    project.check_writable()
    todo = prelabel_todo(project, replace_predicted=replace_predicted, stamp=stamp)
    had_mask = {e.id for e in todo if e.status != Status.UNLABELED}  # model-only (`model_only`: PREDICTED)
    report = PrelabelReport() if report is None else report
    report.skipped_masked, report.replacing = len(project.entries) - len(todo), replace_predicted
    report.todo = len(todo)  # what "N of M written before an error" counts M of

    stamped: list[_Unsaved] = []  # the entry stamped last, as it was before (`_unstamp_unsaved`)

    def make_mask(entry: ImageEntry) -> np.ndarray | str:
        path: Path = project.image_path(entry.id)
        try:
            rgb = read_image(path).rgb
        except ImageReadError as exc:
            return f"cannot be read: {exc}"
        prob = np.asarray(probability(rgb), dtype=np.float32)
        made = summarise(prob, stamp.threshold, label_file(project, entry.id), keep=stamp.keep)  # the mask's smoke
        stamped[:] = [_Unsaved(entry, entry.status, entry.updated, entry.prediction, entry.extra.get(MASK_MODEL_KEY))]
        entry.prediction = stamp_summary(made.summary, stamp, made.label)  # journalled with the mask's state
        mask = keep_regions(prob, stamp.keep, stamp.threshold).astype(np.uint8)
        entry.extra[MASK_MODEL_KEY] = {**stamp.as_dict(), "mask": mask_digest(mask)}  # and with its intent
        return mask

    try:
        write_masks(project, todo, make_mask, report, progress=progress, cancelled=cancelled, status=Status.PREDICTED)
    except BaseException:
        _unstamp_unsaved(project, stamped)
        raise
    finally:  # an error too: what was written before it, counted
        report.replaced = [i for i in report.imported if i in had_mask]
    return report


@dataclass(frozen=True)
class _Unsaved:
    """An entry a pre-label stamped for its save, and its state before: status, updated, summary, mark."""

    entry: ImageEntry
    status: Status
    updated: float | None
    prediction: dict | None
    mark: object


def _unstamp_unsaved(project: Project, stamped: list[_Unsaved]) -> None:
    """A pre-label stopped by an error: the entry it stamped last gets its summary and mark back when its
    save did not take (its status and time as before the save), and that state a journal line (the
    save's intent line holds the stamp); a save that took keeps its stamp. The line is insurance: one
    that cannot be written is let go (`note_state`), the state in memory is the next write's."""
    for was in stamped:
        entry = was.entry
        if (entry.status, entry.updated) != (was.status, was.updated):
            continue  # saved: the stamp is its mask's
        entry.prediction = was.prediction
        if was.mark is None:
            entry.extra.pop(MASK_MODEL_KEY, None)
        else:
            entry.extra[MASK_MODEL_KEY] = was.mark
        try:
            project.note_state(entry)
        except Exception:  # noqa: BLE001 - the error being raised is the one to tell
            pass
