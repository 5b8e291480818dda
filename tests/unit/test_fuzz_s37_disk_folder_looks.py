"""`settle_disk.Disk`'s folder fsyncs from two threads (the save thread's log sync and the GUI thread's
`settle_removed_logs`, or the rewrite thread's and the GUI thread's ``.fosp`` fsyncs): the record kept is
that of the fsync which looked at the folder last. The later-ending fsync may have looked before the other
thread removed a log (or replaced ``project.json``): its stale listing brought back, at a power loss, a log
whose removal the other fsync had made durable (as a58ce307 fixed for a file's size). The order is driven
by Events: the first fsync is held inside the real fsync until the second one is recorded."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from fosp_core.annotation.project_files import JOURNAL_FILE, PROJECT_FILE
from tests.unit import settle_disk
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _held_first(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """The first folder fsync made on a thread other than this one waits in the real fsync (`inside` set) until
    `go` is set."""
    inside, go = threading.Event(), threading.Event()
    main, real = threading.main_thread(), settle_disk._REAL_FSYNC

    def fsync(fd: int) -> None:
        if threading.current_thread() is not main and not inside.is_set():
            inside.set()
            assert go.wait(10)
        real(fd)

    monkeypatch.setattr(settle_disk, "_REAL_FSYNC", fsync)
    return inside, go


def _fsync_on_thread(disk: Disk, folder: Path) -> threading.Thread:
    def run() -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            disk.fsync(fd)
        finally:
            os.close(fd)

    thread = threading.Thread(target=run, name="fosp-mask-saves")
    thread.start()
    return thread


def _fsync(disk: Disk, folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        disk.fsync(fd)
    finally:
        os.close(fd)


def test_a_log_removed_between_two_folder_fsyncs_stays_removed(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    masks = tmp_path / "masks"
    masks.mkdir()
    (masks / "a.png.recovery").write_bytes(b"record\n")
    (masks / "b.png.recovery").write_bytes(b"record\n")
    disk = Disk()
    inside, go = _held_first(monkeypatch)
    thread = _fsync_on_thread(disk, masks)  # the save thread's: looked at both logs, held in its fsync
    assert inside.wait(10)
    (masks / "a.png.recovery").unlink()  # the GUI thread's: a log removed, then the folder fsynced
    _fsync(disk, masks)
    assert set(disk.mask_logs[str(masks)]) == {"b.png.recovery"}
    go.set()
    thread.join(10)
    assert set(disk.mask_logs[str(masks)]) == {"b.png.recovery"}, "the earlier look's listing came back"


def test_project_json_replaced_between_two_folder_fsyncs_stays_replaced(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / ".fosp"
    folder.mkdir()
    (folder / PROJECT_FILE).write_bytes(b"old")
    (folder / JOURNAL_FILE).write_bytes(b"")
    disk = Disk()
    inside, go = _held_first(monkeypatch)
    thread = _fsync_on_thread(disk, folder)
    assert inside.wait(10)
    (folder / PROJECT_FILE).write_bytes(b"new")
    _fsync(disk, folder)
    go.set()
    thread.join(10)
    assert disk.folders[str(folder)][0] == b"new", "the earlier look's project.json came back"
