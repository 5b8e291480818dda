"""A mask folder holding a video's frames under both its frame stems (`fosp_core.video.naming`: the stem this
version names them with, and the one earlier versions gave a long name in short form itself): app versions
mixed, a newer one saved frames under the new stem, then an older one saved others under the old one.

An opening that may write merges them under the OLD stem (:func:`merge_stems`): a folder that holds frames an
earlier version saved keeps their names (`fosp_core.video.log_recovery.open_mask_folder`), and an earlier
version reads only those, so every frame is named so after the merge and both versions show and export all of
them; this version then reads and writes that stem too (the new stem stays for folders no earlier version wrote
in). Each frame's newest file (by modification time) wins. Merging the other way (under the new stem, as this
did before) hid the renamed frames from the earlier version that had just saved them. A reader names the frames
it cannot see (:func:`unseen_words`)."""

from __future__ import annotations

import os
from pathlib import Path

from fosp_core.annotation.recovery import RECOVERY_SUFFIX
from fosp_core.io.atomic import fsync_dir
from fosp_core.video.naming import frame_id

__all__ = ["merge_stems", "unseen_words"]

_SHOWN = 10  # frame numbers listed in a remark, then "and N more"


def _numbers(frames: list[int]) -> str:
    listed = ", ".join(map(str, frames[:_SHOWN]))
    return listed + (f" and {len(frames) - _SHOWN} more" if len(frames) > _SHOWN else "")


def _png_frame(name: str, stem: str) -> int | None:
    """The frame number of ``<stem>_<n>.png`` (not its recovery log), else None."""
    number = name[len(stem) + 1:-len(".png")]
    return int(number) if name.startswith(f"{stem}_") and name.endswith(".png") and number.isdigit() else None


def merge_stems(masks: Path, kept: str, other: str, names: list[str]) -> tuple[list[str], list[str]]:
    """Rename each frame PNG ``<other>_<n>.png`` of the mask folder `masks` (the new stem's) to ``<kept>_<n>.png``
    (the stem earlier versions read) where that is not there or is older (by modification time): the newest file
    of each frame is read and written under `kept`, by every version. An older one is left as it is (no version
    reads it; said); a frame with a recovery log left under either stem (a save that failed:
    `fosp_core.video.log_recovery.recover_listed`) too, and said. `names`: the files of `masks`, listed after its
    logs were applied. Returns (remarks for the user, `names` as the folder holds them now)."""
    after = set(names)
    logs = {n[:-len(RECOVERY_SUFFIX)] for n in names if n.endswith(".png" + RECOVERY_SUFFIX)}
    moved: list[int] = []
    older: list[int] = []
    left: list[str] = []
    for name in sorted(names):
        index = _png_frame(name, other)
        if index is None:
            continue
        target = f"{frame_id(kept, index)}.png"
        if name in logs or target in logs:
            left.append(f"{name} (a recovery log of frame {index} is kept)")
            continue
        try:
            if target in after and (masks / target).stat().st_mtime_ns >= (masks / name).stat().st_mtime_ns:
                older.append(index)
                continue
            os.replace(masks / name, masks / target)
        except OSError as exc:
            left.append(f"{name} ({exc.strerror or exc})")
            continue
        after.discard(name)
        after.add(target)
        moved.append(index)
    remarks: list[str] = []
    if moved:
        fsync_dir(masks)
        remarks.append(f"the masks of frames {_numbers(moved)}, saved by a newer version of the app under the names "
                       f"it gives them ({frame_id(other, moved[0])}.png), are named as the earlier versions that "
                       f"saved this video's other frames name them ({frame_id(kept, moved[0])}.png), so every "
                       "version shows them; the newer file of a frame saved under both is kept"
                       + (f"; the older files of frames {_numbers(older)} are left under the newer names, not shown"
                          if older else ""))
    if left:
        remarks.append(f"{len(left)} mask file(s) saved by a newer version under other names are not shown "
                       f"(not renamed to the names this folder's frames have): {'; '.join(left[:_SHOWN])}")
    return remarks, sorted(after)


def unseen_words(new: str, frames: set[int]) -> list[str]:
    """The remark of an opening that may not write (nothing renamed) and reads the frames of the stem earlier
    versions saved with, while the mask folder also holds `frames` saved under `new`: not read, not exported."""
    if not frames:
        return []
    numbers = sorted(frames)
    return [f"the masks of frames {_numbers(numbers)} saved by a newer version of the app ({frame_id(new, numbers[0])}"
            ".png, ...) are not shown or exported: this folder's other frames are named as earlier versions name "
            "them, and this opening, which may not rename the newer ones to those names, reads those (nothing was "
            "moved or removed; an opening that may write renames them)"]
