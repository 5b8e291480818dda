"""`frame_stem` kept the digest of a video name that looks like a short form itself (cut, ``~`` and 12 hex
digits at its end): two such videos alike in their first ~220 bytes got one stem, so their frames shared names
(``<cut>~<digest>_000003.png``). The digest is now the whole name's SHA-256, as for image ids. Frames saved by
earlier versions under the old stem are still found: an opening whose mask folder holds them keeps that stem."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.io.long_names import NAME_MAX, name_bytes
from fosp_core.video.mask_png import encode_frame_mask_png
from fosp_core.video.naming import frame_id, frame_stem, legacy_frame_stem
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)
#: two video names alike but for one character in the part a short form cuts, with the same "digest" at the end
ONE = "x" * 230 + "~0123456789ab"
TWO = "x" * 229 + "y~0123456789ab"


def test_two_names_alike_but_in_the_part_cut_get_two_stems() -> None:
    assert frame_stem(ONE) != frame_stem(TWO)  # was one stem: 'xxx…x~0123456789ab'
    for stem in (frame_stem(ONE), frame_stem(TWO)):
        assert name_bytes(f"{frame_id(stem, 999999)}.png.recovery") <= NAME_MAX
    assert legacy_frame_stem(ONE) == legacy_frame_stem(TWO) == "x" * 222 + "~0123456789ab"


def test_other_names_keep_their_stem() -> None:
    long_plain = "clip-" * 60
    for stem in ("clip", "a~0123456789ab", long_plain, "z" * 230 + "~notadigest!"):
        assert legacy_frame_stem(stem) is None
    assert frame_stem("a~0123456789ab") == "a~0123456789ab"


def _mask() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[5:15, 5:25] = 1
    return mask


def test_frames_saved_under_the_old_stem_are_still_found(tmp_path: Path) -> None:
    video = tmp_path / f"{ONE}.mp4"
    old = legacy_frame_stem(ONE)
    assert old is not None
    masks = tmp_path / "state" / "masks"
    masks.mkdir(parents=True)
    (masks / f"{frame_id(old, 3)}.png").write_bytes(encode_frame_mask_png(_mask()))
    notes = VideoAnnotations(video, 8, SHAPE, folder=tmp_path / "state")
    try:
        assert notes.stem == old and notes.has_mask(3) and notes.edited == {3}
        assert notes.mask_path(5).name == f"{frame_id(old, 5)}.png"  # new saves go beside them
    finally:
        notes.release_lock()
    fresh = VideoAnnotations(video, 8, SHAPE, folder=tmp_path / "fresh")
    try:
        assert fresh.stem == frame_stem(ONE) != old  # a video with nothing saved: the new stem
    finally:
        fresh.release_lock()
