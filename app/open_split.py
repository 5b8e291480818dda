"""Which of the paths asked to open are videos, looked at off the GUI thread.

:func:`~fosp_core.session.split_video_paths` sets the videos apart by name, then looks at each path named as one
(``clip.mp4``; a folder may be named so) with ``is_dir``: on a share that does not answer that look held the window
at every open of a video (session 36). :class:`VideoSplit` makes it on a thread; the GUI thread waits for it
:data:`SPLIT_WAIT_S` at most (a disk that answers: a video's open starts at once, as before), else the split is handed
back on the GUI thread when it comes, unless a later open or a cancel dropped it (:meth:`VideoSplit.drop`). Paths
none of which is named as a video are split at once: no look at the disk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject

from app.relay import ValueRelay
from fosp_core.home_folder import expanded
from fosp_core.session import split_video_paths
from fosp_core.video.extensions import is_video_file

__all__ = ["SPLIT_WAIT_S", "Split", "VideoSplit", "named_as_video"]

#: The longest the GUI thread waits for the look (a local disk answers in microseconds; a thread's start on a busy
#: 2-core machine takes a few ms): past it the open goes on when the answer comes, the window turning meanwhile.
SPLIT_WAIT_S = 0.5

#: (videos, the other paths): :func:`~fosp_core.session.split_video_paths`'s answer
Split = tuple[list[Path], list["str | Path"]]


def named_as_video(paths: Sequence[str | Path]) -> bool:
    """Whether any of `paths` is named as a video (its split looks at the disk)."""
    return any(is_video_file(path) for path in paths)


def _split(paths: Sequence[str | Path]) -> Split:
    try:
        return split_video_paths(paths)
    except OSError:  # not answered as a folder: the video's open says why it cannot be read
        return ([expanded(path) for path in paths if is_video_file(path)],
                [path for path in paths if not is_video_file(path)])


class VideoSplit(QObject):
    """One split at a time on a thread (`start`); its `then(split)` called on the GUI thread unless dropped since."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = ValueRelay()  # parentless: the thread emits on it (app.relay)
        self._relay.done.connect(self._on_done)
        self._ids = 0
        self._pending: tuple[int, Callable[[Split], object]] | None = None

    @property
    def pending(self) -> bool:
        """A split is being looked at: its open is still to come."""
        return self._pending is not None

    def start(self, paths: Sequence[str | Path], then: Callable[[Split], object]) -> Split | None:
        """Split `paths` on a thread (a split pending is dropped): the split when it came within `SPLIT_WAIT_S`
        (`then` is not called), else None and `then(split)` here once it comes."""
        self._ids += 1
        split_id, relay, paths = self._ids, self._relay, list(paths)
        self._pending = (split_id, then)
        answered, box = threading.Event(), []

        def look() -> None:
            box.append(_split(paths))
            answered.set()
            relay.done.emit((split_id, box[0]))

        threading.Thread(target=look, name="open-split", daemon=True).start()
        if not answered.wait(SPLIT_WAIT_S):
            return None
        self._pending = None  # taken here: its answer through the relay is dropped
        return box[0]

    def drop(self) -> None:
        """The split pending, if any, opens nothing (cancelled, or another open asked for since)."""
        self._pending = None

    def _on_done(self, answer: tuple[int, Split]) -> None:
        split_id, split = answer
        if self._pending is None or self._pending[0] != split_id:
            return
        then, self._pending = self._pending[1], None
        then(split)
