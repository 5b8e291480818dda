"""A frame save already queued on the video's save thread when the folder's lock is lost (another computer's
Take Over, the lock file removed) writes nothing into the folder: the save thread checks the lock before
each write or removal, as the images' save thread does (`fosp_core.video.folder_lock.FolderLock.save_check`),
the stroke's mask is rescued under ``rescued/`` and the holder turns read-only saying so; a recovery log at
that frame's path (now the new holder's) is left where it is. Before, the queued PNG was written over the
new holder's and the frame's log removed after it.

The holder is a real child process whose save thread is held back (as `tests/unit/test_video_lock_lost.py`'s);
the new holder is this one, its own save thread held back too (its stroke only in its recovery log).
"""

from __future__ import annotations

import os
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import fosp_core.video.frame_saves as frame_saves
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.tools import brush
from fosp_core.io.masks import read_mask
from fosp_core.video.folder_lock import LOCK_FILE
from tests.unit.video_holder import HOLDER_OPENS, Holder, take_over

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a holder process held open through a pipe")

SHAPE = (48, 64)

HOLDER = textwrap.dedent("""
    import json, sys, threading
    import fosp_core.video.frame_saves as frame_saves
    gate = threading.Event()
    gate.set()
    real_write, real_remove = frame_saves._write_frame, frame_saves.remove_frame
    def held(real):
        def run(job):
            gate.wait()
            real(job)
        return run
    frame_saves._write_frame, frame_saves.remove_frame = held(real_write), held(real_remove)
    state, video, background = sys.argv[1], sys.argv[2], True
""") + HOLDER_OPENS + textwrap.dedent("""
    for line in sys.stdin:
        word = line.strip()
        if word == "held stroke":  # queued, its write held back
            gate.clear()
            assert brush(doc, [(40, 30), (50, 34)], 4)
            print(json.dumps({}), flush=True)
            continue
        if word == "held undo":  # back to no mask: the removal queued, held back
            gate.clear()
            doc.undo()
            print(json.dumps({"edited": sorted(notes.edited)}), flush=True)
            continue
        if word == "release":
            gate.set()
        notes.finish_saves(wait=True)
        error = notes.last_error
        print(json.dumps({"read_only": notes.read_only_reason, "error": error.reason if error else None,
                          "rescued": str(getattr(error, "rescued", None) or ""),
                          "taken_over": [list(e) for e in events if e[0] == "taken_over"],
                          "failed": sorted(notes.failed)}), flush=True)
""")


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Holder]:
    with Holder(HOLDER, str(tmp_path / "state"), str(tmp_path / "cam.mp4")) as held:
        yield held


def files(state: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each file of the mask folder: (inode, modification time, bytes): a file written again differs."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted((state / "masks").iterdir())}


@pytest.fixture
def held_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """This process's frame writes held back until the event is set."""
    gate, real = threading.Event(), frame_saves._write_frame

    def write(job: frame_saves.SaveJob) -> None:
        gate.wait()
        real(job)

    monkeypatch.setattr(frame_saves, "_write_frame", write)
    yield gate
    gate.set()


def test_a_queued_frame_save_finds_the_take_over_and_writes_nothing(tmp_path: Path, holder: Holder,
                                                                    held_here: threading.Event) -> None:
    state, video = tmp_path / "state", tmp_path / "cam.mp4"
    holder.ask("held stroke")  # its record in the log, its PNG queued
    taker = take_over(state, video, SHAPE)  # applies the child's log (its stroke kept), then edits frame 4 itself
    taker.save_in_background = True
    doc = taker.document(4)
    assert doc.mask[32, 45] == 1
    assert brush(doc, [(5, 40), (15, 44)], 3)  # the taker's stroke: in its recovery log, its PNG held back
    assert log_path(taker.mask_path(4)).exists()
    before = files(state)
    answer = holder.ask("release")
    assert files(state) == before  # no PNG written, the taker's log not removed
    assert answer["read_only"] is not None and answer["read_only"].startswith("taken over since it was opened: ")
    assert answer["error"].startswith("not saved: the video's annotations were taken over since it was opened "
                                      f"(locked by pid {os.getpid()}")  # said once, then who holds it
    assert answer["taken_over"] == [["taken_over", 4]] and answer["failed"] == []
    rescued = Path(answer["rescued"])
    assert rescued.parent == state / "rescued" and rescued.name.startswith("cam_000004.")
    assert read_mask(rescued)[32, 45] == 1  # the queued stroke kept
    held_here.set()
    taker.finish_saves(wait=True)
    assert read_mask(taker.mask_path(4))[42, 10] == 1  # the taker's own stroke on disk
    taker.stop_saves()
    taker.release_lock()


def test_a_queued_frame_save_finds_its_lock_file_removed_and_writes_nothing(tmp_path: Path,
                                                                           holder: Holder) -> None:
    state = tmp_path / "state"
    holder.ask("held stroke")
    (state / LOCK_FILE).unlink()
    before = files(state)
    answer = holder.ask("release")
    assert files(state) == before  # the PNG not written, its log kept (the next opening applies it)
    assert "removed" in answer["read_only"] and answer["taken_over"] == [["taken_over", 4]]
    assert read_mask(Path(answer["rescued"]))[32, 45] == 1


def test_a_queued_removal_finds_the_take_over_and_removes_nothing(tmp_path: Path, holder: Holder) -> None:
    state, video = tmp_path / "state", tmp_path / "cam.mp4"
    assert holder.ask("held undo")["edited"] == []  # frame 4 back to no mask: its files' removal queued
    taker = take_over(state, video, SHAPE)  # reads the removal record: frame 4 has no mask for it
    assert taker.load_mask(4) is None
    taker.save_in_background = False
    doc = taker.document(4)
    assert brush(doc, [(5, 40), (15, 44)], 3)  # the taker's mask of frame 4, written now
    before = files(state)
    answer = holder.ask("release")
    assert files(state) == before  # the taker's PNG not removed
    assert answer["taken_over"] == [["taken_over", 4]]
    assert read_mask(taker.mask_path(4))[42, 10] == 1
    taker.release_lock()
