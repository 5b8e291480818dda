"""Video frame masks saved off the committing (GUI) thread (`fosp_core.video.frame_saves`): the PNG is
written by the timeline's save thread, a commit is kept by its recovery log until then (a kill right after
a stroke loses nothing), saves keep their order (the later commit of a frame wins on disk), a failed write
is told and kept, then written again, and a frame undone back to nothing loses its pending save."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_worker import SaveJob
from fosp_core.io.masks import read_mask
from fosp_core.video import frame_saves
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def _notes(tmp_path: Path) -> VideoAnnotations:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    notes.save_in_background = True
    return notes


class _Gate:
    """Holds the save thread inside each write until released; records what it wrote, in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.written: list[tuple[str, np.ndarray]] = []
        real = frame_saves._write_frame

        def write(job: SaveJob) -> None:
            self.entered.set()
            assert self.open.wait(30)
            assert job.mask is not None
            self.written.append((threading.current_thread().name, job.mask.copy()))
            real(job)

        monkeypatch.setattr(frame_saves, "_write_frame", write)


def _disc(value: int = 1, at: int = 20) -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[at - 8:at + 8, at - 8:at + 8] = value
    return mask


def test_a_commit_returns_before_its_png_is_written_on_the_save_thread(tmp_path: Path, monkeypatch) -> None:
    gate = _Gate(monkeypatch)
    notes = _notes(tmp_path)
    doc = notes.document(4)
    assert doc.replace_mask(_disc())
    assert gate.entered.wait(10)  # the save thread holds the job; the commit has returned
    assert not notes.mask_path(4).exists() and log_path(notes.mask_path(4)).is_file()
    assert notes.edited == {4} and notes.has_mask(4)
    np.testing.assert_array_equal(notes.load_mask(4), _disc())  # read through the log meanwhile
    gate.open.set()
    notes.finish_saves(wait=True)
    assert [name for name, _ in gate.written] == ["fosp-mask-saves"]
    assert threading.current_thread().name not in [name for name, _ in gate.written]
    np.testing.assert_array_equal(read_mask(notes.mask_path(4)), _disc())
    assert not log_path(notes.mask_path(4)).exists()  # the PNG holds the commit: its log went


def test_quick_commits_of_a_frame_keep_their_order_and_the_last_wins(tmp_path: Path, monkeypatch) -> None:
    gate = _Gate(monkeypatch)
    notes = _notes(tmp_path)
    saved: list[tuple[str, int | None]] = []
    notes.events.connect(saved.append)
    doc = notes.document(2)
    doc.replace_mask(_disc(1, 16))
    assert gate.entered.wait(10)  # the first save runs (held); the next two wait, the third replacing the second
    doc.replace_mask(_disc(255, 24))
    doc.replace_mask(_disc(1, 30))
    gate.open.set()
    notes.finish_saves(wait=True)
    assert len(gate.written) == 2  # the waiting save was replaced, its place kept
    np.testing.assert_array_equal(gate.written[-1][1], _disc(1, 30))
    np.testing.assert_array_equal(read_mask(notes.mask_path(2)), _disc(1, 30))
    assert saved.count(("saved", 2)) == 1 and not log_path(notes.mask_path(2)).exists()
    notes.stop_saves()
    again = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    np.testing.assert_array_equal(again.document(2).mask, _disc(1, 30))  # reopened: exactly the last commit


def test_a_brush_stroke_hands_over_its_rectangle_only(tmp_path: Path, monkeypatch) -> None:
    """After the first save of a frame the save thread keeps its copy: a later commit copies the pixels of
    the rectangle it changed, and the PNG written is still the whole mask."""
    gate = _Gate(monkeypatch)
    gate.open.set()
    notes = _notes(tmp_path)
    doc = notes.document(6)
    doc.replace_mask(_disc())
    notes.finish_saves(wait=True)
    submitted: list[tuple[bool, list[object]]] = []  # (whole mask handed over, rectangles), at the submit
    saver = notes._saver
    assert saver is not None
    real_submit = saver.submit
    monkeypatch.setattr(saver, "submit", lambda job: (
        submitted.append((job.parts.base is not None, [r for r, _ in job.parts.patches])), real_submit(job))[1])
    with doc.modify((40, 44, 50, 60)) as region:
        assert region is not None
        region[:] = 255
    notes.finish_saves(wait=True)
    assert submitted == [(False, [(40, 44, 50, 60)])]
    expected = _disc()
    expected[40:44, 50:60] = 255
    np.testing.assert_array_equal(read_mask(notes.mask_path(6)), expected)


def test_a_failed_write_is_told_kept_and_written_again(tmp_path: Path, monkeypatch) -> None:
    failing = {"on": True}
    real = frame_saves._write_frame

    def write(job: SaveJob) -> None:
        if failing["on"]:
            job.error = frame_saves.ProjectSaveError(job.path, "cannot save: disk full")
            job.mask = None
            return
        real(job)

    monkeypatch.setattr(frame_saves, "_write_frame", write)
    notes = _notes(tmp_path)
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    notes.document(3).replace_mask(_disc())
    notes.finish_saves(wait=True)
    assert ("save_failed", 3) in events and notes.last_error is not None and "disk full" in notes.last_error.reason
    assert notes.failed == {3} and log_path(notes.mask_path(3)).is_file()  # the edit is kept in the log
    np.testing.assert_array_equal(notes.load_mask(3), _disc())
    failing["on"] = False
    notes.stop_saves()  # the video closes: tried again, waited for
    np.testing.assert_array_equal(read_mask(notes.mask_path(3)), _disc())
    assert not log_path(notes.mask_path(3)).exists() and notes.failed == set() and ("saved", 3) in events


