"""A video whose name takes the short form got a new frame stem in c902df2c (`frame_stem`: the whole name's
digest) where earlier versions kept the name's own (`legacy_frame_stem`); an opening whose mask folder holds
frames of the old stem keeps it. With app versions mixed, a new one saves frames under the new stem, an old one
then saves others under the old stem, and the next opening took the old stem alone: the new stem's frames stayed
on disk, not shown, not exported, and nothing said so. An opening that may write now merges them (each frame's
newest file, by modification time): under the old stem since session 33 (test_video_s33_stem_versions: under the
new one the earlier version lost sight of them all); one that may not names the frames it cannot see."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.mask_png import encode_frame_mask_png
from fosp_core.video.naming import frame_id, frame_stem, legacy_frame_stem
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)
NAME = "x" * 230 + "~0123456789ab"  # a name in short form itself: the two stems differ


def _mask() -> bytes:
    mask = np.zeros(SHAPE, np.uint8)
    mask[5:15, 5:25] = 1
    return encode_frame_mask_png(mask)


def _mixed_folder(tmp_path: Path) -> tuple[Path, Path]:
    """The state folder of a video: frames 2 and 5 saved under the new stem, frame 3 under the old one."""
    video = tmp_path / f"{NAME}.mp4"
    old, new = legacy_frame_stem(NAME), frame_stem(NAME)
    assert old is not None and old != new
    masks = tmp_path / "state" / "masks"
    masks.mkdir(parents=True)
    for stem, index in ((new, 2), (new, 5), (old, 3)):
        (masks / f"{frame_id(stem, index)}.png").write_bytes(_mask())
    return video, tmp_path / "state"


def _mtime(path: Path, seconds: int) -> None:
    os.utime(path, ns=(seconds * 10**9, seconds * 10**9))


def test_an_opening_reads_both_stems_and_writes_under_the_old_one(tmp_path: Path) -> None:
    video, folder = _mixed_folder(tmp_path)
    notes = VideoAnnotations(video, 8, SHAPE, folder=folder)
    try:
        assert notes.stem == legacy_frame_stem(NAME)  # frames 2 and 5 were unseen
        assert notes.edited == {2, 3, 5} and all(notes.has_mask(i) for i in (2, 3, 5))
        assert notes.document(3).mask.any() and notes.document(5).mask.any()
        assert notes.mask_path(6).name == f"{frame_id(legacy_frame_stem(NAME) or '', 6)}.png"
        assert any("frames 2, 5" in w for w in notes.warnings), notes.warnings  # the renaming said
    finally:
        notes.release_lock()
    masks = sorted(p.name for p in (folder / "masks").iterdir())
    assert masks == [f"{frame_id(legacy_frame_stem(NAME) or '', i)}.png" for i in (2, 3, 5)]


@pytest.mark.parametrize("newer", ["old", "new"])
def test_the_newest_file_of_a_frame_saved_under_both_wins(tmp_path: Path, newer: str) -> None:
    video, folder = _mixed_folder(tmp_path)
    masks = folder / "masks"
    old_file = masks / f"{frame_id(legacy_frame_stem(NAME) or '', 3)}.png"
    new_file = masks / f"{frame_id(frame_stem(NAME), 3)}.png"
    new_file.write_bytes(encode_frame_mask_png(np.zeros(SHAPE, np.uint8)))  # frame 3 empty under the new stem
    _mtime(old_file, 2_000_000_000 if newer == "old" else 1_000_000_000)
    _mtime(new_file, 1_500_000_000)
    notes = VideoAnnotations(video, 8, SHAPE, folder=folder)
    try:
        assert notes.stem == legacy_frame_stem(NAME)
        assert notes.document(3).mask.any() == (newer == "old")
    finally:
        notes.release_lock()
    assert new_file.exists() == (newer == "old")  # an older file left as it was


def test_a_read_only_opening_names_them_too(tmp_path: Path) -> None:
    video, folder = _mixed_folder(tmp_path)
    notes = VideoAnnotations(video, 8, SHAPE, folder=folder, lock=False)
    assert notes.read_only
    assert any("frames 2, 5" in w for w in notes.warnings), notes.warnings


def test_one_stem_alone_says_nothing(tmp_path: Path) -> None:
    video = tmp_path / f"{NAME}.mp4"
    masks = tmp_path / "state" / "masks"
    masks.mkdir(parents=True)
    (masks / f"{frame_id(frame_stem(NAME), 2)}.png").write_bytes(_mask())
    notes = VideoAnnotations(video, 8, SHAPE, folder=tmp_path / "state")
    try:
        assert notes.stem == frame_stem(NAME) and notes.has_mask(2)
        assert not any("saved under" in w for w in notes.warnings), notes.warnings
    finally:
        notes.release_lock()
