"""An annotation status in the words the window shows: the house spells "labelled" (British), while
the value stored in project files stays ``Status.UNLABELED.value`` ("unlabeled"), which older
projects and other tools read and write (:class:`fosp_core.annotation.document.Status`).

An image of a dataset (SmokeSeg's ``SegmentationClass/``, SMOKE5K's ``gt/``) whose label was not brought in is
"unlabelled" in the project, but the Annotate dock said just that of it: an annotator who saw the dataset's label
in Compare was told there was none. The dock says "dataset label only" of it and how to edit it
(`image_status_words`), as the opening line does (`app.annotation.opening_notes.labels_not_brought_in`). The worklist
tells the same (its rows' tooltips and dots, its counts, its Show box: `app.annotation.worklist_shows`) by the same
rule, `dataset_label_only`, and so does the status bar (`has_dataset_label`, `short_status_words`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fosp_core.annotation.document import Status

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["DATASET_LABEL_ONLY", "OLD_WORDS", "dataset_label_only", "has_dataset_label", "image_status_words",
           "short_status_words", "status_word"]

_WORDS = {Status.UNLABELED: "unlabelled"}
#: the words an earlier version showed, where they differ (a worklist choice stored by its text)
OLD_WORDS = {Status.UNLABELED: "unlabeled"}
#: the Annotate dock's status of an image with a label of its dataset and no mask of the project yet
DATASET_LABEL_ONLY = "dataset label only"


def status_word(status: Status) -> str:
    """What the window calls `status`: "unlabelled", "predicted", "edited", "reviewed"."""
    return _WORDS.get(status, status.value)


def dataset_label_only(status: Status, dataset_label: bool) -> bool:
    """Whether an image of `status`, with a label of its dataset (`dataset_label`: ``ImageEntry.label`` is not None)
    or without, is told as "dataset label only": unlabelled in the project, its dataset's label beside it. The one
    rule of the Annotate dock (`image_status_words`) and of the worklist (`app.annotation.worklist_shows`)."""
    return status is Status.UNLABELED and dataset_label


def image_status_words(status: Status, dataset_label: bool, read_only: bool = False) -> str:
    """What the Annotate dock says of an image's status: `status_word`, but for an unlabelled image with a label of
    its dataset (`dataset_label`: ``ImageEntry.label``) "dataset label only: Annotate ▸ Import Labels… to edit it"
    (in a `read_only` project nothing may be imported: "dataset label only (ground truth, not a mask)")."""
    if not dataset_label_only(status, dataset_label):
        return status_word(status)
    if read_only:
        return f"{DATASET_LABEL_ONLY} (ground truth, not a mask)"
    return f"{DATASET_LABEL_ONLY}: Annotate ▸ Import Labels… to edit it"


def has_dataset_label(project: Project | None, image_id: str) -> bool:
    """Whether `image_id` has a label of its dataset in `project` (``ImageEntry.label``, held in memory: no disk
    read); False for no project or an image not of it (a document lent by another view)."""
    if project is None:
        return False
    try:
        return project.entry(image_id).label is not None
    except KeyError:
        return False


def short_status_words(project: Project | None, image_id: str, status: Status) -> str:
    """`image_id`'s status as the status bar says it: `status_word`, but "dataset label only" by the dock's rule."""
    return DATASET_LABEL_ONLY if dataset_label_only(status, has_dataset_label(project, image_id)) else status_word(status)
