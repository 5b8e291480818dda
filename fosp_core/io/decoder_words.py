"""What Pillow warns of a file while fosp_core's readers read it, said with the file's name, or not at all.

Pillow warns through Python's warnings, without naming the file: "Corrupt EXIF data.  Expecting to read 12
bytes but only got 8.", "Tag data larger than file. Skipping tag 256" (a damaged TIFF), "Image size
(625000000 pixels) exceeds limit of 400000000 pixels, ..." (an image over `MAX_PIXELS`, which the readers
refuse). A program that says warnings itself (the `fosp` command line's `warnings.showwarning`) hands each of
Pillow's to `took`: while `read_image` or `read_mask` reads a file (`reading`), it is kept, and when the read
ends

- in an error: dropped; the error names the file and says what is wrong with it;
- in a picture: warned again, once per text, as an `ImageFileWarning` "PATH: text" (a fosp_core warning).

A read of the header alone (`image_size`, `fosp_core.data.datasets.header_size`) drops them: the read of the
pixels says them, and a command that reads no pixels (sizes only) says nothing of them.

Where nobody calls `took` (a library user's program, the app) Pillow's warnings are shown as Python shows
them, as before. The read of each thread (context) is its own: the app and `fosp predict` decode on threads.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ImageFileWarning", "reading", "took"]


class ImageFileWarning(UserWarning):
    """Pillow's word on an image or mask file read all the same ("PATH: Corrupt EXIF data. ..."): the
    picture read may lack what the damaged part held. `path`: the file."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__(f"{path}: {text}")
        self.path = path


@dataclass
class _Read:
    path: Path
    words: list[str] = field(default_factory=list)


_READING: ContextVar[_Read | None] = ContextVar("fosp_reading_image_file", default=None)


@contextmanager
def reading(path: str | os.PathLike, *, say: bool = True) -> Iterator[None]:
    """The block reads the image or mask file `path`: Pillow's warnings handed to `took` meanwhile (in this
    thread) are said after it as `ImageFileWarning`s when it ends without an error, and dropped when it
    raises (see the module doc). say=False: dropped always (a read of the header alone, for the size: the
    read of the pixels says them)."""
    read = _Read(Path(path))
    token = _READING.set(read)
    try:
        yield
    finally:
        _READING.reset(token)
    for text in dict.fromkeys(read.words if say else ()):
        warnings.warn(ImageFileWarning(read.path, text), stacklevel=3)


def took(message: Warning | str) -> bool:
    """Keep Pillow's warning `message` for the file being read in this thread (`reading`); False when no
    file is (the caller says it as it is)."""
    read = _READING.get()
    if read is None:
        return False
    read.words.append(" ".join(str(message).split()))  # Pillow's "data.  Expecting", a trailing space
    return True
