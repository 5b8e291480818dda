"""The worklist's Show choices and counts, telling an image with a label of its dataset only as the Annotate dock does.

An image of a dataset (SmokeSeg's ``SegmentationClass/``, SMOKE5K's ``gt/``) whose label was not brought in is
"unlabelled" in the project; the Annotate dock says "dataset label only" of it (session 36), but the worklist
still counted it in "N unlabelled" and listed it under Show: Unlabelled. Both now go by the dock's rule
(`app.annotation.status_words.dataset_label_only`, on the entry's ``label``, held in memory: no disk read):

- Show: Unlabelled lists the images with no label of any kind (no mask of the project, none of its dataset): what
  an annotator has to draw; Show: Dataset label only lists the others (Annotate ▸ Import Labels… makes their label
  a mask to edit). Each choice says so in its tooltip (`SHOWS`, `show_tips`). Not reviewed lists both.
- The counts give "N dataset label only" beside "N unlabelled" where a project has any (`LabelCounts`), counted
  in C as the statuses are (`stored_counts`), the image being edited counted at its live status (`live_counts`).
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from app.annotation.status_words import DATASET_LABEL_ONLY, dataset_label_only, status_word
from fosp_core.annotation import worklist
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry

__all__ = ["SHOWS", "LabelCounts", "Show", "counts_html", "live_counts", "show_tips", "stored_counts", "unlabelled_note"]

_STATUS, _LABEL = operator.attrgetter("status"), operator.attrgetter("label")


@dataclass(frozen=True)
class Show:
    """A choice of the worklist's Show box: its `text`, the `statuses` it lists (None: any), and for the unlabelled
    ones whether they are those with a label of their dataset (`dataset_label`: True), those without (False), or
    either (None); its `tip` says what it lists."""

    text: str
    statuses: tuple[Status, ...] | None
    tip: str
    dataset_label: bool | None = None

    def lists(self, entry: ImageEntry) -> bool:
        """Whether `entry` (at its stored status) is one this choice lists."""
        if self.statuses is not None and entry.status not in self.statuses:
            return False
        return self.dataset_label is None or (
            dataset_label_only(entry.status, entry.label is not None) is self.dataset_label)

    def entries(self, order: Sequence[ImageEntry]) -> list[ImageEntry]:
        """The entries of `order` this choice lists, in that order."""
        listed = worklist.filter_entries(order, self.statuses)
        if self.dataset_label is None:
            return listed
        return [entry for entry in listed if self.lists(entry)]


SHOWS: list[Show] = [
    Show("All images", None, "Every image of the project"),
    Show("Not reviewed", (Status.UNLABELED, Status.PREDICTED, Status.EDITED),
         "Every image not marked reviewed (R): unlabelled, dataset label only, predicted or edited"),
    Show(status_word(Status.UNLABELED).capitalize(), (Status.UNLABELED,),
         "Images with no label of any kind: no mask of the project and no label of its dataset", False),
    Show(DATASET_LABEL_ONLY.capitalize(), (Status.UNLABELED,),
         "Images with a label of their dataset (SegmentationClass/, gt/) and no mask of the project yet: "
         "Annotate ▸ Import Labels… makes it a mask to edit", True),
    *[Show(status_word(s).capitalize(), (s,), f"Images whose status is {status_word(s)}") for s in Status if s is not Status.UNLABELED],
]


def show_tips(box: QComboBox) -> None:
    """Each item of `box` (the `SHOWS`, in order) with its tooltip."""
    for at, show in enumerate(SHOWS):
        box.setItemData(at, show.tip, Qt.ItemDataRole.ToolTipRole)


@dataclass(frozen=True)
class LabelCounts:
    """How many images have each status, and how many of the unlabelled ones have a label of their dataset only."""

    statuses: dict[Status, int]
    dataset_only: int


def stored_counts(entries: Sequence[ImageEntry]) -> LabelCounts:
    """The counts of `entries` at their stored statuses (`worklist.status_counts`, counted in C), and of those told
    "dataset label only": the statuses of the entries with a label, counted in C too, where any has a status the
    rule may tell so (a project with no unlabelled image: no second pass)."""
    statuses = worklist.status_counts(entries)
    told = [status for status in Status if statuses[status] and dataset_label_only(status, True)]
    if not told:
        return LabelCounts(statuses, 0)
    labelled = Counter(map(_STATUS, compress(entries, map(operator.is_not, map(_LABEL, entries), repeat(None)))))
    return LabelCounts(statuses, sum(labelled[status] for status in told))


def live_counts(stored: LabelCounts, overrides: dict[str, Status], entry: Callable[[str], ImageEntry] | None) -> LabelCounts:
    """`stored` with the images of `overrides` (the one being edited) at their live status, each looked up with
    `entry` (a project's; an id it does not know counts nothing; None: no entries)."""
    statuses = worklist.live_counts(stored.statuses, overrides, entry)
    only = stored.dataset_only
    for image_id, status in overrides.items() if entry is not None else ():
        try:
            was = entry(image_id)
        except KeyError:
            continue
        labelled = was.label is not None
        only += dataset_label_only(status, labelled) - dataset_label_only(was.status, labelled)
    return LabelCounts(statuses, only)


def counts_html(counts: LabelCounts, colors: dict[Status, str]) -> str:
    """The counts line: a dot of each status's colour, its count and word; "○ N dataset label only" (the
    unlabelled colour, as its rows' ring) beside "● N unlabelled", those not counted in it, where there are any."""
    parts = []
    for status in Status:
        n = counts.statuses[status]
        if status is Status.UNLABELED and counts.dataset_only:
            parts.append(f'<span style="color:{colors[status]}">●</span>&nbsp;{n - counts.dataset_only}&nbsp;'
                         f"{status_word(status)}")
            parts.append(f'<span style="color:{colors[status]}">○</span>&nbsp;{counts.dataset_only}&nbsp;'
                         f"{DATASET_LABEL_ONLY}")
        else:
            parts.append(f'<span style="color:{colors[status]}">●</span>&nbsp;{n}&nbsp;{status_word(status)}')
    return "  ".join(parts)


def unlabelled_note(show: Show, counts: LabelCounts) -> str:
    """What the empty note adds when Show: Unlabelled lists nothing but images with a dataset label are left out."""
    if show.dataset_label is False and counts.dataset_only:
        have = "1 has" if counts.dataset_only == 1 else f"{counts.dataset_only} have"
        return f" {have} a dataset label only: Show: {DATASET_LABEL_ONLY.capitalize()} lists them."
    return ""
