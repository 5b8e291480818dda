"""QA of the video annotation state (`fosp_core.video.timeline`): undo kept per frame, crash safety."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.data.types import SMOKE
from fosp_core.video.timeline import RECENT_DOCUMENTS, VideoAnnotations


def _notes(tmp_path: Path, frames: int = 40) -> VideoAnnotations:
    return VideoAnnotations(tmp_path / "clip.mp4", frames, (12, 16), folder=tmp_path / "state")


def _paint(notes: VideoAnnotations, index: int) -> None:
    doc = notes.document(index)
    mask = doc.mask.copy()
    mask[2:6, 3:9] = SMOKE
    doc.replace_mask(mask, label="paint")


def test_recent_frames_keep_their_undo_history_and_only_a_few_are_kept(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    _paint(notes, 0)
    doc = notes.document(0)
    assert notes.document(1) is not doc and notes.document(0) is doc and doc.can_undo
    prob = np.full((12, 16), 0.7, np.float32)
    assert notes.document(0, prob).probability is not None
    assert notes.document(0).probability is None  # never a stale map from before
    for i in range(1, RECENT_DOCUMENTS + 1):
        notes.document(i)
    again = notes.document(0)  # forgotten: opened from its saved mask, without history
    assert again is not doc and not again.can_undo and (again.mask == SMOKE).sum() == 24


def test_a_damaged_state_file_does_not_lock_the_video_and_masks_on_disk_count_as_edited(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    for i in (3, 5):
        _paint(notes, i)
    notes.toggle_keyframe(3)
    state = notes.folder / "video.json"
    state.write_bytes(b"")  # what a crash can leave of a file written without fsync
    again = _notes(tmp_path)  # raised VideoAnnotationError: the video could not be opened at all
    assert again.edited == {3, 5} and again.warnings and "video.json" in again.warnings[0]
    assert (notes.folder / "video.json.damaged").is_file()  # kept for the user, not overwritten


def test_a_mask_saved_before_a_crash_that_missed_the_state_file_counts_as_edited(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    _paint(notes, 2)
    notes.toggle_keyframe(2)
    state = notes.folder / "video.json"
    before = state.read_text(encoding="utf-8")
    _paint(notes, 7)  # the mask of frame 7 is written first, then video.json
    state.write_text(before, encoding="utf-8")  # ... which the crash prevented
    again = _notes(tmp_path)
    assert again.edited == {2, 7} and again.keyframes == {2} and not again.warnings
    assert again.labelled_frames() == [2, 7]


def test_export_skips_a_frame_whose_mask_is_damaged_instead_of_failing(tmp_path: Path) -> None:
    from fosp_core.video.export import export_frames
    from fosp_core.video.reader import open_video
    from fosp_core.video.testclip import write_clip

    clip = write_clip(tmp_path / "clip.mp4", frames=10, size=(16, 12))
    notes = _notes(tmp_path, 10)
    for i in (1, 4):
        _paint(notes, i)
    notes.mask_path(4).write_bytes(b"\x89PNG broken")
    reader = open_video(clip, cache_bytes=0, decoders=1)
    try:
        report = export_frames(reader, notes, [1, 4], tmp_path / "out")
    finally:
        reader.close()
    assert report.frames == [1] and [f for f, _ in report.skipped] == [4]
    assert (tmp_path / "out" / "SegmentationClass" / "clip_000001.png").is_file()


def test_two_videos_of_one_name_in_a_folder_keep_apart(tmp_path: Path) -> None:
    # fire.mov and its conversion fire.mp4 side by side: both used .fosp/video-fire/, so the mp4 showed
    # the mov's masks and its first save dropped the mov's keyframes past the mp4's last frame
    (tmp_path / "fire.mov").write_bytes(b"")
    (tmp_path / "fire.mp4").write_bytes(b"")
    mov = VideoAnnotations(tmp_path / "fire.mov", 300, (12, 16))
    _paint(mov, 250)
    mov.toggle_keyframe(250)
    mp4 = VideoAnnotations(tmp_path / "fire.mp4", 100, (12, 16))
    assert mp4.folder != mov.folder and mp4.edited == set() and mp4.keyframes == set()
    mp4.toggle_keyframe(5)
    again = VideoAnnotations(tmp_path / "fire.mov", 300, (12, 16))
    assert again.folder == mov.folder and again.keyframes == {250} and again.edited == {250}
    assert VideoAnnotations(tmp_path / "fire.mp4", 100, (12, 16)).keyframes == {5}
