"""Which files are video containers, by extension (:data:`VIDEO_EXTENSIONS`, :func:`is_video_file`).

Importable from ``fosp_core.infer.video`` and ``fosp_core.video.reader`` too; it lives here, below both, so
the video package never imports the library's inference (``fosp_core.infer``)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["VIDEO_EXTENSIONS", "is_video_file"]

VIDEO_EXTENSIONS: tuple[str, ...] = (".mp4", ".avi", ".mov", ".mkv", ".m4v", ".webm", ".mpg", ".mpeg", ".wmv")


def is_video_file(path: str | Path) -> bool:
    """Whether `path` names a video container (its extension, any case: ``clip.MP4`` is one)."""
    return Path(path).suffix.lower() in VIDEO_EXTENSIONS
