"""Files named like videos that are none: each refused in words that say what it is, and neither OpenCV
nor FFmpeg adds its own lines to stderr (the CLI prints our message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.infer.video import VideoReadError, probe_video
from fosp_core.video.reader import VideoOpenError, open_video
from tests.odd_inputs import VIDEOS


def _refusal(path: Path) -> tuple[str, str]:
    """The reasons the video reader and the CLI's prober give for `path`."""
    reasons = []
    for opener in (open_video, probe_video):
        with pytest.raises(VideoReadError) as caught:
            opener(path)
        reasons.append(caught.value.reason)
    return reasons[0], reasons[1]


def test_a_jpeg_named_mp4_is_not_a_video(tmp_path: Path) -> None:
    """FFmpeg opens a JPEG as a one-frame video: fosp predict predicted it, the app showed a 1-frame video."""
    path = VIDEOS["image_as_mp4"](tmp_path)
    assert _refusal(path) == ("not a video: photo.mp4 is a JPEG image",) * 2
    with pytest.raises(VideoOpenError):
        open_video(path)


def test_an_audio_only_mp4_has_no_video_stream(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    """It said 'not a readable video (container or codec not recognised...)', and OpenCV's warning
    '[ WARN:0@...] global cap.cpp:212 ...' came on stderr before it."""
    pytest.importorskip("av", reason="PyAV (the dev extra) writes the audio-only file")
    path = VIDEOS["audio_only"](tmp_path)
    capfd.readouterr()
    assert all("has no video stream" in reason for reason in _refusal(path))
    assert capfd.readouterr().err == ""


def test_a_file_cut_before_its_index_says_so_alone(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    """An MP4 cut before its moov box: FFmpeg's 'moov atom not found' and OpenCV's warning leaked into
    stderr; the message is ours."""
    path = VIDEOS["truncated_mp4"](tmp_path)
    capfd.readouterr()
    assert all("not a readable video" in reason for reason in _refusal(path))
    err = capfd.readouterr().err
    assert "moov atom" not in err and "WARN" not in err and err == ""
