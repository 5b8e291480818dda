"""Self-supervised pre-training's video frames wait for the video's frame index before the first read:
on a long file (its packet scan still running) every read failed as 'still being indexed', each after
the reader's wait, and the frame was dropped without a word. The wait is stoppable: Ctrl+C (the app's
Stop) during it ends the start-up, the reader closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.train.ssl_config import SSLConfig
from fosp_core.train.ssl_data import open_image_sources
from fosp_core.video.reader import VideoFileReader
from fosp_core.video.testclip import write_clip
from tests.held_scan import HeldScan


def _cfg(tmp_path: Path) -> SSLConfig:
    """Videos only: one 12-frame clip, every 3rd frame (0, 3, 6, 9)."""
    (tmp_path / "videos").mkdir()
    write_clip(tmp_path / "videos" / "clip.mp4", frames=12, size=(96, 72))
    return SSLConfig.from_dict({"runs_dir": str(tmp_path / "runs"), "data_root": str(tmp_path), "smoke5k": "",
                                "smokeseg": "", "videos": "videos", "frame_step": 3, "crop": 64,
                                "scale": (80, 112)})


def test_frames_of_a_video_still_being_indexed_are_all_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _cfg(tmp_path)
    held = HeldScan(monkeypatch)
    waits = held.release_when_waited_for(monkeypatch)
    [frames] = open_image_sources(cfg)
    assert held.raised == []  # no read before the index was in
    assert frames.name == "video-frames" and frames.size == 4  # before: 1 (frame 0, decoded at open)
    assert waits


def test_ctrl_c_while_waiting_for_the_index_stops_and_closes_the_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _cfg(tmp_path)
    held = HeldScan(monkeypatch)  # never released: the reader's close stops it
    closed: list[Path] = []
    close = VideoFileReader.close
    monkeypatch.setattr(VideoFileReader, "close", lambda r: (closed.append(r.path), close(r))[1])

    def interrupted(_reader: VideoFileReader, _timeout: float = 0.0) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(VideoFileReader, "wait_indexed", interrupted)
    with pytest.raises(KeyboardInterrupt):
        open_image_sources(cfg)
    assert closed == [tmp_path / "videos" / "clip.mp4"] and held.raised == []