def test_a_log_left_by_a_failed_save_is_applied_when_the_video_opens_again(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(frame_saves, "_write_frame", lambda job: setattr(job, "error", frame_saves.ProjectSaveError(
        job.path, "cannot save: read-only")))
    notes = _notes(tmp_path)
    notes.document(9).replace_mask(_disc(255))
    notes.stop_saves()  # tried again, failed again: the log stays
    assert not notes.mask_path(9).exists() and log_path(notes.mask_path(9)).is_file()
    monkeypatch.undo()
    again = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    assert again.edited == {9} and again.labelled_frames() == [9]
    np.testing.assert_array_equal(read_mask(again.mask_path(9)), _disc(255))  # written by the opening
    assert not log_path(again.mask_path(9)).exists()


def test_undo_back_to_nothing_does_not_wait_for_the_pending_save(tmp_path: Path, monkeypatch) -> None:
    """The undo returns while the frame's write is held; the save thread removes the mask after that write
    (`fosp_core.video.frame_removals`). (Before: the undo waited for the write on the GUI thread.)"""
    gate = _Gate(monkeypatch)
    notes = _notes(tmp_path)
    doc = notes.document(5)
    doc.replace_mask(_disc())
    assert gate.entered.wait(10)
    threading.Timer(1.0, gate.open.set).start()  # lets the code before this change go on (it waited here)
    assert doc.undo()  # back to how it opened: the mask's removal queued after the write
    assert not gate.written  # returned with the write still held: nothing waited for
    assert notes.edited == set() and not notes.has_mask(5) and notes.load_mask(5) is None
    gate.open.set()
    notes.finish_saves(wait=True)
    assert gate.written and not notes.mask_path(5).exists() and not log_path(notes.mask_path(5)).exists()
    saver = notes._saver
    assert saver is not None
    assert [name for key, name in saver.written_by if key.isdigit()] == ["fosp-mask-saves"] * 2  # not video.json's
    assert doc.redo()
    notes.finish_saves(wait=True)
    np.testing.assert_array_equal(read_mask(notes.mask_path(5)), _disc())
    assert notes.edited == {5}


CHILD = textwrap.dedent("""
    import os, signal, sys, threading
    import numpy as np
    from fosp_core.annotation.tools import brush
    from fosp_core.video import frame_saves
    from fosp_core.video.timeline import VideoAnnotations
    state, expected = sys.argv[1:3]
    frame_saves._write_frame = lambda job: threading.Event().wait()  # the save thread never writes
    notes = VideoAnnotations("cam.mp4", 20, (48, 64), folder=state)
    notes.save_in_background = True
    doc = notes.document(3)
    assert brush(doc, [(10, 10), (30, 20)], 4)
    assert brush(doc, [(40, 30), (60, 40)], 3)
    other = notes.document(7)
    assert brush(other, [(5, 40), (20, 45)], 5)
    np.savez(expected, three=doc.mask, seven=other.mask)
    os.kill(os.getpid(), signal.SIGKILL)  # right after the strokes: no PNG written yet
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_kill_right_after_a_stroke_loses_nothing(tmp_path: Path) -> None:
    state, expected = tmp_path / "state", tmp_path / "expected.npz"
    child = subprocess.run([sys.executable, "-c", CHILD, str(state), str(expected)], capture_output=True, text=True,
                           timeout=120, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert sorted(p.name for p in (state / "masks").iterdir()) == ["cam_000003.png.recovery", "cam_000007.png.recovery"]
    masks = np.load(expected)
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state)
    assert notes.edited == {3, 7} and notes.labelled_frames() == [3, 7]
    np.testing.assert_array_equal(notes.document(3).mask, masks["three"])
    np.testing.assert_array_equal(notes.document(7).mask, masks["seven"])
    assert sorted(p.name for p in (state / "masks").iterdir()) == ["cam_000003.png", "cam_000007.png"]


class _Killed(BaseException):
    """The process killed at that point (nothing after it runs; no handler catches it)."""


def test_a_save_over_a_kept_log_killed_before_the_log_goes_reads_the_saved_mask(tmp_path: Path,
                                                                                monkeypatch) -> None:
    """A failed background save keeps the frame's log (a rectangle over the PNG it was logged on); a
    save_mask of another mask then, killed between its PNG and the log's removal, read that rectangle over
    the new PNG: neither mask. The log gets a whole record of the new mask first."""
    notes = _notes(tmp_path)
    notes.save_in_background = False
    notes.save_mask(5, _disc(1, 20))  # the PNG the log's rectangle is logged on
    notes.save_in_background = True
    monkeypatch.setattr(frame_saves, "_write_frame", lambda job: setattr(job, "error", frame_saves.ProjectSaveError(
        job.path, "cannot save: disk full")))
    doc = notes.document(5)
    with doc.modify((30, 40, 30, 50)) as region:
        assert region is not None
        region[:] = 1
    notes.finish_saves(wait=True)
    assert notes.failed == {5} and log_path(notes.mask_path(5)).is_file()
    real_unlink = Path.unlink

    def killed(path: Path, missing_ok: bool = False) -> None:
        if path.name.endswith(".recovery"):
            raise _Killed
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", killed)
    with pytest.raises(_Killed):
        notes.save_mask(5, np.zeros(SHAPE, np.uint8))  # the new PNG written, killed before the log goes
    monkeypatch.undo()
    again = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    np.testing.assert_array_equal(again.load_mask(5), np.zeros(SHAPE, np.uint8))
