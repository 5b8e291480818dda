"""A video's opening listed its mask folder four times: for the frames undone (their logs say "no mask"), for
the stale temporary files a killed write left, for the recovery logs to apply, and again for the frames with a
mask. On a network drive each listing of a folder of thousands of masks is seconds. One listing now serves
them all, the files those steps remove or write accounted for."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.video.frame_removals import removal_record
from fosp_core.video.mask_png import encode_frame_mask_png
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def _mask() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[10:20, 10:30] = 1
    return mask


def _left_by_a_kill(state: Path, video: Path) -> Path:
    """Masks of frames 1..4 as a killed process leaves them: 1 saved; 2 only in its recovery log; 3 saved and
    undone (a removal record); 4 saved with a log of one more edit; plus a stale temporary file."""
    notes = VideoAnnotations(video, 8, SHAPE, folder=state)
    folder = notes.mask_folder
    notes.release_lock()
    folder.mkdir(parents=True, exist_ok=True)
    for index in (1, 3, 4):
        notes.mask_path(index).write_bytes(encode_frame_mask_png(_mask()))
    whole = (0, SHAPE[0], 0, SHAPE[1])
    log_path(notes.mask_path(2)).write_bytes(encode_record(_mask(), whole, Status.EDITED.value))
    log_path(notes.mask_path(3)).write_bytes(removal_record(SHAPE))
    edit = _mask()
    edit[30:40, 40:50] = 1
    log_path(notes.mask_path(4)).write_bytes(encode_record(edit, whole, Status.EDITED.value))
    (folder / ".cam_000001.png.k2j3.tmp").write_bytes(b"half")
    return folder


@pytest.fixture()
def listings(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every os.scandir / os.listdir, by the folder listed (pathlib's glob and iterdir use them too)."""
    seen: dict[str, list[str]] = {}
    scandir, listdir = os.scandir, os.listdir

    def spy_scandir(path: str | os.PathLike = ".") -> object:
        seen.setdefault(os.path.normpath(os.fspath(path)), []).append("scandir")
        return scandir(path)

    def spy_listdir(path: str | os.PathLike = ".") -> list[str]:
        seen.setdefault(os.path.normpath(os.fspath(path)), []).append("listdir")
        return listdir(path)

    monkeypatch.setattr(os, "scandir", spy_scandir)
    monkeypatch.setattr(os, "listdir", spy_listdir)
    return seen


def test_an_opening_lists_the_mask_folder_once(tmp_path: Path, listings: dict[str, list[str]]) -> None:
    video = tmp_path / "cam.mp4"
    folder = _left_by_a_kill(tmp_path / "state", video)
    listings.clear()
    notes = VideoAnnotations(video, 8, SHAPE, folder=tmp_path / "state")
    try:
        assert listings.get(str(folder)) == ["scandir"]  # was 4 (undone, stale temps, recovery, frames)
        assert not notes.read_only
        assert sorted(p.name for p in folder.iterdir()) == ["cam_000001.png", "cam_000002.png", "cam_000004.png"]
        assert notes.mask_files == {1, 2, 4} and notes.edited == {1, 2, 4}
        assert notes.has_mask(2) and not notes.has_mask(3)
        assert notes.document(4).mask[35, 45] == 1  # the log's edit applied
        assert any("recovered the last edits" in w for w in notes.warnings)
    finally:
        notes.release_lock()


def test_a_read_only_opening_lists_it_once_too(tmp_path: Path, listings: dict[str, list[str]]) -> None:
    video = tmp_path / "cam.mp4"
    folder = _left_by_a_kill(tmp_path / "state", video)
    listings.clear()
    notes = VideoAnnotations(video, 8, SHAPE, folder=tmp_path / "state", lock=False)
    assert notes.read_only
    assert listings.get(str(folder)) == ["scandir"]
    assert notes.mask_files == {1, 2, 4} and not notes.has_mask(3)
    assert len(list(folder.glob("*.recovery"))) == 3  # a reader leaves the logs as they are
