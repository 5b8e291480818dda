"""Errors of the video readers (importable from ``fosp_core.video.reader`` too)."""

from __future__ import annotations

from fosp_core.infer.video import VideoReadError

__all__ = ["FrameDecodeError", "VideoOpenError"]


class VideoOpenError(VideoReadError):
    """The video (or image sequence) cannot be opened at all; ``reason`` is user-facing."""


class FrameDecodeError(Exception):
    """One frame could not be decoded; the reader stays usable for the others."""

    def __init__(self, index: int, reason: str) -> None:
        self.index = index
        self.reason = reason
        super().__init__(f"frame {index}: {reason}")
