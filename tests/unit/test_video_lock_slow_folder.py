"""An opening whose annotation folder answers slowly or not at all (a dead network drive) holds up only the
openings and closes of that folder (`fosp_core.video.folder_lock`): its lock is taken under a guard of that
folder's own. Before, one guard of the whole process was held through the lock file's creation, so the GUI
thread closing another video - any window's, any folder's - waited for the dead drive."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import fosp_core.video.folder_lock as folder_lock
from fosp_core.video.folder_lock import LOCK_FILE, opening_for
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def test_a_dead_folders_opening_holds_no_other_folders_close(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with opening_for(object()):
        shown = VideoAnnotations(tmp_path / "local.mp4", 20, SHAPE, folder=tmp_path / "local")
    assert not shown.read_only
    stuck, freed = threading.Event(), threading.Event()
    real_acquire = folder_lock.ProjectLock.acquire

    def acquire(self: folder_lock.ProjectLock, *, break_lock: object = False) -> object:
        if "dead" in str(self.path):  # the network drive: no answer until freed
            stuck.set()
            freed.wait(30)
        return real_acquire(self, break_lock=break_lock)  # type: ignore[arg-type]

    monkeypatch.setattr(folder_lock.ProjectLock, "acquire", acquire)
    opened: list[VideoAnnotations] = []

    def open_dead() -> None:  # another window's opener thread
        with opening_for(object()):
            opened.append(VideoAnnotations(tmp_path / "dead.mp4", 20, SHAPE, folder=tmp_path / "dead"))

    opener = threading.Thread(target=open_dead)
    opener.start()
    assert stuck.wait(10)
    closing = threading.Thread(target=shown.release_lock)  # the GUI thread closes the local video
    closing.start()
    closing.join(5)
    done = not closing.is_alive()
    freed.set()
    closing.join()
    opener.join()
    assert done  # before: it waited for the dead drive's opening
    assert not (tmp_path / "local" / LOCK_FILE).exists()
    opened[0].release_lock()
