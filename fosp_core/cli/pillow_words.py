"""Pillow's warnings as `fosp` says them: "warning: FILE: what", one line, or nothing where the command's own
error says it (`fosp_core.io.decoder_words`). Python's form was two lines without the file's name:
"/.../PIL/TiffImagePlugin.py:982: UserWarning: Corrupt EXIF data. ..." and "  warnings.warn(str(msg))"."""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["each_file_said", "is_pillows", "pillow_line"]


def each_file_said() -> None:
    """Pillow's warnings of every file reach `warnings.showwarning` (Python's default says a text once per
    process: the second damaged file's went unsaid), unless the user chose with -W or PYTHONWARNINGS. Inside
    the command's `warnings.catch_warnings`."""
    if not sys.warnoptions:
        warnings.filterwarnings("always", module=r"PIL(\.|$)")


def is_pillows(category: type[Warning], filename: str) -> bool:
    """Whether the warning of `category` raised at `filename` is Pillow's."""
    pil = sys.modules.get("PIL")
    if pil is None:
        return False
    from PIL import Image

    if issubclass(category, Image.DecompressionBombWarning):
        return True
    folder = os.path.dirname(getattr(pil, "__file__", None) or "")
    return bool(folder) and os.path.abspath(filename).startswith(folder + os.sep)


def pillow_line(message: Warning | str) -> str | None:
    """The line saying Pillow's warning `message`, "warning: FILE: what" (the file Pillow is opening, when it
    opens one by name), or None: a reader of fosp_core reads a file and says it after, if at all."""
    from fosp_core.io.decoder_words import took

    if took(message):
        return None
    text = " ".join(str(message).split())
    opened = _file_opened()
    return f"warning: {opened}: {text}" if opened else f"warning: {text}"


def _file_opened() -> str | None:
    """The file named to Pillow in the frames of this thread's stack: `PIL.Image.open(path)`'s (a header
    read by name: `fosp dataset stats`' sizes), or an image's being loaded; None when it was given bytes."""
    frame = sys._getframe(1)
    while frame is not None:
        if str(frame.f_globals.get("__name__", "")).startswith("PIL."):
            name = frame.f_locals.get("filename")
            if not name:
                name = getattr(frame.f_locals.get("self"), "filename", None)
            if name and isinstance(name, (str, bytes, os.PathLike)):
                return os.fsdecode(name)
        frame = frame.f_back
    return None
