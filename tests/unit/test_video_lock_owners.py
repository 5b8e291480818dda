"""Openings of one video in one process share its folder's lock only when they are for the same owner
(`fosp_core.video.folder_lock.opening_for`: a window's video view): the app prepares the next video before
closing the one shown, so a window's own openings share it; a second window's opening of the same video is
read-only and says it is this very program, in another window. Before, every opening in the process shared
the lock, and two windows wrote one folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.folder_lock import LOCK_FILE, opening_for
from fosp_core.video.timeline import VideoAnnotationError, VideoAnnotations

SHAPE = (48, 64)


def open_for(tmp_path: Path, owner: object) -> VideoAnnotations:
    with opening_for(owner):
        return VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")


def test_a_second_owner_in_this_process_opens_read_only(tmp_path: Path) -> None:
    first_window, second_window = object(), object()
    first = open_for(tmp_path, first_window)
    second = open_for(tmp_path, second_window)
    assert not first.read_only
    assert second.read_only and second.locked_by is not None and second.locked_by == first.lock.me  # type: ignore[union-attr]
    reason = str(second.read_only_reason)
    assert "this very program, in another window" in reason and "Take Over…" in reason
    with pytest.raises(VideoAnnotationError, match="read-only"):
        second.save_mask(3, np.ones(SHAPE, np.uint8))
    assert not first.mask_path(3).exists()
    again = open_for(tmp_path, first_window)  # the first window opening it again (or the next video first)
    assert not again.read_only and again.lock is first.lock
    first.release_lock()
    again.release_lock()
    assert not (tmp_path / "state" / LOCK_FILE).exists()
    taken = open_for(tmp_path, second_window)  # the first window closed it: the second may have it now
    assert not taken.read_only
    taken.release_lock()


def test_openings_of_no_owner_share_as_before(tmp_path: Path) -> None:
    """Scripts and tests open without an owner: those share the lock, as they always did."""
    first = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    second = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    assert not first.read_only and not second.read_only
    owned = open_for(tmp_path, object())
    assert owned.read_only
    first.release_lock()
    second.release_lock()


def test_two_openings_at_once_of_one_owner_share_and_of_two_owners_do_not(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Two opener threads at once (a window's open cancelled and the next one started; two windows): the
    second waited for the first's lock to be lent. Before, both looked for a share before either had one,
    both tried the lock file, and the second of one owner came out read-only, 'held' by this very process."""
    import threading
    import time

    import fosp_core.video.folder_lock as folder_lock

    class SlowLock(folder_lock.ProjectLock):
        def acquire(self, *, break_lock=False):  # noqa: ANN001, ANN202 - the race's window, widened
            time.sleep(0.2)
            return super().acquire(break_lock=break_lock)

    monkeypatch.setattr(folder_lock, "ProjectLock", SlowLock)
    for owners, writable in (((1, 1), 2), ((2, 3), 1)):
        opened: list[VideoAnnotations] = []
        threads = [threading.Thread(target=lambda o=o, out=opened: out.append(open_for(tmp_path, o))) for o in owners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(not notes.read_only for notes in opened) == writable
        for notes in opened:
            assert notes.read_only_reason is None or "this very program, in another window" in notes.read_only_reason
            notes.release_lock()
        assert not (tmp_path / "state" / LOCK_FILE).exists()
