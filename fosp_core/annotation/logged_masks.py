"""Masks as their recovery logs say: a saved mask read with the log's commits applied over it, and a
log of its own before a record is appended (the background saves of `fosp_core.annotation.mask_saves`).

Kept apart from the saving itself: this is what a log means for a reader of the mask and for the next
append, not how the commits get to disk.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import numpy as np

from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.project_files import file_signature
from fosp_core.annotation.recovery import apply_records, is_whole, log_path, read_log_checked, unshare_log
from fosp_core.annotation.save_worker import MaskSaver

__all__ = ["LoggedMasks", "own_copy"]


def own_copy(log: Path) -> None:
    """Before a record is appended to `log`: a copy of its own when it shares its bytes with a log
    set aside (`fosp_core.annotation.recovery.unshare_log`), so the record never lands in the
    set-aside file. Raises ProjectSaveError when that copy cannot be written (disk full), as a
    failed append would: the log and the set-aside file stay as they were."""
    try:
        unshare_log(log)
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise ProjectSaveError(log, f"cannot write: {reason} (the recovery log shares its bytes with the "
                                    "copy set aside, and a copy of its own to append to could not be made; "
                                    "both are kept as they were)") from exc


class LoggedMasks:
    """`load_mask` with the recovery log applied, for `fosp_core.annotation.mask_saves.BackgroundSaves`
    (a base class before the project's images, whose `load_mask` reads the file alone)."""

    # provided by BackgroundSaves, RecoveryState and ProjectImages
    _saver: MaskSaver | None
    _logged: set[str]
    pending_logs: list[str]
    read_only: bool
    mask_path: Callable[[str], Path]  # annotations only: a method here would shadow ProjectImages'

    def log_applies(self, image_id: str) -> bool:
        """Whether `load_mask` reads `image_id`'s mask with a recovery log applied over its file (the
        mask read is then not the file's: `fosp_core.annotation.project_documents.read_document`).

        A log this project did not write (`pending_logs`) or wrote itself (`_logged`: its records written or
        queued, the log removed only as the image's mask is written, which forgets it) applies, known in memory:
        no look at the disk, which the GUI thread makes here when it takes a document read on the worker (a share
        that stopped answering holds it). One whose record is still on its way counts too (`load_mask` then finds
        none and reads the file alone; the document's first save writes its mask: the cautious side). Read-only,
        any log applies (another process writes them): looked for."""
        if image_id in self.pending_logs or image_id in self._logged:
            return True
        return self.read_only and log_path(self.mask_path(image_id)).exists()

    def load_mask(self, image_id: str) -> np.ndarray | None:
        """The saved mask, once the image's background save has been written; with the commits of
        a recovery log applied: one this project did not write (`pending_logs`; read-only: any log),
        or its own while the image's newest save has not been taken or failed (the PNG may be older
        than the log; applying the log over any state from its start to its end gives its end)."""
        if self._saver is not None:
            self._saver.wait(image_id)
        if not self.log_applies(image_id):
            return super().load_mask(image_id)  # type: ignore[misc]
        path = self.mask_path(image_id)
        for _ in range(20):  # the file and the log read while the file did not change: they agree
            before = file_signature(path)
            reading = read_log_checked(log_path(path))
            base = super().load_mask(image_id)  # type: ignore[misc]
            if file_signature(path) == before:
                break
        records = reading.records
        if not records or (not is_whole(records[0]) and (base is None or base.shape != records[0].shape)):
            return base  # nothing to add, or not rebuilt: opening told it
        return apply_records(base, records)[0]
