"""Warnings of the library when its input is clearly not what it is read as (docs/library.md, "Scores
against labels"). What is returned does not change (back-compatibility): the warning says what was read
and how to read the input as meant. Silence one kind with
``warnings.filterwarnings("ignore", category=fosp_core.LabelEncodingWarning)``. A program that shows them
itself (a GUI's worker thread) takes them with `collected_mask_warnings` instead: Python's warning filters
and display are one for the whole process, `warnings.catch_warnings` is not thread-safe."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

__all__ = ["LabelEncodingWarning", "MaskWarning", "NotAMaskWarning", "collected_mask_warnings", "warn_caller"]

#: fosp_core's folder, as written and resolved (a frame's file name is the path it was imported by)
_PACKAGES = tuple({str(Path(__file__).parent) + os.sep, str(Path(__file__).resolve().parent) + os.sep})


class MaskWarning(UserWarning):
    """A mask, label or probability map that is clearly not in the encoding it is read as. `path`: the file
    it was read from (None: an array given directly)."""

    path: Path | None = None


class NotAMaskWarning(MaskWarning):
    """`read_mask` read a file that looks like a photo (many grey levels, mostly mid-grey), not a mask."""


class LabelEncodingWarning(MaskWarning):
    """A 0/255 label given where 0/1/255 is read (its 255, the smoke, is *ignore*), or a 0/1 uint8 mask
    given as a probability (uint8 means 0..255: its 1 is 1/255)."""


#: the list `collected_mask_warnings` fills in this context (a thread's own: each thread starts its own)
_COLLECTED: ContextVar[list[MaskWarning] | None] = ContextVar("fosp_collected_mask_warnings", default=None)


@contextmanager
def collected_mask_warnings() -> Iterator[list[MaskWarning]]:
    """The block's `MaskWarning`s, in the thread (context) it runs in only, put in the list yielded instead of
    warned (every one, in order; not once per line as Python's default filter says them): a program that
    shows them itself, e.g. the app's label import on its worker thread. Another thread's warnings are
    warned as ever."""
    found: list[MaskWarning] = []
    token = _COLLECTED.set(found)
    try:
        yield found
    finally:
        _COLLECTED.reset(token)


def warn_caller(message: str, category: type[MaskWarning], path: str | os.PathLike | None = None) -> None:
    """`warnings.warn(message, category)` attributed to the first frame outside fosp_core: the user's
    line, whichever of the library's functions it went through (Python 3.12's `skip_file_prefixes`).
    `path`: the file it is about (the warning's ``path``). Within `collected_mask_warnings`: collected."""
    warning = category(message)
    if path is not None:
        warning.path = Path(path)
    found = _COLLECTED.get()
    if found is not None:
        found.append(warning)
        return
    level, frame = 2, sys._getframe(1)  # stacklevel 2: warn_caller's caller
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGES):
        frame, level = frame.f_back, level + 1
    warnings.warn(warning, stacklevel=level)
