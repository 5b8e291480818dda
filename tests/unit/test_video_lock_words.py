"""The words and rescues of a video's annotations once their lock is lost or their ``video.json`` damaged
(`fosp_core.video.folder_lock`, `fosp_core.video.timeline`): an undo back to no mask after the lock was lost
rescues no empty mask and says plainly that it was not saved; a removed lock file's words say "since it was
opened" once; a damaged ``video.json`` found by a reader or a joining opening says what is wrong and what to do.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from fosp_core.annotation.tools import brush
from fosp_core.video import frame_saves
from fosp_core.video.folder_lock import LOCK_FILE, LockLostError, opening_for
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def open_notes(tmp_path: Path, background: bool = False) -> VideoAnnotations:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    notes.save_in_background = background
    return notes


def rescued(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "state" / "rescued"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("background", [True, False], ids=["background", "direct"])
def test_an_undo_back_to_no_mask_after_the_lock_went_rescues_nothing_and_says_so(tmp_path: Path,
                                                                                 background: bool) -> None:
    notes = open_notes(tmp_path, background)
    doc = notes.document(4)
    assert brush(doc, [(10, 10), (20, 12)], 3)
    notes.finish_saves(wait=True)
    (tmp_path / "state" / LOCK_FILE).unlink()
    doc.undo()  # back to no mask: a removal of the frame's files, refused
    error = notes.last_error
    assert isinstance(error, LockLostError) and error.rescued is None and error.index == 4
    assert rescued(tmp_path) == []  # no empty mask kept as if it held strokes
    assert "not saved" in error.reason and "left as it was" in error.reason and "no mask" in error.reason
    assert "copy it elsewhere" not in error.reason
    assert (tmp_path / "state" / "masks" / "cam_000004.png").exists()  # the folder's mask untouched
    notes.stop_saves()
    notes.release_lock()


def test_a_queued_undo_back_to_no_mask_refused_on_the_save_thread_rescues_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = open_notes(tmp_path, background=True)
    doc = notes.document(4)
    assert brush(doc, [(10, 10), (20, 12)], 3)
    notes.finish_saves(wait=True)
    go = threading.Event()
    real = frame_saves.remove_frame

    def held(job: frame_saves.Removal) -> None:
        go.wait(10)
        real(job)

    monkeypatch.setattr(frame_saves, "remove_frame", held)
    doc.undo()  # the removal queued, held before its check
    assert notes.last_error is None
    (tmp_path / "state" / LOCK_FILE).unlink()
    go.set()
    notes.finish_saves(wait=True)
    error = notes.last_error
    assert isinstance(error, LockLostError) and error.rescued is None
    assert rescued(tmp_path) == []
    assert "left as it was" in error.reason and "copy it elsewhere" not in error.reason
    notes.stop_saves()


def test_a_removed_lock_file_says_since_it_was_opened_once(tmp_path: Path) -> None:
    notes = open_notes(tmp_path)
    doc = notes.document(4)
    (tmp_path / "state" / LOCK_FILE).unlink()
    assert brush(doc, [(10, 10), (20, 12)], 3)
    error = notes.last_error
    assert isinstance(error, LockLostError) and error.rescued is not None
    assert error.reason.count("since it was opened") == 1, error.reason
    assert error.reason.startswith("not saved: the video's lock file (")
    assert f"its mask is kept in {error.rescued}" in error.reason and "Take Over" in error.reason
    assert notes.read_only_reason is not None and notes.read_only_reason.count("since it was opened") == 1


def test_a_damaged_state_file_found_by_a_reader_says_what_is_wrong_and_what_to_do(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "video.json").write_text("{not json")
    reader = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state, lock=False)
    words = reader.warnings[0]
    assert "could not be read" in words and "keyframe marks are not shown" in words
    assert "opened read-only (opened for reading only)" in words and "copy " in words
    assert "left as it is: read-only" not in words


def test_a_damaged_state_file_found_by_a_joining_opening_says_what_is_wrong_and_what_to_do(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with opening_for("window"):
        shown = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state)
        shown.set_keyframe(3)
        (state / "video.json").write_text("{not json")
        joining = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state)
    words = joining.warnings[0]
    assert (state / "video.json").read_text() == "{not json"  # left to the shown opening's folder
    assert "could not be read" in words and "open in this window already" in words
    assert "next change of the keyframes" in words and "copy " in words
    assert "left as it is: read-only" not in words and "opened read-only" not in words
    joining.release_lock()
    shown.release_lock()
