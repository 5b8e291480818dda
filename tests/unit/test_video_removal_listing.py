"""A frame whose recovery log ends with a removal record (undone back to no mask, its files not yet removed by
the save thread, or left so by a kill) has no mask for every reader (`fosp_core.video.frame_removals.says_no_mask`):
not only for `read_saved` and an opening's `recover_logs`, but for the listing of the mask folder that a
read-only opening and `refresh()` make. Before, those counted the frame's PNG and log as a mask: the frame
showed an edited mark with no mask, and export skipped it as "no mask"."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.tools import brush
from fosp_core.video import frame_saves
from fosp_core.video.export import choose_frames, export_frames
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.reader import open_video
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


@pytest.fixture
def held_removals(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The save thread's removals held back until the event is set."""
    gate, real = threading.Event(), frame_saves.remove_frame

    def remove(job: frame_saves.Removal) -> None:
        assert gate.wait(30)
        real(job)

    monkeypatch.setattr(frame_saves, "remove_frame", remove)
    yield gate
    gate.set()


def _undone_pending(state: Path, video: Path) -> VideoAnnotations:
    """Frames 2 and 4 painted and saved, then frame 4 undone back to no mask, its files' removal queued."""
    notes = VideoAnnotations(video, 8, SHAPE, folder=state)
    notes.save_in_background = True
    for index in (2, 4):
        assert brush(notes.document(index), [(10, 10), (20, 12)], 3)
    notes.finish_saves(wait=True)
    notes.document(4).undo()
    assert notes.edited == {2}
    path = notes.mask_path(4)
    assert path.exists() and log_path(path).exists()  # the removal still to do: its record in the log
    return notes


def test_a_read_only_opening_counts_no_mask_where_the_log_says_none(tmp_path: Path,
                                                                   held_removals: threading.Event) -> None:
    video = write_clip(tmp_path / "cam.mp4", frames=8, size=(SHAPE[1], SHAPE[0]))
    notes = _undone_pending(tmp_path / "state", video)
    reader = VideoAnnotations(video, 8, SHAPE, folder=tmp_path / "state", lock=False)
    assert reader.read_only
    assert not reader.has_mask(4) and reader.edited == {2} and reader.labelled_frames() == [2]
    assert reader.mask_files == {2}
    frames = choose_frames(reader, "edited")
    assert frames == [2]
    clip = open_video(video)
    try:
        report = export_frames(clip, reader, frames, tmp_path / "out", splits=None)
    finally:
        clip.close()
    assert report.frames == [2] and report.skipped == []  # not frame 4 skipped as "no mask"
    held_removals.set()
    notes.stop_saves()
    notes.release_lock()


def test_a_kill_before_the_removal_reopens_read_only_without_the_mark(tmp_path: Path,
                                                                       held_removals: threading.Event) -> None:
    notes = _undone_pending(tmp_path / "state", tmp_path / "cam.mp4")
    copy = tmp_path / "killed"
    shutil.copytree(tmp_path / "state", copy)  # the lock copied too: held by a live process (this one)
    reader = VideoAnnotations(tmp_path / "cam.mp4", 8, SHAPE, folder=copy)
    assert reader.read_only and reader.edited == {2} and not reader.has_mask(4)
    held_removals.set()
    notes.stop_saves()
    notes.release_lock()
    assert (copy / LOCK_FILE).exists()


def test_refresh_while_a_removal_is_pending_keeps_the_frame_unmarked(tmp_path: Path,
                                                                    held_removals: threading.Event) -> None:
    notes = _undone_pending(tmp_path / "state", tmp_path / "cam.mp4")
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    notes.refresh()
    assert notes.edited == {2} and not notes.has_mask(4) and events == []
    held_removals.set()
    notes.finish_saves(wait=True)
    assert not notes.mask_path(4).exists() and notes.edited == {2}
    notes.stop_saves()
    notes.release_lock()
