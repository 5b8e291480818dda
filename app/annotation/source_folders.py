"""Which images are a source folder's, and when the folder last changed: the registry's
(:mod:`app.annotation.projects`) helpers for joining the images added to a folder or dataset while its project is
open. `folder_stamp` reads the disk: the open's worker calls it where it can (`ProjectRegistry.look`,
`prepare_projects`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from fosp_core.annotation.dataset_listing import DATASET_KINDS, image_folders
from fosp_core.annotation.project import Project

__all__ = ["folder_stamp", "is_dataset", "member_test"]


def is_dataset(project: Project | None) -> bool:
    """Whether `project` is a SmokeSeg / SMOKE5K dataset's (its header's ``source.kind``)."""
    source = project.header.get("source") if project is not None else None
    return isinstance(source, dict) and source.get("kind") in DATASET_KINDS


def member_test(source: Path, project: Project) -> Callable[[str], bool]:
    """Whether an image file (resolved path, text) of an open's listing is one of the folder `source`'s, whose
    `project` is open: directly in a dataset's images folders (a SMOKE5K subset's ``img/`` too), else directly in
    `source` (a plain folder's: one named ``JPEGImages`` or ``img`` too, opened itself)."""
    if not is_dataset(project):
        folder = os.fspath(source)
        return lambda text: os.path.dirname(text) == folder
    folders = {os.path.realpath(folder) for folder in image_folders(source)}
    return lambda text: os.path.dirname(text) in folders


def folder_stamp(folder: Path, project: Project | None) -> tuple[int, ...] | None:
    """The modification times (ns; one changes when a file is added, removed or renamed in its folder) of
    `folder` and, for a dataset's `project`, of its images folders (``JPEGImages/``: `image_folders`), None
    when one cannot be read."""
    folders = [folder]
    if is_dataset(project):
        folders += image_folders(folder)
    try:
        return tuple(os.stat(path).st_mtime_ns for path in folders)
    except OSError:
        return None
