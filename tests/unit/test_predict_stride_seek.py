"""`fosp predict VIDEO --every N` decoded every frame of the video to reach the ones it keeps (an hour of
1080p, --every 3000: 90,000 frames decoded for 30). With a stride longer than the keyframe interval (plus
OpenCV's seek back-off) `iter_video_frames` now seeks to each wanted frame through the app's exact-seek
reader; the frames and their numbers are those of the in-order path.

Decoded frames are counted by wrapping cv2.VideoCapture: every grab()/read() of a decoding capture, plus,
for each seek (set(CAP_PROP_POS_FRAMES, x)), the frames OpenCV decodes inside it - from the keyframe at or
before x - OPENCV_SEEK_BACKOFF up to x (the packet index of the clip tells where the keyframes are).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from fosp_core.infer import video as infer_video
from fosp_core.infer.video import iter_video_frames
from fosp_core.video import index_cache
from fosp_core.video.decoders import OPENCV_SEEK_BACKOFF
from fosp_core.video.stream_index import StreamIndex, scan_stream
from fosp_core.video.testclip import clip_frame, write_clip

FRAMES = 600
STEP = 100  # mp4v (OpenCV's MPEG-4 writer): a keyframe every 12 frames


class _Counting:
    """A cv2.VideoCapture that counts the frames it decodes (raw, packet-only captures not counted)."""

    def __init__(self, real: Any, counts: dict[str, int], index: StreamIndex, raw: bool) -> None:
        self._real, self._counts, self._index, self._raw = real, counts, index, raw

    def grab(self) -> bool:
        if not self._raw:
            self._counts["decoded"] += 1
        return bool(self._real.grab())

    def read(self, *args: Any) -> Any:
        if not self._raw:
            self._counts["decoded"] += 1
        return self._real.read(*args)

    def set(self, prop: int, value: float) -> bool:
        if prop == cv2.CAP_PROP_POS_FRAMES and not self._raw and value > 0:
            target = int(value)
            self._counts["decoded"] += target - self._index.keyframe_at_or_before(max(0, target - OPENCV_SEEK_BACKOFF))
        return bool(self._real.set(prop, value))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.fixture
def clip(tmp_path: Path) -> tuple[Path, StreamIndex]:
    path = write_clip(tmp_path / "long.mp4", frames=FRAMES, size=(160, 120), fps=25.0)
    index = scan_stream(path)
    assert index is not None and index.frame_count == FRAMES
    gaps = np.diff(np.asarray((*index.keyframes, FRAMES)))
    assert 0 < int(np.median(gaps)) <= 12, index.keyframes[:5]  # a short GOP
    index_cache.clear()
    return path, index


def _counted(monkeypatch: pytest.MonkeyPatch, index: StreamIndex) -> dict[str, int]:
    counts = {"decoded": 0}
    real = cv2.VideoCapture

    def make(*args: Any) -> _Counting:
        raw = len(args) > 2 and list(args[2])[:2] == [cv2.CAP_PROP_FORMAT, -1]
        return _Counting(real(*args), counts, index, raw)

    monkeypatch.setattr(cv2, "VideoCapture", make)
    return counts


def test_a_long_stride_seeks_instead_of_decoding_every_frame(
        clip: tuple[Path, StreamIndex], monkeypatch: pytest.MonkeyPatch) -> None:
    path, index = clip
    counts = _counted(monkeypatch, index)
    frames = list(iter_video_frames(path, step=STEP))
    wanted = len(range(0, FRAMES, STEP))
    assert [f.index for f in frames] == list(range(0, FRAMES, STEP)) and all(f.error is None for f in frames)
    gop = max(b - a for a, b in zip(index.keyframes, index.keyframes[1:], strict=False))
    # before: every frame (600); now each wanted frame costs at most a GOP plus the seek's back-off
    assert counts["decoded"] <= wanted * (gop + OPENCV_SEEK_BACKOFF + 2), counts
    assert counts["decoded"] < FRAMES // 2, counts


def test_the_frames_seeked_to_are_those_read_in_order(clip: tuple[Path, StreamIndex]) -> None:
    path, _ = clip
    for start, step in ((0, STEP), (7, 53), (5, 30)):
        seeked = list(iter_video_frames(path, start=start, step=step))
        in_order = list(infer_video._iter_in_order(path, 25, start, step))
        assert [f.index for f in seeked] == [f.index for f in in_order] == list(range(start, FRAMES, step))
        assert [f.name for f in seeked] == [f.name for f in in_order]
        for a, b in zip(seeked, in_order, strict=True):
            assert a.rgb is not None and b.rgb is not None and np.array_equal(a.rgb, b.rgb), a.index
            # the picture is the frame its number names (mp4v blurs the stamp's 7-level steps by a few levels)
            assert abs(_stamped(a.rgb, a.index) - a.index) <= 1


def _stamped(rgb: np.ndarray, near: int) -> int:
    """The frame around `near` whose stamp (the clip's top-left block, (index * 7) % 256) `rgb` shows."""
    stamp = float(rgb[4:12, 4:12].mean())
    return min(range(max(0, near - 2), near + 3), key=lambda i: abs(stamp - float(clip_frame(i)[4:12, 4:12].mean())))


def test_a_short_stride_still_decodes_in_order(clip: tuple[Path, StreamIndex], monkeypatch: pytest.MonkeyPatch) -> None:
    path, index = clip
    opened: list[Path] = []
    monkeypatch.setattr(infer_video, "_seeking_reader", lambda p, s: opened.append(p))
    frames = list(iter_video_frames(path, step=infer_video.SEEK_MIN_STEP))
    assert opened == [] and [f.index for f in frames] == list(range(0, FRAMES, infer_video.SEEK_MIN_STEP))
    assert infer_video.seek_gain_step(index) >= OPENCV_SEEK_BACKOFF
