"""One frame number, one picture, whenever it is read: a constant-rate file with frames dropped
mid-stream (a gap in its times) is numbered in display order before the packet scan is done as after it."""

from __future__ import annotations

import threading
from fractions import Fraction
from pathlib import Path

import pytest

from fosp_core.video import reader as reader_module
from fosp_core.video.reader import VideoFileReader, open_video
from fosp_core.video.testclip import clip_frame
from tests.vfr_clip import marker_of

DROPPED = (10, 11)
SLOTS = [t for t in range(30) if t not in DROPPED]  # the time slots (1/12 s) that have a frame


@pytest.fixture(scope="module")
def gap_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 fps H.264 whose frames at 10/12 and 11/12 s were dropped (a camera's hiccup): frame n in display
    order shows slot n (n < 10), slot n + 2 after the gap; each picture's marker is its slot."""
    av = pytest.importorskip("av", reason="PyAV (the dev extra) is needed to write the clip")
    if "libx264" not in av.codecs_available:
        pytest.skip("this PyAV has no libx264 encoder")
    path = tmp_path_factory.mktemp("gap") / "gap.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=12)
        stream.width, stream.height = 160, 120
        stream.pix_fmt = "yuv420p"
        stream.time_base = stream.codec_context.time_base = Fraction(1, 12)
        stream.codec_context.gop_size = 12
        stream.codec_context.options = {"threads": "1"}
        for slot in SLOTS:
            frame = av.VideoFrame.from_ndarray(clip_frame(slot), format="rgb24")
            frame.pts, frame.time_base = slot, Fraction(1, 12)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def test_a_frame_number_names_the_same_picture_before_and_after_the_scan(
        gap_clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the scan a constant-rate file was numbered by time x fps, after it by display order: frame
    20 was the picture of slot 20 when read at once and slot 22's once the scan was in, so a mask saved
    on frame 20 early landed on another picture when the video was opened again."""
    gate = threading.Event()
    scan = reader_module.scan_stream

    def held_scan(*args: object, **kwargs: object) -> object:
        gate.wait(10.0)  # the scan of a long video: still running while the first frames are read
        return scan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader_module, "scan_stream", held_scan)
    early = open_video(gap_clip, cache_bytes=0, decoders=1)
    got: dict[int, int] = {}
    reading = threading.Thread(target=lambda: got.update({i: marker_of(early.read(i)) for i in (5, 20)}))
    reading.start()
    reading.join(0.3)  # a read that does not wait for the scan is done by now
    gate.set()
    reading.join(10.0)
    early.close()
    monkeypatch.setattr(reader_module, "scan_stream", scan)

    late = open_video(gap_clip, cache_bytes=0, decoders=1)
    try:
        assert isinstance(late, VideoFileReader) and late.stream_index(wait=10.0) is not None
        after = {i: marker_of(late.read(i)) for i in (5, 20)}
    finally:
        late.close()
    assert got.keys() == after.keys() and all(abs(got[i] - after[i]) <= 3 for i in after), (got, after)
    assert all(abs(after[i] - SLOTS[i] * 7) <= 3 for i in after)  # display order: frame 20 is slot 22's picture
