"""``video.json`` written on the video's save thread (`fosp_core.video.state_saves`), not on the committing
(GUI) thread: a first commit that adds a frame's edited mark, an undo that takes it back and a keyframe change
queue the write after the frame saves queued before them; a stale job writes nothing; a lock lost since is
found there (nothing written, read-only told once); `flush_state` waits for the queued ones first.
(Before: each was an fsync'ed write on the GUI thread, 16-28 ms: `bench/bench_video_state_write.py`.)"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.tools import brush
from fosp_core.video import frame_saves, state_saves
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


class _Writes:
    """Every atomic write: (file name, thread name), in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[tuple[str, str]] = []
        for module in (state_saves, frame_saves):
            real = module.atomic_write

            def write(path: Path, data: bytes, real=real) -> None:  # type: ignore[no-untyped-def]
                self.seen.append((Path(path).name, threading.current_thread().name))
                real(path, data)

            monkeypatch.setattr(module, "atomic_write", write)

    def of(self, name: str) -> list[str]:
        return [thread for file, thread in self.seen if file == name]


def _notes(tmp_path: Path) -> tuple[VideoAnnotations, list[tuple[str, int | None]]]:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    notes.save_in_background = True
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    return notes, events


def _state(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "state" / "video.json").read_text())


def test_the_marks_of_a_commit_an_undo_and_a_keyframe_are_written_by_the_save_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes, _ = _notes(tmp_path)
    writes = _Writes(monkeypatch)
    doc = notes.document(4)
    assert brush(doc, [(10, 10), (20, 12)], 3)  # the first commit: the mark added
    notes.finish_saves(wait=True)
    assert _state(tmp_path)["edited"] == [4]
    assert writes.seen == [("cam_000004.png", "fosp-mask-saves"), ("video.json", "fosp-mask-saves")]  # in order
    assert doc.undo()  # back to no mask: the mark taken back
    notes.set_keyframe(7)
    notes.finish_saves(wait=True)
    assert _state(tmp_path)["edited"] == [] and _state(tmp_path)["keyframes"] == [7]
    assert writes.of("video.json") and set(writes.of("video.json")) == {"fosp-mask-saves"}
    assert threading.current_thread().name not in writes.of("video.json")
    notes.stop_saves()
    notes.release_lock()


def test_a_state_job_behind_a_later_one_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes, _ = _notes(tmp_path)
    gate, real = threading.Event(), frame_saves._write_frame
    monkeypatch.setattr(frame_saves, "_write_frame", lambda job: (gate.wait(10), real(job)))
    doc = notes.document(4)
    assert brush(doc, [(10, 10), (20, 12)], 3)  # its PNG held: the state jobs wait behind it
    notes.set_keyframe(2)
    notes.set_keyframe(3)
    writes = _Writes(monkeypatch)
    gate.set()
    notes.finish_saves(wait=True)
    assert writes.of("video.json") == ["fosp-mask-saves"]  # three queued, the newest written once
    assert _state(tmp_path)["keyframes"] == [2, 3] and _state(tmp_path)["edited"] == [4]
    assert not notes.states_pending()
    notes.stop_saves()
    notes.release_lock()


def test_a_lost_lock_found_by_a_state_job_writes_nothing_and_is_told_once(tmp_path: Path) -> None:
    notes, events = _notes(tmp_path)
    notes.set_keyframe(1)
    notes.finish_saves(wait=True)
    before = (tmp_path / "state" / "video.json").read_bytes()
    (tmp_path / "state" / LOCK_FILE).unlink()
    notes.set_keyframe(5)  # checked on the save thread, not here
    notes.set_keyframe(6)
    notes.finish_saves(wait=True)
    assert (tmp_path / "state" / "video.json").read_bytes() == before
    assert notes.read_only and notes.lost_lock and events.count(("taken_over", None)) == 1
    assert notes.keyframes == {1, 5, 6}  # the refused changes kept in memory
    notes.stop_saves()


def test_flush_state_waits_for_the_queued_writes_then_writes_here(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    notes, _ = _notes(tmp_path)
    doc = notes.document(4)
    doc.replace_mask(np.ones(SHAPE, np.uint8))
    notes.set_keyframe(3)
    writes = _Writes(monkeypatch)
    notes.flush_state()
    assert not notes.states_pending()
    assert writes.of("video.json")[-1] == threading.current_thread().name
    assert _state(tmp_path)["keyframes"] == [3] and _state(tmp_path)["edited"] == [4]
    notes.stop_saves()
    notes.release_lock()
