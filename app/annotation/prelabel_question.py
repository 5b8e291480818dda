"""Pre-label All's question and words: what it will write, that it is no undo step, and - after a
retrain, when some masks only a model made (status *predicted*) - a box to replace those too.

The box ("Also replace masks that only a model made (status predicted)") is shown only when such masks
exist (`fosp_core.annotation.prelabel.prelabel_counts`), unticked: replacing is asked for each run.
Edited and reviewed masks, and labels imported as people's, are never replaced, ticked or not
(`fosp_core.annotation.prelabel.model_only`); a replaced mask goes through the same saving as a new
one (atomic, journalled) and is not an undo step either. ``fosp project prelabel --replace-predicted``
is the command line's box, and both count the same way ("12 new, 30 replaced":
`fosp_core.annotation.prelabel_words`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.prelabel import PrelabelCounts, PrelabelReport
from fosp_core.annotation.prelabel_words import images, made_already, new_and_replaced, nothing_words

__all__ = ["NOT_UNDO", "REPLACE_TEXT", "Choice", "answer", "ask_prelabel", "dataset_labels_note", "not_reached_words",
           "nothing_text",
           "progress_words", "question_text", "summary_counts"]

#: the question's box, and what "nothing to pre-label" names to replace the model-only masks
REPLACE_TEXT = "Also replace masks that only a model made (status predicted)"

NOT_UNDO = ("The masks are saved at once and are not an undo step (Undo works on each image's later edits); "
            "images with a mask - predicted, edited or reviewed - are left alone, so Cancel keeps what is "
            "saved and Pre-label All again goes on with the images left.")

_REPLACING = ("Ticked, the masks only a model made are replaced too: also at once and not an undo step (the "
              "older model's mask is gone); masks a person edited, reviewed or imported are never replaced "
              "(a model's labels imported as predictions are a model's).")


@dataclass(frozen=True)
class Choice:
    """The answer: start (`start`), and whether the model-only masks are replaced too (`replace`)."""

    start: bool
    replace: bool = False


def dataset_labels_note(entries: Iterable[ImageEntry]) -> str | None:
    """"30 of them have a SegmentationClass label of the dataset, ground truth only …": how many images with no
    mask hold a label of their dataset, which an annotator may want instead of the model's masks (Annotate ▸
    Import Labels… brings them in, replacing a model's mask); None when none does (a folder of photos)."""
    waiting = [e for e in entries if e.label is not None and e.status is Status.UNLABELED]
    if not waiting:
        return None
    folders = {head for e in waiting if e.label is not None and (head := e.label.partition("/")[0]) != e.label}
    kind = f"{folders.pop()} " if len(folders) == 1 else ""
    one = len(waiting) == 1
    return (f"{len(waiting)} of them {'has a' if one else 'have a'} {kind}label of the dataset, ground truth only "
            f"until Annotate ▸ Import Labels… brings {'it' if one else 'them'} in as {'a mask' if one else 'masks'} "
            "(an import replaces the masks a model made).")


def question_text(name: str, counts: PrelabelCounts, labels: str | None = None) -> str:
    """The question for a pre-label with `name` (the checkpoint's file name) over `counts`; `labels`: what
    `dataset_labels_note` says of those images, said after the first line."""
    if counts.new:
        text = f"Save {name}'s mask for the {counts.new} images with no mask yet (status predicted)?"
        text += f"\n\n{labels}\n\n{NOT_UNDO}" if labels else f"\n\n{NOT_UNDO}"
    else:
        text = (f"Every image has a mask already. Replace the masks only a model made with {name}'s? Tick the box "
                f"below.\n\n{NOT_UNDO}")
    if counts.predicted:
        only = "has a mask" if counts.predicted == 1 else "have a mask"
        text += (f"\n\n{images(counts.predicted)} {only} only a model made (status predicted: nobody edited or "
                 f"reviewed it). {_REPLACING}")
    return text


def answer(box: QMessageBox) -> QMessageBox.StandardButton:
    """The button the user answers `box` with (modal; tests stand in for the user here)."""
    return QMessageBox.StandardButton(box.exec())


def ask_prelabel(parent: QWidget, name: str, counts: PrelabelCounts, labels: str | None = None) -> Choice:
    """Ask whether to pre-label (`question_text`, `labels`: `dataset_labels_note`'s), with the box to replace the
    model-only masks when there are any (unticked)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Pre-label All", question_text(name, counts, labels),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    replace = None
    if counts.predicted:
        replace = QCheckBox(f"{REPLACE_TEXT}: {images(counts.predicted)}")
        replace.setAccessibleName(REPLACE_TEXT)
        box.setCheckBox(replace)
    if answer(box) != QMessageBox.StandardButton.Yes:
        return Choice(False)
    return Choice(True, replace is not None and replace.isChecked())


def nothing_text(counts: PrelabelCounts, made: int = 0) -> str:
    """What the status bar says when a pre-label has nothing to write (no image without a mask, and the
    model-only masks not to be replaced): how many masks a model only made, and how to replace them; `made` of
    them (not in `counts`, counted with this model's stamp) are this model's at these settings already, said as
    ``fosp project prelabel --replace-predicted`` says it (`made_already`: a second Pre-label All with the same
    model said only "every image has a mask already")."""
    return ("Nothing to pre-label: every image has a mask already"
            + nothing_words(counts, f"'{REPLACE_TEXT}' in Pre-label All's question")
            + made_already(made, counts.predicted))


def progress_words(new: int, replace: int) -> str:
    """What the progress line says of the run's images: "12 new, 30 replaced" when it replaces any."""
    if not replace:
        return "images with a mask are left alone"
    return f"{new_and_replaced(new, replace)}; masks a person made are left alone"


def summary_counts(report: PrelabelReport) -> str:
    """": 12 new, 30 replaced" for a report that replaced masks, else ""."""
    return f": {new_and_replaced(report.new, len(report.replaced))}" if report.replaced else ""


def not_reached_words(report: PrelabelReport) -> str:
    """What a cancelled pre-label says of the images it did not come to: Pre-label All goes on with them
    (a replacing run's, with the box ticked again: the masks it replaced already are left alone,
    `fosp_core.annotation.prelabel.made_by`)."""
    if not report.replacing:
        return f"{report.not_reached} not reached (Pre-label All goes on with them)"
    return f"{report.not_reached} not reached (Pre-label All goes on with them, its box ticked again)"
