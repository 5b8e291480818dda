"""A disk that stops answering while the window's close saves an edit whose earlier save failed (the disk was
full, then gone: a network share, a USB disk pulled) must not freeze the window: docs/saving.md (216507c5)
says "A disk that stops answering just after (as the window saves what was not saved) gets the same question;
one that stops as the window goes has its projects let go as Close Anyway does: the close never waits for good".

`OpenDocuments.confirm_close` (its `save_unsaved`) and `close` (`drop_all` -> `_forget`) save such a document
again with ``Project.save_document`` on the GUI thread, synchronously: the bounded waits of 216507c5 cover the
background saves only, so the GUI thread waits in the write for as long as the disk holds it. The image's PNG
write is held here (`tests.gui.dead_disk.DeadDisk` around ``fosp_core.io.atomic._write_chunk`` for that file),
released after `HELD_S` so that a failing test ends; each test asserts the call returned while it was held.
(Fixed in session 34: `OpenDocuments._save_again` queues the retry as a commit is, the close's waits bounded.)
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.annotation import close_waits
from app.annotation.close_question import CloseChoice
from fosp_core.io import atomic as atomic_io
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.gui.dead_disk import DeadDisk
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")

HELD_ON: list[str] = []  # the threads whose write of the PNG the disk held
HELD_S = 3  # the longest the simulated dead disk holds the write (a failing test waits that long once)


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def _failed_then_dead(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk):  # noqa: ANN001, ANN202
    """A window whose current image's save failed (disk full), the disk then holding that PNG's writes."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    image_id = controller.document.image_id
    faults = Faults(monkeypatch)
    faults.fail(f"{image_id}.png", "write", errno.ENOSPC)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])  # its background save fails: unsaved, told
    assert [d.image_id for _, d in controller.unsaved_documents()] == [image_id]
    faults.clear()
    real = atomic_io._write_chunk

    def write_chunk(fd: int, data: memoryview) -> int:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(f".{image_id}.png"):
            HELD_ON.append(threading.current_thread().name)
            return disk.hold(real)(fd, data)
        return real(fd, data)

    monkeypatch.setattr(atomic_io, "_write_chunk", write_chunk)
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    HELD_ON.clear()
    return window, controller


def _disk_answers_again(qtbot, window, disk: DeadDisk) -> None:  # noqa: ANN001
    """The disk answers again and the held write ends, before the window's own close at teardown (which
    would otherwise ask about it, or not, by how far the save got: a flake on a loaded machine)."""
    disk.released.set()
    qtbot.waitUntil(disk.done.is_set, timeout=20000)
    window.annotation.controller.open_documents.flush()


def test_review_rv_s34_confirm_close_does_not_wait_in_the_retry_of_a_failed_save(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller = _failed_then_dead(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    controller.open_documents.ask_stuck = lambda _parent, _stuck: close_waits.StuckChoice.CANCEL
    controller.save_status.ask = lambda _parent, _problem: CloseChoice.CANCEL
    controller.confirm_close()
    assert not disk.done.is_set(), f"confirm_close waited for the write the disk holds, made on {HELD_ON}"
    _disk_answers_again(qtbot, window, disk)


def test_review_rv_s34_close_does_not_wait_in_the_retry_of_a_failed_save(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller = _failed_then_dead(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    controller.close()  # the window's close, once confirmed (Retry answered while the disk was full, then gone)
    assert not disk.done.is_set(), f"the close waited for the write the disk holds, made on {HELD_ON}"
    _disk_answers_again(qtbot, window, disk)
