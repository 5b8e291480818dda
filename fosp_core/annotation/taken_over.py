"""A project whose lock another program took over while this one had it open (Take Over… on another
computer, ``fosp project take-over``; `fosp_core.annotation.storage.ProjectLock.taken_by`).

From then on the other program owns the project's files: a save of this one must not write its
masks, journal or ``project.json``. The committed edit is not lost for that: its mask is written
beside them, under ``rescued/`` in the project folder (a folder no save writes, one file per save,
never over another), the save fails naming the new holder and the rescued file, and the project
turns read-only (`mark_taken_over`), offering Take Over… as a project locked at its opening does.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Protocol

import numpy as np

from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.storage import LockInfo
from fosp_core.io.atomic import write_atomic
from fosp_core.io.long_names import fit_name
from fosp_core.io.masks import encode_mask_png

__all__ = ["RESCUED_DIR", "TakenOverError", "mark_taken_over", "rescue_mask", "taken_over_error"]

#: the folder, in the project folder, of the masks saves could not write there
RESCUED_DIR = "rescued"


class _Project(Protocol):
    read_only_reason: str | None
    locked_by: LockInfo | None


def rescue_mask(project_folder: Path, image_id: str, mask: np.ndarray) -> Path:
    """Write `mask` (uint8 (H, W) 0/1/255, as a mask file) to a new file of ``rescued/``, named
    after the image, the time and this process; returns its path. Raises OSError."""
    folder = project_folder / RESCUED_DIR
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = image_id.replace("/", "__").replace("\\", "__")
    for n in range(1000):
        path = folder / fit_name(name, f".{stamp}.{os.getpid()}{f'.{n}' if n else ''}.png")  # a long name: cut
        if not path.exists():
            return write_atomic(path, encode_mask_png(mask, compress_level=1))
    raise FileExistsError(f"{folder}: no free name for {name}")


class TakenOverError(ProjectSaveError):
    """A save refused because the project was taken over: `image_id`'s, its mask `rescued` to that
    file (None: not at hand, or it could not be written)."""

    def __init__(self, path: Path, reason: str, image_id: str, rescued: Path | None) -> None:
        super().__init__(path, reason)
        self.image_id = image_id
        self.rescued = rescued


def taken_over_error(path: Path, owner: LockInfo, project_folder: Path, image_id: str,
                     mask: np.ndarray | None) -> TakenOverError:
    """The failed save of `path` in a project `owner` took over; `mask` (the commit's, when at hand)
    rescued first (`rescue_mask`), the message says where - or that it could not be, and that the
    document keeps the edit while it is open."""
    where, rescued = "it is kept in the open image only: copy it elsewhere before closing", None
    if mask is not None:
        try:
            rescued = rescue_mask(project_folder, image_id, mask)
            where = f"its mask is kept in {rescued}"
        except OSError as exc:
            where += f" (it could not be written to {project_folder / RESCUED_DIR}: {exc.strerror or exc})"
    return TakenOverError(path, f"not saved: the project was taken over ({owner.describe()}); "
                                f"nothing of it was written, {where}", image_id, rescued)


def mark_taken_over(project: _Project, owner: LockInfo) -> None:
    """The project is read-only from now on, locked by `owner` (Take Over… offered)."""
    project.read_only_reason = f"taken over since it was opened: {owner.describe()}"
    project.locked_by = owner
