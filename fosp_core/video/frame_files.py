"""One frame's mask file read and written with its recovery log (``masks/<id>.png.recovery``;
`fosp_core.video.frame_saves`): `read_saved` (the PNG with the log's records applied) and `replace_saved`
(a mask written now, over a log kept or not); `saved_frames`, which frames of a mask folder have a mask.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.file_writes import atomic_write
from fosp_core.annotation.log_sync import append_record, sync_log, take_back
from fosp_core.annotation.project_files import file_signature
from fosp_core.annotation.recovery import (
    RECOVERY_SUFFIX,
    apply_records,
    encode_record,
    is_whole,
    log_path,
    read_log_checked,
)
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.video.frame_removals import says_no_mask
from fosp_core.video.mask_png import encode_frame_mask_png

__all__ = ["file_names", "frames_in", "listed_frames", "read_saved", "replace_saved", "saved_frames"]


def _read_png(path: Path) -> np.ndarray | None:
    try:
        return read_mask(path)
    except MaskReadError:
        if path.exists():  # a stat on this rare path only
            raise
        return None


def read_saved(path: Path) -> np.ndarray | None:
    """Frame mask file `path` with its recovery log's records applied (None: neither exists, or the log ends
    with a removal record: `fosp_core.video.frame_removals`). Without a log: the PNG read alone, no stat (a
    frame change reads it on the GUI thread). A log whose records start with the whole mask: the PNG not read
    (it may be damaged). Else the log read before the PNG, again when the PNG changed meanwhile (the save
    thread wrote a newer one). Raises MaskReadError for a PNG that cannot be read."""
    log = log_path(path)
    records = read_log_checked(log).records
    if not records:  # removed after the PNG of the newest commit was written: the PNG is at least that
        return _read_png(path)
    if says_no_mask(records):  # the PNG under it not read: it goes
        return None
    base = None
    for _ in range(20 if not is_whole(records[0]) else 0):
        before = file_signature(path)
        records = read_log_checked(log).records
        base = _read_png(path)
        if file_signature(path) == before:
            break
    if not records:
        return base
    return None if says_no_mask(records) else apply_records(base, records)[0]


def saved_frames(folder: Path, stem: str) -> set[int]:
    """Every frame number with a mask in the mask `folder` (files ``<stem>_<frame:06d>.png``): its PNG or its
    recovery log is there (a save pending or failed: a mask all the same), unless that log ends with a
    removal record (`says_no_mask`: the rule `read_saved` and an opening's `recover_logs` follow). One
    listing, and a read of each log there is (few: saves pending, failed, or left by a kill). An unlistable
    folder: none."""
    return listed_frames(folder, stem)[0]


def listed_frames(folder: Path, stem: str) -> tuple[set[int], set[int]]:
    """(`saved_frames`, the frames whose recovery log ends with a removal record: undone back to no mask, their
    edited mark taken back with it, whatever an older ``video.json`` says) of one listing of `folder`."""
    return frames_in(folder, stem, file_names(folder))


def file_names(folder: Path) -> list[str]:
    """The names of the files in `folder` (one listing; an unlistable or missing folder: none)."""
    try:
        return [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return []


def frames_in(folder: Path, stem: str, names: list[str]) -> tuple[set[int], set[int]]:
    """:func:`listed_frames` of `names`, a listing of `folder` made already (each recovery log among them read)."""
    prefix = f"{stem}_"
    frames: set[int] = set()
    removed: set[int] = set()
    for name in names:
        png = name.removesuffix(RECOVERY_SUFFIX)
        number = png[len(prefix):-len(".png")]
        if png.startswith(prefix) and png.endswith(".png") and number.isdigit():
            frames.add(int(number))
            if png != name and says_no_mask(read_log_checked(folder / name).records):
                removed.add(int(number))
    return frames - removed, removed


def replace_saved(path: Path, mask: np.ndarray) -> None:
    """Write `mask` (uint8 (H, W), 0/1/255) as the frame mask file `path`, atomically, and remove its
    recovery log. A log kept there (a failed background save) first gets a record of the whole of `mask`,
    fsynced: its records, rectangles over the mask file they were logged on, would otherwise be applied over
    `mask` after a kill between the new file and the log's removal (neither state); reading starts at that
    whole record. A write that fails takes that record back (the log cut back, durably; as images'
    `fosp_core.annotation.mask_writes`): the files as they were. Raises OSError (when the record could not
    be taken back, its words say that the next opening applies it) or ValueError (a mask of another dtype or
    value: nothing written)."""
    data = encode_frame_mask_png(mask)
    log = log_path(path)
    try:
        size: int | None = log.stat().st_size
    except FileNotFoundError:
        size = None
    try:
        if size is not None:
            append_record(log, encode_record(mask, (0, mask.shape[0], 0, mask.shape[1]), Status.EDITED.value))
            sync_log(log)
        atomic_write(path, data)
    except OSError as exc:
        if size is None or getattr(exc, "in_place", False) or take_back(log, size):  # in place: it stays
            raise
        raise OSError(exc.errno, f"{exc}; this mask is kept in the recovery log {log}, which the next opening "
                                 "applies") from exc
    log.unlink(missing_ok=True)
