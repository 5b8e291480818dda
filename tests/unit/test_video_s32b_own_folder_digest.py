"""`own_folder` cut a long video stem that looks like a short form itself (``<cut>~<12 hex digits>``) keeping
that digest (fit_name's keep_digest), as `frame_stem` did before c902df2c: two videos beside each other whose
stems are alike in their first ~240 bytes got one annotation folder until one of them had saved its
``video.json`` (the second then opened read-only, 'locked by' the first, or took its folder where that file was
lost). The folder's digest is now the whole stem's SHA-256; a folder earlier versions made under the old name
is still used where it exists and this video has none under the new one (nothing is moved)."""

from __future__ import annotations

import json
from pathlib import Path

from fosp_core.io.long_names import NAME_MAX, fit_name, name_bytes
from fosp_core.video.naming import own_folder

ONE = "x" * 250 + "~0123456789ab"  # stems over 249 bytes: "video-<stem>" is cut
TWO = "x" * 249 + "y~0123456789ab"


def _saved(folder: Path, video: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "video.json").write_text(json.dumps({"video": str(video), "keyframes": [1]}))
    return folder


def test_two_videos_alike_in_the_part_cut_get_two_folders(tmp_path: Path) -> None:
    one, two = own_folder(tmp_path, tmp_path / f"{ONE}.mp4"), own_folder(tmp_path, tmp_path / f"{TWO}.mp4")
    assert one != two  # was one folder: video-xxx…x~0123456789ab
    for folder in (one, two):
        assert folder.parent == tmp_path and name_bytes(folder.name) <= NAME_MAX


def test_a_folder_an_earlier_version_made_is_still_used(tmp_path: Path) -> None:
    video = tmp_path / f"{ONE}.mp4"
    old = _saved(tmp_path / fit_name(ONE, "", "video-"), video)
    assert own_folder(tmp_path, video) == old
    # the other video, whose earlier folder went by its file name (the old one held the first's state)
    other = tmp_path / f"{TWO}.mp4"
    assert own_folder(tmp_path, other) != old
    by_name = _saved(tmp_path / fit_name(other.name, "", "video-"), other)
    assert own_folder(tmp_path, other) == by_name


def test_a_folder_under_the_new_name_wins(tmp_path: Path) -> None:
    video = tmp_path / f"{ONE}.mp4"
    new = own_folder(tmp_path, video)
    _saved(tmp_path / fit_name(ONE, "", "video-"), video)
    _saved(new, video)
    assert own_folder(tmp_path, video) == new


def test_other_names_keep_their_folder(tmp_path: Path) -> None:
    for stem in ("clip", "a~0123456789ab", "clip-" * 60):
        assert own_folder(tmp_path, tmp_path / f"{stem}.mp4") == tmp_path / fit_name(stem, "", "video-")
