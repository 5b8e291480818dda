"""The words of an image export's outcome (`fosp_core.annotation.export.ExportReport`), as the Export dialog
(`app.annotation.export_dialog`) and the status bar say them: `export_summary` (what was written, left out, the
exact duplicates, the dead exports' copies settled), `cancelled_words`, `cleaned_words` (the video export's too),
`duplicates_words`.
Qt-free words, kept apart from the dialog."""

from __future__ import annotations

from typing import Protocol

from fosp_core.annotation.export import ExportReport, not_reviewed_words
from fosp_core.annotation.export_model_made import DIALOG_HINT, model_made_words
from fosp_core.annotation.export_tally import exported_tally, tally_words
from fosp_core.data.duplicates import duplicates_words as words_of_duplicates
from fosp_core.data.smokeseg_debris import DeadExport, debris_words

__all__ = ["cancelled_words", "cleaned_words", "duplicates_words", "export_summary"]

_NAMED = 3  # images not exported for a problem, named one by one in the summary


def export_summary(report: ExportReport) -> str:
    """"Exported 12 images to DST (train 10 (2 a model's, not reviewed), val 1, test 1: the split lists written,
    `exported_tally`); 18 without a mask left out; 3 images with masks not yet reviewed were left
    out; not exported: a: unreadable mask ...;
    exact duplicates, the same image file under two names (each kept in one split): b = b copy"
    (`ExportReport.duplicates`, as `fosp project export` prints them, the first 8 groups, and whether
    each was kept in one split: :func:`duplicates_words`)."""
    count = report.count
    tally = tally_words(exported_tally(report))
    parts = [f"Exported {count} image{'' if count == 1 else 's'} to {report.dst}" + (f" ({tally})" if tally else "")]
    unlabeled = len(report.without_mask)
    if unlabeled:
        parts.append(f"{unlabeled} without a mask left out")
    if report.not_reviewed:  # reviewed only: the user's choice, counted so that none goes missing unsaid
        parts.append(not_reviewed_words(len(report.not_reviewed)))
    if report.model_made:  # training labels nobody checked: said, as `fosp project export` does
        parts.append(model_made_words(len(report.model_made), DIALOG_HINT))
    problems = [f"{image_id}: {reason}" for image_id, reason in report.problems]
    if problems:
        more = f" and {len(problems) - _NAMED} more" if len(problems) > _NAMED else ""
        parts.append(f"not exported: {'; '.join(problems[:_NAMED])}{more}")
    if report.duplicates:  # a copy in train and val would score an image the model learned
        parts.append(duplicates_words(report))
    if report.cleaned:
        parts.append(cleaned_words(report))
    return "; ".join(parts)


def cancelled_words(dst: object, cleaned: list[DeadExport]) -> str:
    """"Export cancelled: nothing written to DST", and when the export removed a dead export's copy first
    (settled before the cancel), "; before that it removed ..." (`debris_words`)."""
    words = f"Export cancelled: nothing written to {dst}"
    return f"{words}; before that it {debris_words(cleaned)}" if cleaned else words


class _Cleaned(Protocol):
    """A report of an export through the SmokeSeg writer: `ExportReport`, the video's `VideoExportReport`."""

    cleaned: list[DeadExport]


def cleaned_words(report: _Cleaned) -> str:
    """"removed a dead export's unfinished copy beside it: .out.tmp-host.123.ab12cd34, 120.4 MB": the
    folders of exports killed mid-way that `report`'s export removed or put back (`ExportReport.cleaned`,
    `VideoExportReport.cleaned`: `fosp_core.data.smokeseg_debris.debris_words`), each with what it held; ""
    when none."""
    return debris_words(report.cleaned)


def duplicates_words(report: ExportReport) -> str:
    """The summary's words of `report`'s exact duplicates and where they went, as ``fosp project
    export`` and ``fosp dataset convert`` say them (`fosp_core.data.duplicates.duplicates_words`,
    the first `_NAMED` groups in more than one split named); nothing of splits when the report does
    not say (`ExportReport.duplicate_splits` empty)."""
    return words_of_duplicates(report.duplicates, report.duplicate_splits, named=_NAMED)
