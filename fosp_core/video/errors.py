"""Errors of the video readers (importable from ``fosp_core.video.reader`` too; `VideoReadError` from
``fosp_core.infer.video`` too, which raises it and imports it from here) and of a video's annotation folder
(`VideoAnnotationError`, importable from ``fosp_core.video.timeline`` too)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FrameDecodeError", "VideoAnnotationError", "VideoOpenError", "VideoReadError"]


class VideoReadError(Exception):
    """A video cannot be opened at all (missing, not a video, no decodable stream)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot read video {self.path}: {reason}")


class VideoOpenError(VideoReadError):
    """The video (or image sequence) cannot be opened at all; ``reason`` is user-facing."""


class FrameDecodeError(Exception):
    """One frame could not be decoded; the reader stays usable for the others."""

    def __init__(self, index: int, reason: str) -> None:
        self.index = index
        self.reason = reason
        super().__init__(f"frame {index}: {reason}")


class VideoAnnotationError(Exception):
    """The video's annotation folder cannot be read or written; ``path`` and ``reason`` say why."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
