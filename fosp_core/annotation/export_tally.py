"""How many images an image export puts in each split, and how many of them are a model's masks nobody reviewed
(status predicted: `fosp_core.annotation.export_model_made`), before the export and after it.

Before (`planned_tally`): the images `export_smokeseg` takes (`takes`, by status: nothing read, the GUI thread may
ask) split by the export's own planner (`plan_splits`, the same seed): what the export writes unless it finds
what no status says, an image left out for a problem (an unreadable mask, a file gone or changed: named after) or
exact duplicates a drawn split keeps together (`fosp_core.data.duplicates.keep_together`: said after). After
(`exported_tally`): the export's own report, the split lists it wrote (`ExportReport.splits`, the
``ImageSets/Segmentation/<split>.txt`` files) and its model-made images (`ExportReport.model_made`). The Export
dialog says the first under its split choice and the second in its summary (`tally_words`). No Qt here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.export import ExportReport, Splits, plan_splits, takes
from fosp_core.annotation.export_model_made import model_made

__all__ = ["SplitTally", "exported_tally", "planned_tally", "tally_words"]


@dataclass(frozen=True)
class SplitTally:
    """One split's `images`, and how many of them are `model_made` (a model's masks nobody reviewed)."""

    images: int
    model_made: int = 0


def planned_tally(entries: Sequence[ImageEntry], reviewed_only: bool, splits: Splits,
                  seed: int = 0) -> dict[str, SplitTally]:
    """Split name -> `SplitTally` of the images an export of `entries` with these options would write (module
    doc), in `plan_splits`' order; by status, nothing read. Ratios that `check_ratios` refuses: {}."""
    chosen = [entry for entry in entries if takes(entry, reviewed_only)]
    try:
        planned = plan_splits(chosen, splits, seed)
    except ValueError:
        return {}
    made = set(model_made(chosen))
    return {name: SplitTally(len(ids), sum(i in made for i in ids)) for name, ids in planned.items()}


def exported_tally(report: ExportReport) -> dict[str, SplitTally]:
    """Split name -> `SplitTally` of what `report`'s export wrote: each split list's images and, of them, the
    model-made ones (`ExportReport.model_made`, project ids, matched through `ExportReport.ids`)."""
    made = set(report.model_made)
    return {name: SplitTally(len(ids), sum(report.ids.get(i) in made for i in ids))
            for name, ids in report.splits.items()}


def tally_words(tally: dict[str, SplitTally]) -> str:
    """"train 8 (3 a model's, not reviewed), val 2, test 2": each split's images and, when some, how many of them
    are a model's masks nobody reviewed; "" for none."""
    return ", ".join(f"{name} {t.images}" + (f" ({t.model_made} a model's, not reviewed)" if t.model_made else "")
                     for name, t in tally.items())
