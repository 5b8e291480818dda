"""Two app versions on one video whose name takes the short form, simulated by the two naming functions: the newer
names its frames with `frame_stem` (the whole name's digest, c902df2c), an earlier one with `legacy_frame_stem`
and reads only those. The newer saves frames in a fresh folder, the earlier then saves another beside them, and the
newer opens it again: the opening merged them under the NEW stem (f34e7903), so the earlier version, which had
just saved its frame, no longer saw it, nor any other. They are now merged under the old stem (the one a folder an
earlier version wrote in keeps: c902df2c), so both versions see all the work from then on."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from fosp_core.video.frame_files import listed_frames
from fosp_core.video.mask_png import encode_frame_mask_png
from fosp_core.video.naming import frame_id, frame_stem, legacy_frame_stem
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)
NAME = "x" * 230 + "~0123456789ab"  # a name in short form itself: the two versions' stems differ
OLD = legacy_frame_stem(NAME) or ""
NEW = frame_stem(NAME)


def _mask(value: int = 1) -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[5:15, 5:25] = value
    return mask


def _earlier_sees(folder: Path) -> set[int]:
    """The frames an earlier version shows: its own stem's files, as its opening lists them."""
    return listed_frames(folder / "masks", OLD)[0]


def _earlier_saves(folder: Path, index: int, mtime_s: int | None = None) -> Path:
    path = folder / "masks" / f"{frame_id(OLD, index)}.png"
    path.write_bytes(encode_frame_mask_png(_mask()))
    if mtime_s is not None:
        os.utime(path, ns=(mtime_s * 10**9, mtime_s * 10**9))
    return path


def _newer(tmp_path: Path, folder: Path) -> VideoAnnotations:
    return VideoAnnotations(tmp_path / f"{NAME}.mp4", 10, SHAPE, folder=folder)


def test_both_versions_see_every_frame_once_a_newer_one_has_opened_the_mixed_folder(tmp_path: Path) -> None:
    assert OLD and OLD != NEW
    folder = tmp_path / "state"
    notes = _newer(tmp_path, folder)  # a fresh folder: the newer version's own names
    try:
        assert notes.stem == NEW
        notes.save_mask(2, _mask())
        notes.save_mask(5, _mask())
    finally:
        notes.release_lock()
    assert _earlier_sees(folder) == set()  # what an earlier version cannot help: it never read these names
    _earlier_saves(folder, 3)  # the earlier version saves beside them, under its names
    notes = _newer(tmp_path, folder)
    try:
        assert notes.edited == {2, 3, 5} and all(notes.document(i).mask.any() for i in (2, 3, 5))
        assert notes.stem == OLD  # the folder keeps the names the earlier version reads
        assert any("frames 2, 5" in w and "every version shows them" in w for w in notes.warnings), notes.warnings
        notes.save_mask(7, _mask())  # a later save of the newer version: the earlier one sees it too
    finally:
        notes.release_lock()
    assert _earlier_sees(folder) == {2, 3, 5, 7}  # was {3} once merged, then {3} again: 2, 5 and 7 hidden from it
    names = sorted(p.name for p in (folder / "masks").iterdir())
    assert names == [f"{frame_id(OLD, i)}.png" for i in (2, 3, 5, 7)]
    again = _newer(tmp_path, folder)  # and the newer one goes on seeing them all, nothing said again
    try:
        assert again.stem == OLD and again.edited == {2, 3, 5, 7}
        assert not any("version" in w for w in again.warnings), again.warnings
    finally:
        again.release_lock()


def test_a_frame_saved_under_both_keeps_its_newest_file_under_the_old_name(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    (folder / "masks").mkdir(parents=True)
    newer_file = folder / "masks" / f"{frame_id(NEW, 4)}.png"
    newer_file.write_bytes(encode_frame_mask_png(_mask(0)))  # the newer version cleared frame 4 ...
    os.utime(newer_file, ns=(2 * 10**18, 2 * 10**18))
    _earlier_saves(folder, 4, mtime_s=1_000_000_000)  # ... after the earlier one drew on it
    notes = _newer(tmp_path, folder)
    try:
        assert notes.stem == OLD and not notes.document(4).mask.any()  # the newest kept
    finally:
        notes.release_lock()
    assert not newer_file.exists()
    assert _earlier_sees(folder) == {4}
