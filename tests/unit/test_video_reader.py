"""Frame readers: random access, seeking, caching, image sequences and bad input (no Qt)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.reader import (
    FrameDecodeError,
    VideoOpenError,
    detect_variable_rate,
    open_video,
)
from fosp_core.video.testclip import clip_frame, corrupt_mjpeg_frames, write_clip


@pytest.fixture()
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, fps=12.0)


def _marker(rgb: np.ndarray) -> int:
    return int(round(float(rgb[2:14, 2:14].mean())))


def test_meta_and_sequential_frames(clip: Path) -> None:
    reader = open_video(clip)
    meta = reader.meta
    assert (meta.width, meta.height, meta.frame_count) == (160, 120, 30)
    assert meta.fps == pytest.approx(12.0)
    assert meta.duration == pytest.approx(2.5)
    assert meta.stem == "clip" and not meta.variable_fps
    for i in range(30):
        assert abs(_marker(reader.read(i)) - (i * 7) % 256) <= 3


def test_random_seek_gives_the_same_pixels_as_sequential_reading(clip: Path) -> None:
    sequential = [open_video(clip, cache_bytes=0).read(i).copy() for i in range(1)]  # warm import
    reader = open_video(clip, cache_bytes=0)
    sequential = [reader.read(i).copy() for i in range(30)]
    jumper = open_video(clip, cache_bytes=0)
    order = list(range(30))
    random.Random(1).shuffle(order)
    for i in order:
        assert np.array_equal(jumper.read(i), sequential[i]), i
    assert jumper.stats["seeks"] > 0


def test_forward_steps_decode_sequentially_and_cache_hits(clip: Path) -> None:
    reader = open_video(clip)
    reader.read(10)
    seeks = reader.stats["seeks"]
    for i in range(11, 16):
        reader.read(i)
    assert reader.stats["seeks"] == seeks  # small steps forward never seek
    decoded = reader.stats["decoded"]
    reader.read(12)
    assert reader.stats["decoded"] == decoded  # back a little: from the cache


def test_cache_is_bounded(clip: Path) -> None:
    one = 160 * 120 * 3
    reader = open_video(clip, cache_bytes=3 * one)
    for i in range(20):
        reader.read(i)
    assert len(reader.cache) <= 3


def test_out_of_range_raises(clip: Path) -> None:
    with pytest.raises(IndexError):
        open_video(clip).read(30)


def test_image_sequence_folder(tmp_path: Path) -> None:
    import cv2

    for i in range(5):
        cv2.imwrite(str(tmp_path / f"img_{i:03d}.png"), cv2.cvtColor(clip_frame(i), cv2.COLOR_RGB2BGR))
    (tmp_path / "img_005.png").write_bytes(b"not a png")
    reader = open_video(tmp_path)
    assert reader.meta.frame_count == 6 and reader.meta.fps > 0
    assert np.array_equal(reader.read(3), clip_frame(3))
    with pytest.raises(FrameDecodeError):
        reader.read(5)


def test_corrupt_frames_are_reported_and_reading_goes_on(tmp_path: Path) -> None:
    good = write_clip(tmp_path / "good.avi", frames=20, fourcc="MJPG")
    bad = corrupt_mjpeg_frames(good, [5, 6, 12], tmp_path / "bad.avi")
    reader = open_video(bad)
    failed = []
    for i in range(20):
        try:
            reader.read(i)
        except FrameDecodeError as exc:
            failed.append(exc.index)
    assert failed == [5, 6, 12]
    jumper = open_video(bad, cache_bytes=0)  # a seek that passes over damaged frames still lands
    assert abs(_marker(jumper.read(8)) - 56) <= 3


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (bytes(range(256)) * 40, "not a readable video"),
])
def test_unopenable_files_raise_a_clear_message(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "broken.mp4"
    path.write_bytes(content)
    with pytest.raises(VideoOpenError, match=reason):
        open_video(path)


def test_missing_file_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(VideoOpenError, match="no such file"):
        open_video(tmp_path / "nope.mp4")
    (tmp_path / "empty").mkdir()
    with pytest.raises(VideoOpenError, match="no image files"):
        open_video(tmp_path / "empty")


def test_variable_rate_detection() -> None:
    constant = [i * 1000 / 6 for i in range(30)]
    assert not detect_variable_rate(constant, 6.0)
    rng = random.Random(0)
    jitter, t = [], 0.0
    for _ in range(30):
        jitter.append(t)
        t += rng.choice([40.0, 80.0, 200.0])
    assert detect_variable_rate(jitter, 25.0)


def test_real_videos(shared_data: Path) -> None:
    for name, size, count, fps in [("hpwren-los-pinos-2019-10-06.mp4", (960, 720), 156, 6.0),
                                   ("ijmond-blast-furnace-dusk.mp4", (600, 600), 36, 25.0)]:
        reader = open_video(shared_data / "videos" / name)
        assert (reader.meta.width, reader.meta.height) == size
        assert reader.meta.frame_count == count and reader.meta.fps == pytest.approx(fps)
        last = reader.read(count - 1)
        assert last.shape == (size[1], size[0], 3) and last.std() > 5


def test_the_exit_hook_closes_a_reader_still_open(shared_data):
    """In this process, what the exit test below relies on: the interpreter's exit hook closes every
    reader still open (its packet scan stopped and joined, its decoders released)."""
    from fosp_core.video.reader import _OPEN_READERS, _close_open_readers

    reader = open_video(shared_data / "videos" / "hpwren-los-pinos-2019-10-06.mp4")
    reader.read(5)
    assert reader in _OPEN_READERS
    _close_open_readers()
    assert reader not in _OPEN_READERS and not reader._scanner.is_alive() and reader._decoders == []


@pytest.mark.slow  # two interpreters, each importing torch (~4.5 s); the exit hook is checked above in-process
def test_exiting_with_a_reader_still_open_does_not_abort(shared_data):
    """Exiting while the packet scan still runs must not kill the process: the reader is closed
    (scan stopped and joined, captures released) before the interpreter shuts down
    (the H.264 test videos aborted with "terminate called without an active exception")."""
    import subprocess
    import sys

    clip = shared_data / "videos" / "hpwren-los-pinos-2019-10-06.mp4"
    code = ("from fosp_core.video.reader import open_video\n"
            f"r = open_video({str(clip)!r})\nr.read(5)\n")
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-500:]


@pytest.mark.parametrize("kwargs", [{}, {"cache_bytes": 0, "decoders": 1}])
def test_a_video_of_one_frame(tmp_path: Path, kwargs: dict[str, int]) -> None:
    """A one-frame video (a still saved as a clip): OpenCV cannot go back to its frame 0 once read, so a
    reader without a frame cache (the export's) failed to read the only frame and 'Export frames' said
    'none of the chosen frames has a mask to export'."""
    clip = write_clip(tmp_path / "one.mp4", frames=1)
    reader = open_video(clip, **kwargs)
    try:
        assert reader.meta.frame_count == 1
        first = reader.read(0)
        assert abs(int(first[2:14, 2:14].mean()) - 0) <= 3 and first.shape == (120, 160, 3)
        assert np.array_equal(reader.read(0), first)
    finally:
        reader.close()
