"""A video cut short is annotated over the frames it can read: its timeline, playback, predictions and
annotation state use the readable count found by the packet index, not its header's count (frames between
the two neither exist on the timeline nor count as edited). Masks past the end stay on disk and are told
(fosp_core.video.numbering_check), as before."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.video.timeline import VideoAnnotations, own_folder
from tests.cut_clip import cut, write_h264_clip
from tests.gui.video_helpers import open_video

WHOLE = 36


def test_a_cut_short_video_is_annotated_over_its_readable_frames(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    clip = cut(write_h264_clip(tmp_path / "whole.mp4", frames=WHOLE), tmp_path / "cut.mp4", 0.4)
    folder = own_folder(tmp_path / "video-state", clip, clip.stem)
    saved = VideoAnnotations(clip, WHOLE, (120, 160), stem=clip.stem, folder=folder)  # saved when it was whole
    for frame in (2, 30, 33):
        saved.save_mask(frame, np.ones((120, 160), np.uint8))
    saved.set_keyframe(31)
    saved.release_lock()  # the script is done: a window of this process opening it meanwhile gets it read-only
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    readable = video.reader.frames_in_file
    assert readable is not None and 3 <= readable < 30 and video.reader.meta.frame_count == WHOLE
    notes = video.annotations
    assert notes.frame_count == readable and video.frame_count == readable
    assert notes.edited == {2} and notes.keyframes == set() and notes.labelled_frames() == [2]
    assert video.timeline.frame_count == readable and video.timeline.slider.maximum() == readable - 1
    assert video.playback.frame_count == readable and video.cache.frame_count == readable
    video.seek(WHOLE - 1)  # End: the last readable frame, not a frame the file lost
    assert video.index == readable - 1
    qtbot.waitUntil(lambda: video.shown_index == readable - 1, timeout=10_000)
    assert video.failed_frames == set()
    assert "frames 30, 33" in video.panel.numbering_label.text().replace("\u200b", "")  # still told
    notes.set_keyframe(1)  # a save keeps the marks past the end in the state file, the masks on disk
    notes.finish_saves(wait=True)  # its video.json write is the save thread's: ended, its end taken
    again = VideoAnnotations(clip, WHOLE, (120, 160), stem=clip.stem, folder=folder)
    assert again.edited == {2, 30, 33} and again.keyframes == {1, 31}
    assert all(saved.mask_path(f).is_file() for f in (2, 30, 33))
