"""A video whose name takes the short form got a new frame stem in c902df2c (`frame_stem`: the whole name's
digest) where earlier versions kept the name's own (`legacy_frame_stem`); an opening whose mask folder holds
frames of the old stem keeps it. With app versions mixed, a new one saves frames under the new stem, an old one
then saves others under the old stem, and the next opening took the old stem alone: the new stem's frames stayed
on disk, not shown, not exported, and nothing said so. The opening now names them in its remarks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

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


def test_an_opening_that_keeps_the_old_stem_names_the_frames_of_the_new_one(tmp_path: Path) -> None:
    video, folder = _mixed_folder(tmp_path)
    notes = VideoAnnotations(video, 8, SHAPE, folder=folder)
    try:
        assert notes.stem == legacy_frame_stem(NAME) and notes.has_mask(3)  # as before: the old stem read
        said = [w for w in notes.warnings if "frames 2, 5" in w]
        assert said, notes.warnings  # was: nothing said of frames 2 and 5
        assert f"{frame_id(frame_stem(NAME), 2)}.png" in said[0]
        assert (folder / "masks" / f"{frame_id(frame_stem(NAME), 5)}.png").is_file()  # nothing moved or removed
    finally:
        notes.release_lock()


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
