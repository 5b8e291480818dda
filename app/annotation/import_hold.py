"""Model summaries held back from a project while labels are imported into it.

An import (`app.annotation.label_import`) writes its project on the ``fosp-import-labels`` thread:
masks, entries, ``project.json`` at the batch's end. The worklist summary of each model result
("Run on all", Ctrl+R) is written on the GUI thread (`commands.record_prediction`,
`app.annotation.worklist_summaries.WorklistSummaries.record`). Both writing one `Project` at once is
not safe: a summary journalled while the import rewrites ``project.json`` is lost (the rewrite drops
the journal; its entries were dumped before the summary came), and the batch's changed entries are
read on one thread while the other adds to them.

So while an import runs, the GUI thread does not write that project at all: the summaries that
arrive for its images are made as they would be (the reference label the summary is scored against
is not something an import writes) and kept here, a small dict per image (never the map); when the
import ends (finished, failed, cancelled, the window closing) `release` stores them, on the GUI
thread, the import's thread ended. Holding rather than a lock the two threads share: the project is
not thread-safe anywhere else either (its batch, its journal, its entries' fields), and a lock would
have to be taken around each of them; here one thread writes it at a time, which is obviously so.

Everything here runs on the GUI thread.
"""

from __future__ import annotations

import math
from weakref import WeakKeyDictionary

import numpy as np

from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.project import Project
from fosp_core.annotation.summaries import MadeSummary, label_unchanged
from fosp_core.annotation.worklist import prediction_summary
from fosp_core.io.masks import MaskReadError

__all__ = ["drop", "hold", "holding", "keep", "keep_made", "release", "sample_step", "summary_of"]

#: project being imported into -> image id -> the summary to store when the import ends
_HELD: WeakKeyDictionary[Project, dict[str, dict]] = WeakKeyDictionary()


def hold(project: Project) -> None:
    """From now until `release`, summaries for `project` are kept here instead of written."""
    _HELD.setdefault(project, {})


def holding(project: Project) -> bool:
    """Whether `project`'s summaries are held (labels are being imported into it)."""
    return project in _HELD


def keep(project: Project, image_id: str, summary: dict) -> bool:
    """Keep `summary` for `image_id` (a later one replaces it); False when `project` is not held."""
    held = _HELD.get(project)
    if held is None:
        return False
    held[image_id] = dict(summary)
    return True


def keep_made(project: Project, image_id: str, made: MadeSummary) -> bool:
    """Keep what the inference thread `made` for `image_id` of a held `project`; False when the
    image's label file is not the one it was summarised against (as `record_summary` checks; the
    caller summarises again)."""
    return label_unchanged(project, image_id, made) and keep(project, image_id, made.summary)


def sample_step(probability: np.ndarray) -> int:
    """The row/column step that keeps a summary made on the GUI thread to about a million pixels."""
    return max(1, int(math.sqrt(np.asarray(probability).size / 1_000_000)))


def summary_of(project: Project, image_id: str, probability: np.ndarray, threshold: float) -> dict:
    """The worklist summary `Project.set_prediction` would store for float (H, W) `probability`
    (every `sample_step`-th pixel), without writing anything: reads only the image's reference label."""
    probability = np.asarray(probability, dtype=np.float32)
    try:
        label = project.load_label(image_id)
    except MaskReadError:
        label = None
    if label is not None and label.shape != probability.shape:
        label = None
    step = sample_step(probability)
    return prediction_summary(probability[::step, ::step], threshold,
                              None if label is None else label[::step, ::step])


def drop(project: Project) -> int:
    """Stop holding for `project` without storing what was held: its import's thread still writes it (the
    window closed while a disk that does not answer held the import's write). Returns how many were dropped
    (the model makes them again)."""
    return len(_HELD.pop(project, None) or {})


def release(project: Project) -> int:
    """The import into `project` ended (its thread too): store the held summaries (each a journal
    line, not fsynced, as `record_summary` does: the model makes them again) and stop holding.
    Returns how many were stored; one that cannot be (the project went read-only, a full disk) is
    dropped: the summary only orders the worklist."""
    held = _HELD.pop(project, None) or {}
    stored = 0
    for image_id, summary in held.items():
        try:
            entry = project.entry(image_id)
            entry.prediction = summary
            project.record_state(entry, durable=False)
        except (ProjectError, KeyError):
            continue
        stored += 1
    return stored
