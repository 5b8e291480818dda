"""An opening's recovery of a video's mask folder: the recovery logs a killed process (or a failed save) left
beside the frames' PNGs (`fosp_core.video.frame_saves`) applied and removed, before anything is read
(:func:`recover_logs`, called by `VideoAnnotations` when it opens its folder for writing)."""

from __future__ import annotations

import os
from pathlib import Path

from fosp_core.annotation.file_writes import atomic_write
from fosp_core.annotation.recovery import (
    RECOVERY_SUFFIX,
    apply_records,
    is_whole,
    read_log_checked,
    set_aside,
)
from fosp_core.io.atomic import fsync_dir
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.video.frame_removals import says_no_mask
from fosp_core.video.mask_png import encode_frame_mask_png

__all__ = ["recover_logs"]


def recover_logs(folder: Path) -> list[str]:
    """Apply every recovery log in the mask `folder` (left by a process killed before its saves ended, or
    by a save that failed): the PNG written with the log's records, then the log removed (the PNG not read
    when the records start with the whole mask: a damaged one is rebuilt all the same); one that ends with a
    removal record (`fosp_core.video.frame_removals`): the PNG removed, then the log. A log with a
    record that cannot be read: the records before it applied, the log set aside (``.unapplied``). A PNG
    that cannot be written keeps its log (`read_saved` applies it). Returns remarks for the user (the frames
    recovered, as images' openings say: `app.annotation.save_status`)."""
    remarks: list[str] = []
    try:
        logs = [Path(e.path) for e in os.scandir(folder) if e.is_file() and e.name.endswith(".png" + RECOVERY_SUFFIX)]
    except OSError:
        return remarks
    recovered: list[str] = []
    for log in sorted(logs):
        png = log.with_name(log.name[:-len(RECOVERY_SUFFIX)])
        reading = read_log_checked(log)
        try:
            if says_no_mask(reading.records):  # the PNG goes first, durably
                png.unlink(missing_ok=True)
                fsync_dir(folder)
            elif reading.records:
                whole = is_whole(reading.records[0])
                base = read_mask(png) if png.exists() and not whole else None
                atomic_write(png, encode_frame_mask_png(apply_records(base, reading.records)[0]))
                recovered.append(png.stem)
            if reading.problem is not None:
                aside = set_aside(log)
                remarks.append(f"{log.name}: {reading.problem} (kept as {aside.name})")
            else:
                log.unlink(missing_ok=True)
        except (OSError, MaskReadError, ValueError) as exc:
            remarks.append(f"{png.name}: the edits of its recovery log could not be saved ({exc}); they are kept")
    if recovered:
        remarks.insert(0, f"recovered the last edits of {', '.join(recovered)} from their recovery logs (their masks "
                          "had not been written: the app had stopped, or a save had failed)")
    return remarks
