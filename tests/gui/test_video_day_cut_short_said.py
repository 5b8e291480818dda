"""A video cut short says so as it opens (QA, task F of session 27): opening the HPWREN clip cut at a
third, the status bar said "Opened video half.mp4: 43 frames at 6 fps" as for a whole file, and only the
Video panel (often behind another tab) said that its data ends after frame 42 of 156. The status bar
now names it among the open's remarks, as it names a variable frame rate."""

from __future__ import annotations

from pathlib import Path

from tests.cut_clip import cut, write_h264_clip
from tests.gui.video_helpers import open_video


def test_the_status_bar_says_the_video_is_cut_short(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    clip = cut(write_h264_clip(tmp_path / "whole.mp4", frames=36), tmp_path / "cut.mp4", 0.4)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    readable = window.video.frame_count
    said = window.statusBar().currentMessage()
    assert f"{readable} frames" in said and f"cut short: {readable} of the 36 frames its header counts" in said


def test_a_whole_video_says_nothing_of_it(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_h264_clip(tmp_path / "whole.mp4", frames=12), tmp_path)
    assert "cut short" not in window.statusBar().currentMessage()
