"""A long video's packet scan, held: every :class:`~fosp_core.video.reader.VideoFileReader`'s background
scan waits until :meth:`HeldScan.release` (or the reader closes) and the reader's own wait for it is cut
to 50 ms, so a read that does not wait for the index first fails at once with 'still being indexed'."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from fosp_core.video import reader as reader_module
from fosp_core.video.reader import FrameDecodeError, VideoFileReader

__all__ = ["HeldScan"]


class HeldScan:
    """Every reader's packet scan waits until `release()` (or the reader closes); `raised` counts the
    reads that failed meanwhile."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.raised: list[str] = []
        scan, read = reader_module.scan_stream, VideoFileReader.read

        def held_scan(*args: object, stop: threading.Event | None = None, **kwargs: object) -> object:
            while not self.gate.wait(0.01) and not (stop is not None and stop.is_set()):
                pass
            return scan(*args, stop=stop, **kwargs)  # type: ignore[arg-type]

        def spied_read(reader: VideoFileReader, index: int) -> np.ndarray:
            try:
                return read(reader, index)
            except FrameDecodeError as exc:
                self.raised.append(exc.reason)
                raise

        monkeypatch.setattr(reader_module, "scan_stream", held_scan)
        monkeypatch.setattr(reader_module, "_INDEX_WAIT_S", 0.05)
        monkeypatch.setattr(VideoFileReader, "read", spied_read)

    def release(self) -> None:
        self.gate.set()

    def release_when_waited_for(self, monkeypatch: pytest.MonkeyPatch) -> list[float]:
        """Release the scan the first time anybody waits for a reader's index (a caller that waits
        before reading then reads indexed frames; one that does not keeps failing). Returns the list
        of the timeouts waited with, growing."""
        waits: list[float] = []
        wait = VideoFileReader.wait_indexed

        def spied_wait(reader: VideoFileReader, timeout: float = 0.0) -> bool:
            waits.append(timeout)
            done = wait(reader, 0.0)  # as the scan is released: not yet done
            self.release()
            return done or wait(reader, timeout)

        monkeypatch.setattr(VideoFileReader, "wait_indexed", spied_wait)
        return waits
