"""Prediction cache, video annotations (keyframes, masks, carry, smoothing) and export (no Qt)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.data.types import BACKGROUND, SMOKE
from fosp_core.io.masks import read_mask
from fosp_core.video.export import choose_frames, export_frames
from fosp_core.video.predictions import PredictionCache, summarize
from fosp_core.video.reader import open_video
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import (
    VideoAnnotationError,
    VideoAnnotations,
    carry_mask,
    frame_id,
    smooth_probability,
)


def test_summary() -> None:
    prob = np.zeros((10, 10), np.float32)
    prob[:2] = 0.9
    summary = summarize(prob)
    assert summary.area == pytest.approx(0.2) and summary.peak == pytest.approx(0.9, abs=1e-6)


def test_summary_gives_the_area_at_any_threshold() -> None:
    rng = np.random.default_rng(0)
    prob = rng.random((61, 83)).astype(np.float32)
    prob[:4] = 0.0
    prob[4:6] = 1.0
    prob[7, :9] = 0.5  # exactly at a hundredth: not above it
    summary = summarize(prob)
    for t in (0.0, 0.01, 0.3, 0.5, 0.77, 0.99, 1.0):
        assert summary.area_at(t) == pytest.approx((prob > t).mean(), abs=1e-3), t
    assert summary.area_at(0.505) == pytest.approx((prob > 0.505).mean(), abs=2e-3)  # between hundredths
    assert summarize(np.zeros((0, 0), np.float32)).area_at(0.3) == 0.0


def test_cache_areas_follow_a_new_threshold_for_evicted_frames_too() -> None:
    low = np.full((50, 50), 0.3, np.float32)
    cache = PredictionCache(3, max_bytes=low.size * 2)  # room for one map
    cache.set_playhead(1)
    cache.put(0, low)
    cache.put(1, np.full((50, 50), 0.8, np.float32))
    assert cache.get(0) is None  # evicted; its summary stays
    assert cache.summary_arrays()[0][:2].tolist() == [0.0, 1.0]
    cache.set_threshold(0.25)
    area, _ = cache.summary_arrays()
    assert area[:2].tolist() == [1.0, 1.0] and np.isnan(area[2])


def test_cache_evicts_far_frames_and_keeps_summaries() -> None:
    one = np.full((100, 100), 0.7, np.float32)  # 20 000 bytes as float16
    cache = PredictionCache(50, max_bytes=5 * one.size * 2)
    cache.set_playhead(20)
    for i in (0, 49, 18, 19, 20, 21, 22, 23):
        cache.put(i, one)
    assert cache.cached_frames() == [18, 19, 20, 21, 22]
    assert cache.nbytes <= cache.max_bytes
    area, peak = cache.summary_arrays()
    assert not np.isnan(area[0]) and not np.isnan(area[49]) and np.isnan(area[1])
    assert cache.get(0) is None and cache.get(20).dtype == np.float32


def test_cache_wanted_order() -> None:
    cache = PredictionCache(10)
    cache.set_playhead(5)
    cache.put(6, np.zeros((4, 4), np.float32))
    assert cache.wanted(ahead=3, behind=1) == [5, 7, 8, 4]
    assert cache.wanted(ahead=3, behind=1, skip=[7]) == [5, 8, 4]
    cache.set_playhead(9)
    assert cache.wanted(ahead=3, behind=0) == [9]


def test_carry_modes() -> None:
    prev = np.zeros((4, 4), np.uint8)
    prev[:2] = SMOKE
    prev[3, 3] = 255
    prob = np.zeros((4, 4), np.float32)
    prob[1:3] = 0.9
    assert np.array_equal(carry_mask(prev, prob, "copy"), prev)
    inter = carry_mask(prev, prob, "intersect")
    assert inter[:, 0].tolist() == [0, 1, 0, 0] and inter[3, 3] == 255
    merged = carry_mask(prev, prob, "merge")
    assert merged[:, 0].tolist() == [1, 1, 1, 0] and merged[3, 3] == 255


def test_smoothing_uses_available_neighbours() -> None:
    maps = {4: np.full((2, 2), 0.0, np.float32), 5: np.full((2, 2), 1.0, np.float32),
            6: np.full((2, 2), 0.0, np.float32)}
    smoothed = smooth_probability(maps.get, 5, radius=1)
    assert smoothed is not None and smoothed[0, 0] == pytest.approx(0.5)
    assert smooth_probability(maps.get, 5, radius=0)[0, 0] == 1.0
    assert smooth_probability(maps.get, 7, radius=1) is None


def test_annotations_roundtrip_keyframes_edits_and_carry(tmp_path: Path) -> None:
    video = tmp_path / "cam.mp4"
    notes = VideoAnnotations(video, 20, (12, 16))
    assert notes.folder == tmp_path / ".fosp" / "video-cam"
    assert notes.toggle_keyframe(3) and notes.toggle_keyframe(7)
    doc = notes.document(3)
    assert doc.image_id == frame_id("cam", 3) == "cam_000003"
    tools.brush(doc, [(4, 4), (8, 4)], radius=2)
    assert 3 in notes.edited and notes.mask_path(3).is_file()
    assert read_mask(notes.mask_path(3)).sum() > 0
    nxt = notes.document(4)
    assert notes.carry(nxt, 3)
    assert np.array_equal(nxt.mask, doc.mask) and 4 in notes.edited
    nxt.undo()  # back to the frame as it was opened: not edited any more
    assert nxt.mask.sum() == 0 and 4 not in notes.edited and not notes.mask_path(4).is_file()
    nxt.redo()
    assert 4 in notes.edited and notes.mask_path(4).is_file()
    assert not notes.carry(notes.document(5), 6)  # frame 6 has no mask

    again = VideoAnnotations(video, 20, (12, 16))
    assert again.keyframes == {3, 7} and again.edited == {3, 4}
    assert np.array_equal(again.load_mask(3), doc.mask)


def test_undo_gives_a_frame_back_the_edited_mark_it_was_opened_with(tmp_path: Path) -> None:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, (12, 16))
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    doc = notes.document(2)
    tools.brush(doc, [(4, 4)], radius=2)
    tools.brush(doc, [(4, 4)], radius=3, value=BACKGROUND)  # painted and erased: an empty mask someone made, still edited
    assert not doc.mask.any() and notes.edited == {2} and notes.mask_path(2).is_file()
    doc.undo()
    assert notes.edited == {2}
    doc.undo()
    assert notes.edited == set() and not notes.mask_path(2).is_file() and ("edited", 2) in events[-2:]
    assert VideoAnnotations(tmp_path / "cam.mp4", 20, (12, 16)).edited == set()

    # a history trimmed of its oldest steps has nothing to undo, yet is not back at the opening
    small = VideoAnnotations(tmp_path / "small.mp4", 20, (12, 16))
    frame = small.document(5)
    frame.history.max_steps = 1
    tools.brush(frame, [(2, 2)], radius=1)
    tools.brush(frame, [(10, 10)], radius=1)
    frame.undo()
    assert not frame.can_undo and frame.mask.any() and small.edited == {5}

    # a frame edited before its document opened keeps the mark whatever is undone
    reopened = VideoAnnotations(tmp_path / "cam.mp4", 20, (12, 16))
    first = reopened.document(7)
    tools.brush(first, [(4, 4)], radius=2)
    later = VideoAnnotations(tmp_path / "cam.mp4", 20, (12, 16))
    again = later.document(7)
    tools.brush(again, [(4, 4)], radius=3, value=BACKGROUND)
    again.undo()
    assert later.edited == {7} and np.array_equal(later.load_mask(7), first.mask)


def test_a_frames_mask_and_the_state_reach_the_disk(tmp_path: Path, monkeypatch) -> None:
    """Saved as image masks are: fsync'ed (file and folder), so a committed frame survives a power
    cut, not only a crash of the app."""
    import os

    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    notes = VideoAnnotations(tmp_path / "cam.mp4", 5, (8, 8))
    notes.save_mask(2, np.ones((8, 8), np.uint8))
    assert len(synced) >= 4  # mask file and folder, state file and folder


def test_bad_state_file_is_a_named_error(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / "video.json").write_text('{"format": "fosp-video", "keyframes": "x"}')
    with pytest.raises(VideoAnnotationError, match="keyframes"):
        VideoAnnotations(tmp_path / "v.mp4", 5, (4, 4), folder=folder)


def test_export_chosen_frames(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "walk.mp4", frames=12)
    reader = open_video(clip)
    notes = VideoAnnotations(clip, 12, (120, 160))
    for i in (0, 4, 8):
        tools.brush(notes.document(i), [(40, 40)], radius=6)
    notes.set_keyframe(4)
    assert choose_frames(notes, "keyframes") == [4]
    assert choose_frames(notes, "edited") == [0, 4, 8]
    assert choose_frames(notes, "every", 4) == [0, 4, 8]
    assert choose_frames(notes, "every", 5) == [0, 5, 10]
    report = export_frames(reader, notes, choose_frames(notes, "every", 2), tmp_path / "out")
    assert report.frames == [0, 4, 8] and {f for f, _ in report.skipped} == {2, 6, 10}
    ids = (tmp_path / "out" / "ImageSets" / "Segmentation" / "train.txt").read_text().split()
    assert ids == ["walk_000000", "walk_000004", "walk_000008"]
    assert (tmp_path / "out" / "JPEGImages" / "walk_000004.jpg").is_file()
    assert read_mask(tmp_path / "out" / "SegmentationClass" / "walk_000004.png").max() == SMOKE
    with pytest.raises(ValueError, match="none of the chosen"):
        export_frames(reader, notes, [1, 2], tmp_path / "out2")


def test_scrubbing_asks_the_file_system_nothing_about_mask_files(tmp_path: Path, monkeypatch) -> None:
    """A frame change opened the frame's document, which stat'ed its mask file (``is_file``) on the
    GUI thread: 188 ms in a profile of slow turns (network shares). The timeline knows which mask
    files exist (read on open, kept by its own writes and removals) and reads only those."""
    import os

    notes = VideoAnnotations(tmp_path / "cam.mp4", 40, (8, 8))
    for frame in (3, 17):
        notes.save_mask(frame, np.ones((8, 8), np.uint8))
    notes.document(5).replace_mask(np.ones((8, 8), np.uint8))  # saved by its commit
    notes.forget_mask(17)
    scrubbed = VideoAnnotations(tmp_path / "cam.mp4", 40, (8, 8))  # read on open: 3 and 5
    stats: list[object] = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda *a, **k: (stats.append(a[0]), real_stat(*a, **k))[1])
    masks = {i: scrubbed.document(i).mask for i in range(30)}
    assert stats == []
    monkeypatch.setattr(os, "stat", real_stat)
    assert [i for i, mask in masks.items() if mask.any()] == [3, 5]
    assert scrubbed.labelled_frames() == [3, 5]


def test_a_mask_file_removed_behind_the_timelines_back_reads_as_no_mask(tmp_path: Path) -> None:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 10, (8, 8))
    notes.save_mask(4, np.ones((8, 8), np.uint8))
    notes.mask_path(4).unlink()  # another program
    assert notes.load_mask(4) is None and notes.labelled_frames() == []
    assert not notes.document(4).mask.any()
    other = VideoAnnotations(tmp_path / "cam.mp4", 10, (8, 8))
    other.save_mask(6, np.ones((8, 8), np.uint8))  # another program wrote one: seen after refresh()
    assert notes.load_mask(6) is None
    notes.refresh()
    assert notes.load_mask(6) is not None and notes.labelled_frames() == [6]
