"""An opening's recovery of a video's mask folder: the recovery logs a killed process (or a failed save) left
beside the frames' PNGs (`fosp_core.video.frame_saves`) applied and removed, before anything is read
(:func:`open_mask_folder`, called by `VideoAnnotations` as it opens its folder: :func:`recover_listed` when it
opens it for writing)."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from fosp_core.annotation.file_writes import atomic_write
from fosp_core.annotation.log_sync import sync_file
from fosp_core.annotation.project_files import remove_stale_temps
from fosp_core.annotation.recovery import (
    RECOVERY_SUFFIX,
    apply_records,
    is_whole,
    read_log_checked,
    set_aside,
)
from fosp_core.io.atomic import fsync_dir
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.video.frame_files import file_names, frames_in
from fosp_core.video.frame_removals import says_no_mask
from fosp_core.video.mask_png import encode_frame_mask_png
from fosp_core.video.stem_merge import merge_stems, unseen_words

__all__ = ["MaskFolderLook", "open_mask_folder", "recover_listed", "recover_logs"]


@dataclass
class MaskFolderLook:
    """What an opening found in a video's mask folder (:func:`open_mask_folder`)."""

    stem: str  #: the stem its frame files are named with
    files: set[int]  #: the frames with a mask (`fosp_core.video.frame_files.saved_frames`), past the count too
    undone: set[int]  #: the frames undone back to no mask (a log ending with a removal record), before and after
    remarks: list[str]  #: for the user (the frames recovered, logs set aside)


def open_mask_folder(folder: Path, stem: str, writable: bool, legacy: str | None = None) -> MaskFolderLook:
    """An opening's look at the mask folder ``masks/`` of the video state `folder` (frames ``<stem>_<n>.png``),
    from one listing of it (it was listed four times: on a network drive each is seconds for thousands of
    masks). `legacy`: the stem earlier versions named this video's frames with
    (`fosp_core.video.naming.legacy_frame_stem`), taken when the folder holds files of it (an earlier version reads
    only those); with frames of `stem` there too (app versions mixed) merged under `legacy` when writable, so that
    both versions see them all (`fosp_core.video.stem_merge`), else named in the remarks. `writable` (the folder's lock held): first the stale temporary files a killed write left removed (in `folder` too, as a
    project's opening does) and the recovery logs applied (:func:`recover_listed`)."""
    masks = folder / "masks"
    names = file_names(masks)
    new, merge = stem, False
    if legacy is not None and any(n.startswith(f"{legacy}_") for n in names):
        merge = any(n.startswith(f"{stem}_") for n in names)  # both stems: app versions mixed
        stem = legacy
    files, undone = frames_in(masks, stem, names)
    if merge:
        undone |= frames_in(masks, new, names)[1]
    if not writable:  # a reader leaves the files as they are
        return MaskFolderLook(stem, files, undone, unseen_words(new, frames_in(masks, new, names)[0]) if merge else [])
    remove_stale_temps(folder, names)
    names = [n for n in names if not (n.startswith(".") and n.endswith(".tmp") and len(n) > 4)]  # removed
    remarks, names = recover_listed(masks, names)
    if merge:  # under the old stem, which the folder keeps: both versions see every frame
        merged, names = merge_stems(masks, stem, new, names)
        remarks += merged
    files, still = frames_in(masks, stem, names)  # the logs that stayed (a PNG that could not be written)
    return MaskFolderLook(stem, files, undone | still, remarks)


def recover_logs(folder: Path) -> list[str]:
    """:func:`recover_listed` of one listing of `folder` (its remarks); an unlistable folder: none."""
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return []
    return recover_listed(folder, names)[0]


def recover_listed(folder: Path, names: list[str]) -> tuple[list[str], list[str]]:
    """Apply every recovery log in the mask `folder` (left by a process killed before its saves ended, or
    by a save that failed): the PNG written with the log's records, then the log removed (the PNG not read
    when the records start with the whole mask: a damaged one is rebuilt all the same); one that ends with a
    removal record (`fosp_core.video.frame_removals`): the PNG removed, then the log. A log with a
    record that cannot be read: the records before it applied, the log set aside (``.unapplied``). A PNG
    that cannot be written keeps its log (`read_saved` applies it). `names`: the files of `folder`, as listed
    by the caller (an opening lists it once). Returns (remarks for the user: the frames recovered, as images'
    openings say, `app.annotation.save_status`; `names` as the folder holds them now, those removed, written
    or set aside here accounted for)."""
    remarks: list[str] = []
    after = set(names)
    logs = [folder / name for name in names if name.endswith(".png" + RECOVERY_SUFFIX)]
    recovered: list[str] = []
    for log in sorted(logs):
        png = log.with_name(log.name[:-len(RECOVERY_SUFFIX)])
        reading = read_log_checked(log)
        try:
            if says_no_mask(reading.records):  # the PNG goes first, durably
                png.unlink(missing_ok=True)
                after.discard(png.name)
                fsync_dir(folder)
            elif reading.records:
                whole = is_whole(reading.records[0])
                base = read_mask(png) if png.exists() and not whole else None
                atomic_write(png, encode_frame_mask_png(apply_records(base, reading.records)[0]))
                after.add(png.name)
                recovered.append(png.stem)
            if reading.problem is not None:
                aside = set_aside(log)
                after.add(aside.name)
                remarks.append(f"{log.name}: {reading.problem} (kept as {aside.name})")
            else:
                log.unlink(missing_ok=True)
            after.discard(log.name)
        except (OSError, MaskReadError, ValueError) as exc:
            remarks.append(f"{png.name}: the edits of its recovery log could not be saved ({exc}); they are kept")
            with contextlib.suppress(OSError):  # a killed process's log may be in the page cache alone: its frame
                sync_file(log)  # counts as edited now (`frames_in`), and a video.json written says so durably
    if recovered:
        remarks.insert(0, f"recovered the last edits of {', '.join(recovered)} from their recovery logs (their masks "
                          "had not been written: the app had stopped, or a save had failed)")
    return remarks, sorted(after)
