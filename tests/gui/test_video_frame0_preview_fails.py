"""The frame-0 preview is optional: if reading frame 0 for it fails in any way (not only a decode error),
the open goes on without a preview and the video opens once its index is in (the opener's thread used
to die, leaving the open on "Indexing…" for ever)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.reader import VideoFileReader
from fosp_core.video.testclip import write_clip
from tests.held_scan import HeldScan

WAIT_MS = 10_000


def test_a_preview_read_that_raises_leaves_the_open_going(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=30, size=(128, 96))
    held = HeldScan(monkeypatch)
    calls: list[int] = []
    read = VideoFileReader.read

    def first_read_fails(reader: VideoFileReader, index: int) -> np.ndarray:
        calls.append(index)
        if len(calls) == 1:
            raise RuntimeError("a codec's odd failure")
        return read(reader, index)

    monkeypatch.setattr(VideoFileReader, "read", first_read_fails)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    video = window.video
    video.state_root = tmp_path / "video-state"
    window.open_paths([clip], remember=False)
    qtbot.waitUntil(lambda: calls != [], timeout=WAIT_MS)  # the preview's read of frame 0 raised
    assert not video.preview.active
    held.release()
    qtbot.waitUntil(lambda: video.active and video.shown_index == 0, timeout=WAIT_MS)
    assert video.frame_count == 30
