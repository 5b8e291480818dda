"""Bringing outside masks into an annotation project: the model's predictions and existing labels
(`Project.set_prediction` and `Project.import_labels` call these; see `fosp_core.annotation.project`).

The functions work on the project through `ImportTarget` (`import_target`), the few parts of it they use, so that
`fosp_core.annotation.project` imports this module and not the other way round.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry, ProjectSaveError
from fosp_core.annotation.foreign_import import import_foreign
from fosp_core.annotation.foreign_labels import read_foreign
from fosp_core.annotation.foreign_shapes import ForeignLabels
from fosp_core.annotation.import_loop import IMPORTED_STATUS, CancelCheck, Progress, write_masks
from fosp_core.annotation.import_target import ImportTarget
from fosp_core.annotation.labels import ImportReport, LabelError, is_rescued, label_files, read_label
from fosp_core.annotation.mask_intents import intent_noted, note_intent
from fosp_core.annotation.project_merge import import_project, other_project, same_folder
from fosp_core.annotation.storage import StorageError, atomic_write
from fosp_core.annotation.worklist import prediction_summary
from fosp_core.data.datasets import DatasetError

__all__ = ["ImportOptions", "ImportTarget", "import_labels", "set_prediction"]


class ImportOptions(TypedDict, total=False):
    """The keyword arguments of `import_labels` (`Project.import_labels` passes them on, typed)."""

    overwrite: bool
    ids: Iterable[str] | None
    labels: Iterable[str] | None
    progress: Progress | None
    cancelled: CancelCheck | None
    status: Status | str


def set_prediction(project: ImportTarget, image_id: str, probability: np.ndarray, threshold: float = 0.5, *,
                   store_map: bool = True, as_mask_if_unlabeled: bool = True, sample_step: int = 1) -> dict:
    """Record the model's float (H, W) probability for one image; returns the stored summary.

    Stores the summary used by the worklist (uncertainty, predicted smoke size, error against
    the reference label), the map itself as an 8-bit PNG (`store_map`), and, for an image
    without a mask, the thresholded prediction as its mask with status PREDICTED (its intent journalled
    first, as Pre-label's: `fosp_core.annotation.mask_intents`).
    sample_step: the summary is computed over every `sample_step`-th row and column (the app
    uses it to keep a 4000x3000 map cheap on the GUI thread).
    """
    project.check_writable()
    entry = project.entry(image_id)
    probability = np.asarray(probability, dtype=np.float32)
    label = project.load_label(image_id)
    if label is not None and label.shape != probability.shape:
        label = None
    step = max(int(sample_step), 1)
    summary = prediction_summary(probability[::step, ::step], threshold,
                                 None if label is None else label[::step, ::step])
    if store_map:
        png = cv2.imencode(".png", np.clip(np.rint(probability * 255.0), 0, 255).astype(np.uint8))[1]
        try:
            atomic_write(project.prediction_path(image_id), png.tobytes(), durable=False)
        except StorageError as exc:
            raise ProjectSaveError(exc.path, exc.reason) from exc
    entry.prediction = summary
    if as_mask_if_unlabeled and entry.status == Status.UNLABELED:
        mask = (probability > threshold).astype(np.uint8)
        note_intent(project, entry, project.mask_path(image_id), mask, Status.PREDICTED)  # a kill after the PNG
        with intent_noted(entry):
            project.save_mask(image_id, mask, Status.PREDICTED)
    else:
        project.record_state(entry)
    return summary


def import_labels(project: ImportTarget, source: str | os.PathLike | ForeignLabels | None = None, *,
                  overwrite: bool = False, ids: Iterable[str] | None = None,
                  labels: Iterable[str] | None = None, progress: Progress | None = None,
                  cancelled: CancelCheck | None = None, status: Status | str = IMPORTED_STATUS) -> ImportReport:
    """Use existing labels as masks, status `status`: EDITED (people's labels: ground truth for
    Compare, human work in the worklist; `fosp_core.annotation.import_loop`), or PREDICTED for a
    model's output.

    source: a SmokeSeg/SMOKE5K dataset or a folder of masks named by image stem; a labelme
    folder or file, a COCO instances JSON or a CVAT for images XML (or what `read_foreign` read of
    one: `fosp_core.annotation.foreign_import`, which returns a `ForeignImportReport`); None uses
    the reference labels of the dataset the project was made from; another copy's project (its folder, or
    the images folder holding it): its work taken with each image's status (`status` unused;
    `fosp_core.annotation.project_merge`). Images already edited or
    reviewed keep their masks unless `overwrite` (`ImportReport.kept`). Masks of the wrong size or
    unreadable are not taken (`ImportReport.failed`, with the reason).
    labels: the names of the smoke labels of a labelme/COCO/CVAT source (None: those named like
    "smoke", or its only one; `LabelChoiceError` lists them otherwise).
    progress(done, total): told after each image with a label (0 first); cancelled(): asked before
    each, True stops the import there, the masks written so far kept whole with their states
    (`ImportReport.cancelled`, `not_reached`; `fosp_core.annotation.import_loop`).
    Raises DatasetError (ForeignLabelError) for a source that cannot be read, nothing imported.
    """
    project.check_writable()
    status = Status(status)
    own = getattr(project, "folder", None)
    if own is not None and isinstance(source, (str, os.PathLike)) and Path(source).is_dir() and (
            same_folder(Path(source), Path(own) / "masks")):  # its model's masks would become people's work
        raise DatasetError(Path(source), "this is the project's own masks folder: name another copy's project "
                                         "or a folder of masks")
    other = None if source is None or isinstance(source, ForeignLabels) else other_project(Path(source))
    if other is not None:  # another copy's project: its work taken with each image's status
        return import_project(project, other, overwrite=overwrite, ids=ids, progress=progress, cancelled=cancelled)
    foreign = source if isinstance(source, ForeignLabels) else (
        None if source is None else read_foreign(Path(source)))
    if foreign is not None:
        return import_foreign(project, foreign, smoke_labels=labels, overwrite=overwrite, ids=ids,
                              progress=progress, cancelled=cancelled, status=status)
    if labels is not None:
        raise DatasetError(Path(source or project.images_root),
                           "labels are chosen in labelme, COCO and CVAT files only, not among PNG masks")
    wanted = None if ids is None else set(ids)
    files = label_files(project.entries, project.images_root, None if source is None else Path(source))
    todo = [e for e in project.entries if e.id in files and (wanted is None or e.id in wanted)]

    def make_mask(entry: ImageEntry) -> np.ndarray | str:
        try:
            return read_label(files[entry.id], entry.size, project.image_path(entry.id))
        except LabelError as exc:
            return str(exc)

    people = source is not None and is_rescued(Path(source))  # a window's saves after a take-over: a person's edits
    return write_masks(project, todo, make_mask, ImportReport(), overwrite=overwrite, progress=progress,
                       cancelled=cancelled, status=status, stamp=not people)
