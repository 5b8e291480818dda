"""A video closed in one window while another window of the same process opens it
(`fosp_core.video.folder_lock`): the closing opening gives its share up and removes the lock file under
the guard that the other opening looks for a share and takes the file under, so the other never finds
the file of a lock no longer lent and comes out read-only, 'held by this very program, in another
window' that holds nothing. Before, the file was removed after the guard was let go."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import fosp_core.video.folder_lock as folder_lock
from fosp_core.video.folder_lock import LOCK_FILE, opening_for
from fosp_core.video.timeline import VideoAnnotations
from tests.thread_blocked import at_line_starting, done_or_blocked

SHAPE = (48, 64)


def open_for(tmp_path: Path, owner: object) -> VideoAnnotations:
    with opening_for(owner):
        return VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")


def test_an_opening_racing_another_windows_close_gets_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first_window, second_window = object(), object()
    first = open_for(tmp_path, first_window)
    assert not first.read_only
    releasing, go_on = threading.Event(), threading.Event()
    real_release = folder_lock.ProjectLock.release

    def slow_release(self: folder_lock.ProjectLock) -> None:  # the close's removal, held while the other opens
        releasing.set()
        go_on.wait(5)
        real_release(self)

    monkeypatch.setattr(folder_lock.ProjectLock, "release", slow_release)
    closing = threading.Thread(target=first.release_lock)  # the first window closes the video
    closing.start()
    assert releasing.wait(5)
    opened: list[VideoAnnotations] = []
    opening = threading.Thread(target=lambda: opened.append(open_for(tmp_path, second_window)))
    opening.start()  # the second window opens it meanwhile (its opener thread)
    # it waits for the close when the close holds the guard (blocked at its `with _guard(`); else it ends
    assert done_or_blocked(opening, at_line_starting("with _guard(")) != "timeout"
    go_on.set()
    closing.join()
    opening.join()
    second = opened[0]
    assert second.read_only_reason is None  # before: 'locked by pid N ... this very program, in another window'
    assert (tmp_path / "state" / LOCK_FILE).exists()
    second.release_lock()
    assert not (tmp_path / "state" / LOCK_FILE).exists()
