"""A window opening the video it shows again joins the shown opening's lock and reads the folder as a reader
does (`fosp_core.video.folder_lock`, owners). A frame's commit record is queued for its recovery log
(`log_sync.queue_record`, be9e6454): on a slow disk the commit returns before it is written, and the joining
opening read the folder then: the frame's first commit, in no file yet, was missed (no mask listed for it).
The joining opening now waits for the folder's queued records (`JOIN_WAIT_S` at most) before it reads; one
still queued after that opens read-only, saying the last edits are still being saved.

The append is held on an Event; the disk answers from a timer (a slow disk) in the first test, never in the
second, whose bound is lowered. No wall-clock assert."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import log_sync
from fosp_core.video import folder_lock, frame_saves
from fosp_core.video.folder_lock import opening_for
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)
HELD_S = 30.0  # the longest a held append waits (a failing test ends then)


@pytest.fixture()
def released(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The appends of records held until the Event is set (a slow disk)."""
    event, real = threading.Event(), frame_saves.append_record

    def append(*args: object) -> None:
        event.wait(HELD_S)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(frame_saves, "append_record", append)
    yield event
    event.set()


def _open(tmp_path: Path, owner: object) -> VideoAnnotations:
    with opening_for(owner):
        return VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")


def _commit_held(tmp_path: Path, window: object) -> VideoAnnotations:
    shown = _open(tmp_path, window)
    shown.save_in_background = True
    doc = shown.document(4)
    mask = np.zeros(SHAPE, np.uint8)
    mask[5:10, 5:10] = 1
    assert doc.replace_mask(mask)  # its record queued (held), its PNG after it
    assert log_sync.appends_waiting(), "the record was written at once: nothing held"
    return shown


def test_reopening_the_shown_video_reads_the_record_a_slow_disk_still_queued(
        tmp_path: Path, released: threading.Event) -> None:
    window = object()
    shown = _commit_held(tmp_path, window)
    slow = threading.Timer(0.3, released.set)  # the disk answers a moment later
    slow.start()
    try:
        again = _open(tmp_path, window)  # the shown video opened again (joins its lock)
    finally:
        slow.cancel()
        released.set()
    assert 4 in again.mask_files and 4 in again.edited, "the opening missed the commit whose record was queued"
    assert again.read_only_reason is None
    shown.finish_saves(wait=True)
    again.release_lock()
    shown.release_lock()


def test_reopening_while_the_disk_holds_a_record_opens_read_only(
        tmp_path: Path, released: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folder_lock, "JOIN_WAIT_S", 0.05)
    window = object()
    shown = _commit_held(tmp_path, window)
    again = _open(tmp_path, window)
    assert again.read_only_reason is not None and "still being saved" in again.read_only_reason
    assert again.lock is None and shown.lock is not None and shown.read_only_reason is None
    released.set()
    shown.finish_saves(wait=True)
    shown.release_lock()
