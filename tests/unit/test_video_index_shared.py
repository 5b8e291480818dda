"""One packet scan per video file in a process (fosp_core.video.index_cache): a second reader of the same
file takes the first one's index, or waits for its scan, instead of reading every packet again. Scans are
counted (the reader module's ``scan_stream``, monkeypatched), never timed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from fosp_core.video import reader as reader_module
from fosp_core.video.reader import VideoFileReader, open_video
from fosp_core.video.testclip import write_clip


class CountedScan:
    """The reader module's scan, counted; held until `gate` is set (set from the start unless `held`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, held: bool = False) -> None:
        self.paths: list[Path] = []
        self.gate = threading.Event()
        if not held:
            self.gate.set()
        scan = reader_module.scan_stream

        def counted(path: Path, *, stop: threading.Event | None = None, **kwargs: object) -> object:
            self.paths.append(Path(path))
            while not self.gate.wait(0.01) and not (stop is not None and stop.is_set()):
                pass
            return scan(path, stop=stop, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(reader_module, "scan_stream", counted)


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, fps=12.0)


def _indexed(path: Path, **kwargs: object) -> VideoFileReader:
    reader = open_video(path, **kwargs)  # type: ignore[arg-type]
    assert isinstance(reader, VideoFileReader) and reader.stream_index(wait=10.0) is not None
    return reader


def test_a_second_reader_of_the_same_file_does_not_scan_again(clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scans = CountedScan(monkeypatch)
    first = _indexed(clip)
    second = _indexed(clip, cache_bytes=0, decoders=1)  # as the prediction worker opens it
    try:
        assert scans.paths == [clip]
        assert second.stream_index() is first.stream_index()  # the same (frozen) index, shared
        assert second.frames_in_file == first.frames_in_file == 30
        assert second.read(17).shape == (120, 160, 3)
    finally:
        first.close()
        second.close()
    third = _indexed(clip)  # closing its readers keeps the index: a reopen does not scan either
    third.close()
    assert scans.paths == [clip]


def test_a_reader_opened_during_the_scan_waits_for_it(clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scans = CountedScan(monkeypatch, held=True)
    first = open_video(clip)
    second = open_video(clip, decoders=1)
    try:
        assert isinstance(second, VideoFileReader) and not second.wait_indexed(0.2)
        scans.gate.set()
        assert second.stream_index(wait=10.0) is not None and first.stream_index(wait=10.0) is not None
        assert scans.paths == [clip]
    finally:
        first.close()
        second.close()


def test_a_scan_stopped_by_its_reader_s_close_leaves_the_other_reader_to_scan(
        clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scans = CountedScan(monkeypatch, held=True)
    first = open_video(clip)
    second = open_video(clip, decoders=1)
    try:
        first.close()  # its scan stops, unfinished: it tells nothing
        scans.gate.set()
        assert isinstance(second, VideoFileReader) and second.stream_index(wait=10.0) is not None
        assert second.frames_in_file == 30 and scans.paths == [clip, clip]
    finally:
        second.close()


def test_a_file_rewritten_is_scanned_again(clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scans = CountedScan(monkeypatch)
    _indexed(clip).close()
    write_clip(clip, frames=20, fps=12.0)  # another size and time: another file
    again = _indexed(clip)
    try:
        assert again.frames_in_file == 20 and scans.paths == [clip, clip]
    finally:
        again.close()
