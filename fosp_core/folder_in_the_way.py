"""What stands in the way of making a folder: mkdir under a file says "File exists" or "Not a directory",
naming neither the file nor what to do. Shared by the command line's output checks (`fosp_core.cli`)
and the SmokeSeg writer (`fosp_core.data.smokeseg`)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["in_the_way_words", "not_a_folder"]


def not_a_folder(folder: Path) -> Path | None:
    """The nearest of `folder` and its parents that is there, when it is no folder (a file, a dead link):
    the one in the way of making `folder`; else None."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            return None if candidate.is_dir() else candidate
    return None


def in_the_way_words(folder: Path) -> str | None:
    """"notes.txt is a file, not a folder" (or "... is not a folder": a dead link, a device) when
    `not_a_folder(folder)` finds one, else None."""
    in_the_way = not_a_folder(folder)
    if in_the_way is None:
        return None
    return f"{in_the_way} is {'a file, not a folder' if in_the_way.is_file() else 'not a folder'}"
