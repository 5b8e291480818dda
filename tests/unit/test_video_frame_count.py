"""VideoAnnotations.set_frame_count: a video's annotations made with its header's frame count get the readable
count once its index is in (a file cut short), as a load with that count would split them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.video.timeline import VideoAnnotations


def test_set_frame_count_splits_the_marks_as_a_load_would(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    whole = VideoAnnotations(video, 40, (8, 8), folder=tmp_path / "state")
    for frame in (2, 30, 33):
        whole.save_mask(frame, np.ones((8, 8), np.uint8))
    whole.set_keyframe(5)
    whole.set_keyframe(31)
    notes = VideoAnnotations(video, 40, (8, 8), folder=tmp_path / "state")  # the header's count
    events: list[tuple[str, object]] = []
    notes.events.connect(events.append)
    notes.set_frame_count(12)
    fresh = VideoAnnotations(video, 12, (8, 8), folder=tmp_path / "state")
    assert (notes.edited, notes.keyframes, notes.labelled_frames()) == (fresh.edited, fresh.keyframes, [2])
    assert notes.edited == {2} and notes.keyframes == {5} and not notes.has_mask(30)
    assert ("keyframes", None) in events and ("edited", 30) in events
    notes.set_keyframe(1)  # a save keeps the marks past the end
    assert VideoAnnotations(video, 40, (8, 8), folder=tmp_path / "state").keyframes == {1, 5, 31}
    notes.set_frame_count(40)  # and they come back with a longer count (a header that undercounted)
    assert notes.edited == {2, 30, 33} and notes.keyframes == {1, 5, 31} and notes.has_mask(33)
