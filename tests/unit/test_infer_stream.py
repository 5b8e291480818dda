"""Streams (decode thread, bounded queue, batches, progress, cancel) and video reading/writing."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from fosp_core.infer import CancelToken, Frame, Predictor, Progress, iter_image_files, predict_stream
from fosp_core.infer.stream import prefetch
from fosp_core.infer.video import (
    OverlayVideoWriter,
    VideoReadError,
    VideoWriteError,
    iter_video_frames,
    overlay,
    probe_video,
)
from tests.unit.test_infer_fakes import FakeFoSp

torch.set_num_threads(1)


def _frames(n: int, h: int = 48, w: int = 64) -> list[Frame]:
    rng = np.random.default_rng(0)
    return [Frame(Path(f"f{i}.png"), i, rng.integers(0, 255, (h, w, 3), dtype=np.uint8), f"f{i}") for i in range(n)]


def write_video(path: Path, n: int = 12, size: tuple[int, int] = (128, 96), fourcc: str = "MJPG") -> Path:
    """A tiny test video: frame i is a grey level 20*i with a white square moving right."""
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 10.0, size)
    assert w.isOpened()
    for i in range(n):
        img = np.full((size[1], size[0], 3), 20 * i % 256, np.uint8)
        img[20:40, 5 * i: 5 * i + 20] = 255
        w.write(img)
    w.release()
    return path


def test_prefetch_is_bounded_and_propagates_errors() -> None:
    produced: list[int] = []

    def source():  # noqa: ANN202
        for i in range(100):
            produced.append(i)
            yield i

    it = prefetch(source(), maxsize=3)
    assert next(it) == 0
    threading.Event().wait(0.2)
    assert len(produced) <= 1 + 3 + 1  # consumed + queue + one blocked in put()
    it.close()

    def broken():  # noqa: ANN202
        yield 1
        raise OSError("disk gone")

    it = prefetch(broken())
    assert next(it) == 1
    with pytest.raises(OSError, match="disk gone"):
        next(it)


def test_stream_batches_reports_progress_and_keeps_order() -> None:
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64, batch_size=3)
    frames = _frames(7)
    frames[2] = Frame(Path("bad.jpg"), 0, None, "bad", "truncated file")
    seen: list[Progress] = []
    out = list(predict_stream(p, frames, total=7, progress=seen.append))
    assert [f.name for f, _ in out] == [f.name for f in frames]
    assert out[2][1] is None and out[2][0].error == "truncated file"
    assert all(pred is not None and pred.probability.shape == (48, 64) for f, pred in out if f.name != "bad")
    assert model.batch_sizes == [2, 3, 1]
    assert [(s.done, s.failed) for s in seen] == [(3, 1), (6, 1), (7, 1)]


def test_cancel_stops_within_one_batch() -> None:
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64, batch_size=2)
    token = CancelToken()
    results = []
    for f, _pred in predict_stream(p, _frames(20), cancel=token):
        results.append(f.name)
        if len(results) == 3:  # mid-way through the second batch
            token.cancel()
    assert len(results) == 4 and model.encode_calls == 2


def test_iter_image_files_reports_unreadable(tmp_path: Path) -> None:
    good = tmp_path / "a.png"
    cv2.imwrite(str(good), np.zeros((10, 12, 3), np.uint8))
    bad = tmp_path / "b.jpg"
    bad.write_bytes(b"not a jpeg")
    empty = tmp_path / "c.png"
    empty.write_bytes(b"")
    out = list(iter_image_files([good, bad, empty]))
    assert out[0].rgb is not None and out[0].rgb.shape == (10, 12, 3)
    assert out[1].rgb is None and out[1].error
    assert out[2].rgb is None and out[2].error


def test_video_frames_in_rgb_order(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi", n=6)
    info = probe_video(path)
    assert (info.width, info.height, info.frame_count) == (128, 96, 6) and info.fps == pytest.approx(10.0)
    frames = list(iter_video_frames(path))
    assert [f.index for f in frames] == list(range(6)) and all(f.error is None for f in frames)
    assert frames[3].rgb.shape == (96, 128, 3) and abs(int(frames[3].rgb[80, 100, 0]) - 60) <= 6
    assert frames[3].name == "v_f000003"
    assert [f.index for f in iter_video_frames(path, start=1, step=2)] == [1, 3, 5]


def _corrupt_frame(path: Path, k: int) -> None:
    """Zero the JPEG data of frame k of an MJPG AVI (its SOI..next SOI)."""
    data = bytearray(path.read_bytes())
    soi = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xD8]
    for j in range(soi[k], soi[k + 1] - 8):
        data[j] = 0
    path.write_bytes(bytes(data))


def test_corrupt_frame_is_reported_and_skipped(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi", n=12)
    _corrupt_frame(path, 4)
    frames = list(iter_video_frames(path))
    bad = [f for f in frames if f.error]
    good = [f for f in frames if f.rgb is not None]
    assert len(bad) >= 1 and bad[0].index == 4 and "decode" in bad[0].error
    assert len(good) >= 10 and good[-1].index == 11


def test_truncated_video_reports_missing_frames(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi", n=12)
    data = path.read_bytes()
    soi = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xD8]
    path.write_bytes(data[: soi[6] + 40])  # cut inside frame 6
    frames = list(iter_video_frames(path, max_consecutive_failures=3))
    good = [f for f in frames if f.rgb is not None]
    errors = [f.error for f in frames if f.error]
    assert 3 <= len(good) < 12
    assert errors and "could not be read" in errors[-1] and "-11" in errors[-1]


def test_unreadable_videos_raise(tmp_path: Path) -> None:
    with pytest.raises(VideoReadError, match="no such file"):
        probe_video(tmp_path / "missing.mp4")
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(VideoReadError, match="empty"):
        list(iter_video_frames(tmp_path / "empty.mp4"))
    (tmp_path / "text.mp4").write_bytes(b"hello, I am not a video" * 100)
    with pytest.raises(VideoReadError):
        list(iter_video_frames(tmp_path / "text.mp4"))


def test_overlay_writer_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out.mp4"
    with OverlayVideoWriter(target, 10.0, (64, 48)) as w:
        for i in range(5):
            w.write(np.full((48, 64, 3), 40 * i, np.uint8))
        assert not target.exists()  # only the temporary file exists while writing
    assert target.is_file() and probe_video(target).frame_count == 5
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]

    failed = tmp_path / "failed.mp4"
    with pytest.raises(KeyError), OverlayVideoWriter(failed, 10.0, (64, 48)) as w:
        w.write(np.zeros((48, 64, 3), np.uint8))
        raise KeyError("boom")
    assert not failed.exists() and [p.name for p in tmp_path.iterdir()] == ["out.mp4"]
    with pytest.raises(VideoWriteError):
        OverlayVideoWriter(tmp_path / "no" / "such" / "dir.mp4", 10.0, (64, 48))


def test_overlay_video_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    """`fosp predict VIDEO --video-out` wrote the overlay video with mkstemp's mode 0600 (unreadable
    to the group / a web server) while every other output follows the umask (fosp_core.io.atomic)."""
    from fosp_core.io.atomic import file_mode

    target = tmp_path / "overlay.mp4"
    with OverlayVideoWriter(target, 10.0, (64, 48)) as w:
        w.write(np.zeros((48, 64, 3), np.uint8))
    assert target.stat().st_mode & 0o777 == file_mode()

def test_overlay_tints_only_the_mask() -> None:
    rgb = np.full((20, 20, 3), 100, np.uint8)
    mask = np.zeros((20, 20), np.uint8)
    mask[5:15, 5:15] = 1
    out = overlay(rgb, mask, contour=False)
    assert (out[0, 0] == 100).all() and out[10, 10, 0] > 150 and out[10, 10, 1] < 100
