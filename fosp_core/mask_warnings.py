"""Warnings of the library when its input is clearly not what it is read as (docs/library.md, "Scores
against labels"). What is returned does not change (back-compatibility): the warning says what was read
and how to read the input as meant. Silence one kind with
``warnings.filterwarnings("ignore", category=fosp_core.LabelEncodingWarning)``."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

__all__ = ["LabelEncodingWarning", "MaskWarning", "NotAMaskWarning", "warn_caller"]

#: fosp_core's folder, as written and resolved (a frame's file name is the path it was imported by)
_PACKAGES = tuple({str(Path(__file__).parent) + os.sep, str(Path(__file__).resolve().parent) + os.sep})


class MaskWarning(UserWarning):
    """A mask, label or probability map that is clearly not in the encoding it is read as."""


class NotAMaskWarning(MaskWarning):
    """`read_mask` read a file that looks like a photo (many grey levels, mostly mid-grey), not a mask."""


class LabelEncodingWarning(MaskWarning):
    """A 0/255 label given where 0/1/255 is read (its 255, the smoke, is *ignore*), or a 0/1 uint8 mask
    given as a probability (uint8 means 0..255: its 1 is 1/255)."""


def warn_caller(message: str, category: type[MaskWarning]) -> None:
    """`warnings.warn(message, category)` attributed to the first frame outside fosp_core: the user's
    line, whichever of the library's functions it went through (Python 3.12's `skip_file_prefixes`)."""
    level, frame = 2, sys._getframe(1)  # stacklevel 2: warn_caller's caller
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGES):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
