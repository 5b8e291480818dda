"""The writing loop of a label import (`project_import.import_labels`, `foreign_import.import_foreign`):
one image after the other, in one `batch`, with progress and a cancel check between masks.

Each image with a label is either kept (already edited or reviewed, unless `overwrite`), failed
(its label cannot be taken: the reason) or imported: its mask saved as the image's (status
`IMPORTED_STATUS`, EDITED, unless the caller says the labels are a model's: PREDICTED; the file
written atomically by `save_mask`, so a stop never leaves half a mask). A cancel is checked before
each image: the loop ends there, the masks saved so far stay (whole, with their states: the batch's
end writes ``project.json``), the report says ``cancelled`` and how many images it did not come to
(`ImportReport.not_reached`). Each mask's state is also a journal line at once (`note_state`, not
fsynced): a process killed before the batch's end leaves no mask beside an "unlabeled" state; and
before the PNG, its intent (`fosp_core.annotation.mask_intents`, fsynced as the PNG is; over an EDITED
mask too, and with the import's ``imported_at``): a kill or a power loss between the PNG and that line
opens with the mask's new state too, the entry the import would have written. When neither line can be
written (the journal failing) a mask's state waits for the batch's end, kept from a kill meanwhile by a
recovery log of the whole mask and its state (`_log_state`, removed at that end); if the end fails too, the
mask is put back as it was (`write_masks`).

Labels brought in are people's work (labelme, CVAT, COCO, a dataset's masks): EDITED, "a person made
the mask", as Compare and the worklist read it (ground truth unless reviewed only; not a model's
output to accept or sort by). An image imported and not touched since (its ``updated`` is still the
one stamped at its import, `IMPORTED_KEY`) is not "already edited": a second import of a corrected
file replaces it as it replaced the PREDICTED imports of earlier versions; a stroke, Accept
Prediction or Mark Reviewed ends that. Projects imported into before keep their PREDICTED imports
(nothing tells them from a model's masks); importing again turns them EDITED.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.file_writes import PreviousFile
from fosp_core.annotation.labels import ImportReport
from fosp_core.annotation.log_sync import append_record
from fosp_core.annotation.mask_intents import IMPORTED_KEY, intent_noted, note_intent
from fosp_core.annotation.mask_writes import NotDurableSaveError
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.annotation.saved_files_writes import mask_writing
from fosp_core.annotation.storage import StorageError
from fosp_core.io.long_names import too_long

if TYPE_CHECKING:
    from fosp_core.annotation.import_target import ImportTarget

__all__ = ["IMPORTED_KEY", "IMPORTED_STATUS", "CancelCheck", "MakeMask", "Progress", "imported_untouched",
           "write_masks"]

#: progress(done, total): `done` of the `total` images with a label gone through (0 first)
Progress = Callable[[int, int], object]
#: cancelled(): True to stop before the next image
CancelCheck = Callable[[], bool]
#: the mask of an image (uint8 (H, W) 0/1/255), or the reason it cannot be taken
MakeMask = Callable[[ImageEntry], "np.ndarray | str"]
#: a mask written whose state line could not be written: its old file, its entry before, the log kept for it
Unjournaled = tuple[PreviousFile, ImageEntry, "Path | None"]
#: the status of an imported mask (labels made by people)
IMPORTED_STATUS = Status.EDITED


def imported_untouched(entry: ImageEntry) -> bool:
    """Whether `entry` is EDITED by an import only: its mask is still the one an import wrote."""
    stamp = entry.extra.get(IMPORTED_KEY)
    return entry.status == Status.EDITED and stamp is not None and stamp == entry.updated


def write_masks(project: ImportTarget, todo: Sequence[ImageEntry], make_mask: MakeMask, report: ImportReport, *,
                overwrite: bool = False, progress: Progress | None = None,
                cancelled: CancelCheck | None = None, status: Status = IMPORTED_STATUS,
                stamp: bool = True) -> ImportReport:
    """Save the mask `make_mask` gives each image of `todo` (in order) into `report` (see the module
    doc); returns `report`. `progress` is told (0, n) first and then after each image; `cancelled`
    is asked before each (both on the calling thread). `status`: of the masks written (EDITED, or
    PREDICTED for a model's output). `stamp`: an EDITED mask written is stamped an import's (`IMPORTED_KEY`:
    a later import replaces it while untouched); False for people's work taken from another copy of the
    project (`fosp_core.annotation.project_merge`), kept as any person's. When the batch's end cannot write the states (``project.json``
    and the journal both failing), the masks whose state is in no journal line are taken back
    (`_take_back`): never a mask left beside a state that does not match."""
    total = len(todo)
    if progress is not None:
        progress(0, total)
    unjournaled: dict[str, Unjournaled] = {}
    inner: BaseException | None = None
    try:
        with project.batch():
            try:
                _write(project, todo, make_mask, report, overwrite, progress, cancelled, status, unjournaled,
                       stamp and status == Status.EDITED)
            except BaseException as exc:
                inner = exc
                raise
    except BaseException as exc:
        if exc is not inner and not isinstance(exc, NotDurableSaveError):  # the batch's end wrote no state
            _take_back(project, unjournaled, report)
        raise
    finally:
        for previous, _old, _log in unjournaled.values():
            previous.discard()
    return report


def _write(project: ImportTarget, todo: Sequence[ImageEntry], make_mask: MakeMask, report: ImportReport,
           overwrite: bool, progress: Progress | None, cancelled: CancelCheck | None, status: Status,
           unjournaled: dict[str, Unjournaled], stamped: bool) -> None:
    """The loop of `write_masks`; `unjournaled` gets the old file and state of each mask written whose
    state line could not be written (its state is in memory only, until the batch's end), and the
    recovery log `_log_state` wrote for it."""
    total = len(todo)
    for done, entry in enumerate(todo):
        if cancelled is not None and cancelled():
            report.cancelled, report.not_reached = True, total - done
            break
        if entry.status in (Status.EDITED, Status.REVIEWED) and not overwrite and not imported_untouched(entry):
            report.kept.append((entry.id, f"already {entry.status.value}; not overwritten"))
        else:
            path = project.mask_path(entry.id)
            old = _copy(entry)  # before make_mask: a pre-label stamps the entry's prediction there
            mask = too_long(path.name, "its mask file's name") or make_mask(entry)  # failed alone
            if isinstance(mask, str):
                report.failed.append((entry.id, mask))
            else:
                entry.size = (int(mask.shape[0]), int(mask.shape[1]))
                # a kill after the PNG: the intent's state taken, this import's stamp with it (EDITED over EDITED too)
                note_intent(project, entry, path, mask, status, imported=stamped)
                previous = PreviousFile(path)
                try:
                    with intent_noted(entry):  # this one, with the import's stamp: not another
                        project.save_mask(entry.id, mask, status)
                except BaseException:
                    previous.discard()
                    raise
                if stamped:
                    entry.extra[IMPORTED_KEY] = entry.updated
                else:
                    entry.extra.pop(IMPORTED_KEY, None)
                if project.note_state(entry):  # a kill before the batch's end keeps it with its mask
                    previous.discard()
                else:  # the journal failing: a recovery log keeps the state from a kill instead
                    unjournaled[entry.id] = (previous, old, _log_state(path, mask, entry.status))
                report.imported.append(entry.id)
        if progress is not None:
            progress(done + 1, total)


def _copy(entry: ImageEntry) -> ImageEntry:
    """`entry`'s state as it is now (its dicts copied: a save changes them in place)."""
    return dataclasses.replace(entry, prediction=copy.deepcopy(entry.prediction), extra=copy.deepcopy(entry.extra))


def _log_state(path: Path, mask: np.ndarray, status: Status) -> Path | None:
    """A mask written in a batch whose state line could not be written: its whole mask and state as the
    record of a new recovery log (no fsync: a kill is what it is for), so that a kill before the batch's
    end opens with both (`fosp_core.annotation.recovery`); the batch's end removes it once its state is
    durable (`hold_for_batch`). The log's path, None when there was one already (`save_mask` put the new
    state in it first) or it cannot be written either."""
    log = log_path(path)
    if log.exists():
        return None
    try:
        append_record(log, encode_record(mask, (0, mask.shape[0], 0, mask.shape[1]), status.value))
    except StorageError:
        return None
    return log


def _take_back(project: ImportTarget, unjournaled: dict[str, Unjournaled], report: ImportReport) -> None:
    """The batch's end wrote no state: each mask in `unjournaled` (its state in no journal line) is put
    back as it was (the old file, or none) with its old state in memory, and is no longer counted as
    imported; one that cannot be put back stays, its new state in memory for the next write of the
    project's state."""
    for image_id, (previous, old, log) in unjournaled.items():
        with mask_writing(previous.path):  # counted: a document read meanwhile is read again
            restored = previous.restore()
        if not restored:
            continue
        if log is not None:
            log.unlink(missing_ok=True)
        entry = project.entry(image_id)
        for name in ("status", "updated", "size", "smoke_ratio", "prediction", "extra"):
            setattr(entry, name, getattr(old, name))
        report.imported.remove(image_id)
    unjournaled.clear()
