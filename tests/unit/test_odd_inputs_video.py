"""The odd-input sweep through `fosp predict` on videos: a truncated, an empty and an audio-only
.mp4 each fail with their name (exit 1), a 1-frame video beside them is still predicted."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.odd_inputs import VIDEOS, write_video


@pytest.mark.slow  # 5.3 s (the mp4 encodes and the audio-only probe); the video reader has its own fast tests
def test_broken_videos_fail_one_by_one_and_a_one_frame_video_is_predicted(
    tmp_path: Path, tiny_checkpoint_file: Path, one_torch_thread: None, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "videos"
    folder.mkdir()
    bad = [VIDEOS[k](folder) for k in ("truncated_mp4", "zero_byte_mp4", "audio_only", "image_as_mp4")]
    write_video(folder / "one_frame.mp4", 1)

    code = main(["predict", str(folder), "--out", str(tmp_path / "out"), "--checkpoint", str(tiny_checkpoint_file),
                 "--input-size", "64", "--quiet"])

    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    for path in bad:
        assert any(ln.startswith(f"failed {path}: ") for ln in err.splitlines()), err
    assert f"failed {folder / 'photo.mp4'}: " in err and "not a video: photo.mp4 is a JPEG image" in err
    assert "has no video stream" in err and "WARN" not in err and "moov atom" not in err  # our words only
    assert (tmp_path / "out" / "overlay" / "one_frame.mp4").is_file()
    assert sorted(p.name for p in (tmp_path / "out" / "overlay").iterdir()) == ["one_frame.mp4"]
