"""The Video panel's headline says what the timeline and the status bar say: the frames the view reads
and how long they last. Found playing a video annotator's day (QA, task Q2)."""

from __future__ import annotations

import re
from pathlib import Path

from fosp_core.video.testclip import write_clip
from tests import cut_clip
from tests.gui.video_helpers import open_video
from tests.vfr_clip import write_vfr_clip


def _headline(window) -> str:  # noqa: ANN001 - MainWindow
    """The panel's second line (size, frames, fps, duration), markup dropped, no-break spaces as spaces."""
    return re.sub(r"<[^>]+>", "", window.video.panel.info_label.text().split("<br>")[1]).replace("\u00a0", " ")


def _timeline_seconds(window) -> float:  # noqa: ANN001 - MainWindow
    return window.video.timeline.duration()


def test_a_cut_short_file_s_headline_counts_the_frames_on_the_timeline(qtbot, make_window, tmp_path: Path) -> None:
    """The HPWREN-like clip cut in half: the panel read '160 × 120, 60 frames, 12 fps, 5.0 s' (the header's)
    while the timeline ended at frame 24 of 0:02.083 and the status bar said 'Opened video cut.mp4: 25
    frames'. The headline now gives the 25 frames and 2.1 s; the warning still names the header's 60."""
    cut = cut_clip.cut(cut_clip.write_h264_clip(tmp_path / "clip.mp4"), tmp_path / "cut.mp4", 0.5)
    window = make_window(show=True)
    open_video(qtbot, window, cut, tmp_path)
    video = window.video
    count = video.frame_count
    assert count < cut_clip.FRAMES
    headline = _headline(window)
    assert f" {count} frames," in headline, headline
    assert f"{_timeline_seconds(window):.1f} s" in headline, headline
    assert f"Opened video cut.mp4: {count} frames" in window.statusBar().currentMessage()
    assert f"header counts {cut_clip.FRAMES} frames" in video.panel.info_label.text()


def test_a_variable_frame_rate_file_s_headline_lasts_as_long_as_its_timeline(qtbot, make_window,
                                                                             tmp_path: Path) -> None:
    """A VFR .mkv: the panel said '1.6 s' (40 frames / 25 fps) beside a timeline reading 0:02.560 (the
    frames' own times). The headline's duration is now the timeline's."""
    path = tmp_path / "vfr.mkv"
    write_vfr_clip(path)
    window = make_window(show=True)
    open_video(qtbot, window, path, tmp_path)
    seconds = _timeline_seconds(window)
    assert abs(seconds - window.video.frame_count / window.video.reader.meta.fps) > 0.2  # the case at hand
    assert f"{seconds:.1f} s" in _headline(window), _headline(window)


def test_a_one_frame_clip_says_one_frame(qtbot, make_window, tmp_path: Path) -> None:
    """'1 frames' in the panel and the status bar."""
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "one.mp4", frames=1), tmp_path)
    assert " 1 frame," in _headline(window), _headline(window)
    assert "Opened video one.mp4: 1 frame at" in window.statusBar().currentMessage()
