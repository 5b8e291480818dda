"""Writing a video's ``video.json`` so that what the app shows and what reopening reads agree in the end:
`StateSaves`, a base of :class:`~fosp_core.video.timeline.VideoAnnotations`.

Every change of the keyframes, the edited marks or the frames to check writes the whole state (atomic,
fsync'ed). A write that fails (a full disk, a folder turned read-only mid-session) keeps the change in
memory, as the images' project file does (`fosp_core.annotation.project`): `state_error` says why, a
``("state_failed", None)`` event tells it once (not again while writes keep failing for the same reason; a
failure for another reason - a full disk, then a folder turned read-only - is told again), and the state is
written again at the next write of the video's files (any change, any frame's mask saved: `retry_state`)
and when the video closes (the app calls `flush_state`). The first write that works after failures emits
``("state_saved", None)``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fosp_core.annotation.document import Signal
from fosp_core.annotation.file_writes import StorageError, atomic_write, write_error
from fosp_core.video.errors import VideoAnnotationError

__all__ = ["STATE_FILE", "StateSaves"]

STATE_FILE = "video.json"


def _reason(path: Path, exc: OSError) -> str:
    """Why `path` could not be written, without the path ("cannot write: disk full")."""
    return (exc if isinstance(exc, StorageError) else write_error(path, exc)).reason


class StateSaves:
    """The ``video.json`` writes of a `VideoAnnotations` (see module doc)."""

    # provided by VideoAnnotations
    folder: Path
    events: Signal
    saved_numbering: str | None
    read_only_reason: str | None
    _state_data: Callable[[], dict[str, Any]]

    def __init__(self) -> None:
        super().__init__()
        #: why the last write of video.json failed (the state in memory is ahead of the file); None: on disk
        self.state_error: VideoAnnotationError | None = None

    def save_state(self) -> None:
        """Write ``video.json``; a failure is kept (`state_error`, told once a reason by a ``("state_failed", None)``
        event) and the state written again later (see module doc), not raised."""
        with contextlib.suppress(VideoAnnotationError):
            self.flush_state()

    def flush_state(self) -> None:
        """Write ``video.json`` now (as `save_state`); raises VideoAnnotationError when it cannot. Annotations
        opened read-only (`fosp_core.video.folder_lock`) write nothing: their changes stay in memory."""
        if self.read_only_reason is not None:
            return
        path = self.folder / STATE_FILE
        data = self._state_data()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(path, json.dumps(data, indent=1).encode("utf-8"))  # fsync'ed
        except OSError as exc:
            error = VideoAnnotationError(path, _reason(path, exc))
            told, self.state_error = self.state_error, error
            if told is None or told.reason != error.reason:  # new, or another reason: another fix
                self.events.emit(("state_failed", None))
            raise error from exc
        self.saved_numbering = data.get("frame_numbering")
        if self.state_error is not None:
            self.state_error = None
            self.events.emit(("state_saved", None))

    def retry_state(self) -> None:
        """Write ``video.json`` again if its last write failed (a failure kept, as `save_state`'s)."""
        if self.state_error is not None:
            self.save_state()
