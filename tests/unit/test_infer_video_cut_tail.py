"""`fosp predict` of a video cut short (QA, task F of session 27): the HPWREN clip cut at a third (43 of
the 156 frames its header counts), read with --every 10, reported frames 50 and 60 as two frames that
"could not be decoded", then "frames 69-155 could not be read" (69: neither where the data ends nor a
frame asked for); a file where no frame decodes printed four such failures before its one true error.
The missing tail is now one failure naming where the data ends (frames 43-155), whatever the step, and a
file with no decodable frame raises VideoReadError before it reports any frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.infer.video import VideoReadError, iter_video_frames
from tests.cut_clip import cut, write_h264_clip


@pytest.mark.parametrize("step", [1, 3, 10])
def test_the_missing_tail_is_one_failure_from_where_the_data_ends(tmp_path: Path, step: int) -> None:
    clip = cut(write_h264_clip(tmp_path / "whole.mp4", frames=90), tmp_path / "cut.mp4", 0.4)
    every = list(iter_video_frames(clip))
    last_readable = max(f.index for f in every if f.error is None)
    frames = list(iter_video_frames(clip, step=step))
    tail = [f for f in frames if f.error is not None and f.index > last_readable]
    assert len(tail) == 1, [(f.index, f.error) for f in tail]
    assert tail[0].index == last_readable + 1 and f"frames {last_readable + 1}-89 could not be read" in tail[0].error
    assert [f.index for f in frames if f.error is None] == [f.index for f in every if f.error is None and f.index % step == 0]
    isolated = [f.index for f in every if f.error is not None and f.index < last_readable]  # damaged, then readable
    assert [f.index for f in frames if f.error is not None and f.index < last_readable] == [i for i in isolated if i % step == 0]


def test_a_file_with_no_decodable_frame_reports_no_frame(tmp_path: Path) -> None:
    whole = write_h264_clip(tmp_path / "whole.mp4", frames=60)
    header_only = tmp_path / "header.mp4"
    header_only.write_bytes(whole.read_bytes()[:1500])  # the container opens, no frame decodes
    got = []
    with pytest.raises(VideoReadError):
        for frame in iter_video_frames(header_only, step=10):
            got.append(frame)
    assert got == []
