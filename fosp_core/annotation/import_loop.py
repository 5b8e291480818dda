"""The writing loop of a label import (`project_import.import_labels`, `foreign_import.import_foreign`):
one image after the other, in one `batch`, with progress and a cancel check between masks.

Each image with a label is either kept (already edited or reviewed, unless `overwrite`), failed
(its label cannot be taken: the reason) or imported: its mask saved as the image's (status
PREDICTED; the file written atomically by `save_mask`, so a stop never leaves half a mask). A
cancel is checked before each image: the loop ends there, the masks saved so far stay (whole, with
their states: the batch's end writes ``project.json``), the report says ``cancelled`` and how many
images it did not come to (`ImportReport.not_reached`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.labels import ImportReport

if TYPE_CHECKING:
    from fosp_core.annotation.import_target import ImportTarget

__all__ = ["CancelCheck", "MakeMask", "Progress", "write_masks"]

#: progress(done, total): `done` of the `total` images with a label gone through (0 first)
Progress = Callable[[int, int], object]
#: cancelled(): True to stop before the next image
CancelCheck = Callable[[], bool]
#: the mask of an image (uint8 (H, W) 0/1/255), or the reason it cannot be taken
MakeMask = Callable[[ImageEntry], "np.ndarray | str"]


def write_masks(project: ImportTarget, todo: Sequence[ImageEntry], make_mask: MakeMask, report: ImportReport, *,
                overwrite: bool = False, progress: Progress | None = None,
                cancelled: CancelCheck | None = None) -> ImportReport:
    """Save the mask `make_mask` gives each image of `todo` (in order) into `report` (see the module
    doc); returns `report`. `progress` is told (0, n) first and then after each image; `cancelled`
    is asked before each (both on the calling thread)."""
    total = len(todo)
    if progress is not None:
        progress(0, total)
    with project.batch():
        for done, entry in enumerate(todo):
            if cancelled is not None and cancelled():
                report.cancelled, report.not_reached = True, total - done
                break
            if entry.status in (Status.EDITED, Status.REVIEWED) and not overwrite:
                report.kept.append((entry.id, f"already {entry.status.value}; not overwritten"))
            else:
                mask = make_mask(entry)
                if isinstance(mask, str):
                    report.failed.append((entry.id, mask))
                else:
                    entry.size = (int(mask.shape[0]), int(mask.shape[1]))
                    project.save_mask(entry.id, mask, Status.PREDICTED)
                    report.imported.append(entry.id)
            if progress is not None:
                progress(done + 1, total)
    return report
