"""A packet scan that raises (a file the demuxer chokes on) still ends the reader's index: its frames are
numbered by time × fps, as when the packets do not tell, and every wait for the index returns (the app's
open waited for ever, its frame 0 shown and nothing else)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.video import reader as reader_module
from fosp_core.video.reader import VideoFileReader, wait_for_index
from fosp_core.video.testclip import write_clip


def test_a_scan_that_raises_ends_the_index_and_frames_still_read(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=20, size=(64, 48))

    def chokes(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a packet the demuxer chokes on")

    monkeypatch.setattr(reader_module, "scan_stream", chokes)
    reader = VideoFileReader(clip)
    try:
        assert reader.wait_indexed(10.0)
        assert wait_for_index(reader) and reader.stream_index() is None
        assert reader.read(7).shape == (48, 64, 3) and reader.meta.frame_count == 20
    finally:
        reader.close()


def test_an_index_whose_check_raises_is_not_adopted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=20, size=(64, 48))

    def raises(*_args: object) -> bool:
        raise IndexError("an index with no frame times")

    monkeypatch.setattr(VideoFileReader, "_index_agrees", raises)
    reader = VideoFileReader(clip)
    try:
        assert reader.wait_indexed(10.0) and reader.stream_index() is None  # unchecked: not trusted
        assert reader.read(7).shape == (48, 64, 3)
    finally:
        reader.close()
