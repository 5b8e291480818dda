"""Video as a labelling subject: random-access frame readers, per-frame prediction cache, the video's
annotation state (keyframes, edited frames, per-frame masks) and export of chosen frames.

Qt-free; the app binds to these in ``app/video``. The names below are loaded from
:mod:`fosp_core.video.reader` on first use (PEP 562), so importing a submodule such as
``fosp_core.video.splits`` does not import OpenCV (``fosp --help`` reads no video).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fosp_core.video.reader import (
        FrameDecodeError,
        FrameReader,
        ImageSequenceReader,
        VideoFileReader,
        VideoMeta,
        VideoOpenError,
        is_video_path,
        open_video,
    )

__all__ = ["FrameDecodeError", "FrameReader", "ImageSequenceReader", "VideoFileReader", "VideoMeta",
           "VideoOpenError", "is_video_path", "open_video"]


def __getattr__(name: str) -> Any:
    """A public name of :mod:`fosp_core.video.reader`, imported on first use and kept here."""
    if name in __all__:
        value = getattr(importlib.import_module("fosp_core.video.reader"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
