"""The worklist's summary of a model prediction, made on the thread that has the prediction and stored
in the project on the project's own thread.

Summarising a 1920×1080 map for the worklist (`fosp_core.annotation.worklist.prediction_summary`:
uncertainty, predicted smoke, error against the reference label) costs its label's PNG decode and a
pass over every pixel: 10-100 ms that the app's GUI thread spent on each result. `summarise` does it
anywhere (numpy and files only; nothing of a `Project` is read): over the whole map, against the
label file the caller found for the image (`label_file`), read then or handed over already read.
`record_summary` then stores what it made in the image's entry and journals the entry's state as
`Project.set_prediction` does, without waiting for the disk (no fsync: the summary is made again by
running the model; the line is on disk with the project's next durable write), unless the project's label of the image is no longer the file that was
summarised against (another path, or the file changed since): then it stores nothing and says so, and
the caller summarises again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fosp_core.analysis.scorebook import LabelStamp
from fosp_core.annotation.worklist import prediction_summary
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.metrics.decision import keep_regions, parse_rule

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["MadeSummary", "file_stamp", "label_file", "label_unchanged", "record_summary", "summarise"]


@dataclass(frozen=True)
class MadeSummary:
    """What `summarise` made: the summary (`prediction_summary`'s dict) of `probability` (the array
    it was given, float (H, W)) at `threshold`, against the label file `label` as it was read (None:
    the image had no label file; a label unreadable or not of the map's size is left out of the
    summary, as by `Project.set_prediction`)."""

    probability: np.ndarray
    threshold: float
    label: LabelStamp | None
    summary: dict


def file_stamp(path: str | os.PathLike | None) -> LabelStamp | None:
    """The file at `path` as it is now (path, modification time, size); None for no path or no file."""
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return LabelStamp(os.fspath(path), stat.st_mtime_ns, stat.st_size)


def label_file(project: Project, image_id: str) -> str | None:
    """The path (text) of the reference label `Project.load_label` reads for `image_id`, None when none."""
    path = project.label_path(image_id)
    return None if path is None else os.fspath(path)


def summarise(probability: np.ndarray, threshold: float, label_path: str | os.PathLike | None, *,
              known: tuple[LabelStamp | None, np.ndarray | None] | None = None, keep: str = "plain") -> MadeSummary:
    """The worklist summary of float (H, W) `probability` at `threshold` against the label file at
    `label_path` (None: without a label). `known`: (stamp, uint8 (H, W) mask or None when unreadable)
    of that file read already (the analysis view reads it for its scores), taken when the stamp is of
    the same file as it is now; else the file is read here. `keep`: the region rule of the run
    (`fosp_core.metrics.decision`): its predicted smoke and error against the label are those of the
    regions the rule keeps, the mask the app shows, scores and pre-labels (the uncertainty is the map's)."""
    given, probability = probability, np.asarray(probability, dtype=np.float32)
    stamp, label = None, None
    if label_path is not None:
        stamp = file_stamp(label_path)
        if known is not None and known[0] is not None and stamp is not None and _same_file(known[0], stamp):
            label = known[1]
        elif stamp is not None:
            try:
                label = read_mask(label_path)
            except MaskReadError:
                label = None
    if label is not None and label.shape != probability.shape:
        label = None
    summary = prediction_summary(probability, threshold, label)
    if parse_rule(keep).kind != "plain":  # the kept regions' smoke and error (a 0/1 map: > 0.5 is the mask)
        kept = prediction_summary(keep_regions(probability, keep, threshold).astype(np.float32), 0.5, label)
        summary.update(smoke_ratio=kept["smoke_ratio"], error_vs_label=kept["error_vs_label"])
    return MadeSummary(given, float(threshold), stamp, summary)


def _same_file(read: LabelStamp, now: LabelStamp) -> bool:
    """Whether `read` (a stamp taken when the file was read) is of the file `now` describes, unchanged."""
    if (read.mtime_ns, read.size) != (now.mtime_ns, now.size):
        return False
    return read.file == now.file or os.path.realpath(read.file) == os.path.realpath(now.file)


def label_unchanged(project: Project, image_id: str, made: MadeSummary) -> bool:
    """Whether the project's label of `image_id` is the file `made` was summarised against, as it was
    then (both none counts: nothing to score against either time)."""
    now = file_stamp(label_file(project, image_id))
    return now == made.label or (now is not None and made.label is not None and _same_file(made.label, now))


def record_summary(project: Project, image_id: str, made: MadeSummary) -> bool:
    """Store `made`'s summary as the prediction summary of `image_id` and save its state: a journal
    line, not fsynced (it outlives a crash of the process at once, a power loss from the project's
    next durable write on; the model makes it again at will); raises ProjectSaveError /
    ProjectReadOnlyError as `Project.record_state`. False, nothing changed, when the project's label
    of the image is not the file `made` was summarised against as it was then (the caller
    summarises again)."""
    project.check_writable()
    entry = project.entry(image_id)
    if not label_unchanged(project, image_id, made):
        return False
    entry.prediction = dict(made.summary)
    project.record_state(entry, durable=False)  # made again by running the model: no fsync to wait for
    return True
