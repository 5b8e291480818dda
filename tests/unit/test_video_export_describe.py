"""The app's export report names the frames it skipped and why, as ``fosp video export`` does ('left out
frame 60: no mask'); it said only '1 skipped (no mask or undecodable)'. Found playing a video
annotator's day (QA, task Q2): a keyframe without a mask, exported from the dialog."""

from __future__ import annotations

from pathlib import Path

from app.video.exporting import describe
from fosp_core.video.export import VideoExportReport


def test_the_skipped_frames_are_named_with_their_reason() -> None:
    report = VideoExportReport(dst=Path("/out"), frames=[3, 120], skipped=[(60, "no mask")],
                               splits={"train": [3], "val": [120]})
    text = describe(report)
    assert "1 skipped (frame 60: no mask)" in text, text


def test_many_skipped_frames_name_the_first_few() -> None:
    skipped = [(f, "no mask") for f in range(0, 100, 10)] + [(7, "cut short")]
    report = VideoExportReport(dst=Path("/out"), frames=[1], skipped=skipped, splits={"train": [1]})
    text = describe(report)
    assert "11 skipped (no mask: frames 0, 10, 20, 30, 40 and 5 more; cut short: frame 7)" in text, text
