"""A video frame's commit on a disk that stopped answering (session 34, after the images' `log_sync.queue_record`).

The commit wrote its recovery-log line (`append_record`), read the folder's lock (`folder_lock._lost`) and made the
mask folder (`Path.mkdir`) on the GUI thread: a stuck disk froze the window on each frame edit. They now run on the
log folder's append thread, the commit waiting for them `log_sync.RECORD_WAIT_S` at most (then not at all while the
folder stays stalled); the frame's PNG is still written after its record. Each test holds one of those calls on a
simulated dead disk (`tests.gui.dead_disk.DeadDisk`) and asserts that the commit returned while it is held, then
that the edit reaches the disk once it answers. No wall-clock assert."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import log_sync
from fosp_core.annotation.recovery import log_path
from fosp_core.video import folder_lock, frame_saves
from fosp_core.video.frame_files import read_saved
from fosp_core.video.testclip import write_clip
from tests.gui.dead_disk import DeadDisk
from tests.gui.video_helpers import open_video

HELD_S = 30  # the longest the simulated dead disk holds a call (the old commit then goes on, and fails the test)


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()
    log_sync.wait_appends(timeout=HELD_S)  # no append thread of this test left writing into the next one


def _video(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    notes, doc = window.video.annotations, window.video.document
    assert notes is not None and doc is not None and notes.save_in_background
    return window, notes, doc, window.video.index


def _mask(shape: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    mask[10:40, 20:70] = 1
    return mask


def _saved_once_answered(qtbot, notes, index: int, disk: DeadDisk, mask: np.ndarray) -> None:  # noqa: ANN001
    disk.released.set()
    png = notes.mask_path(index)
    qtbot.waitUntil(lambda: index not in notes.frames_under_way() and not log_path(png).exists(), timeout=10_000)
    saved = read_saved(png)
    assert saved is not None and np.array_equal(saved, mask) and index not in notes.failed


def test_a_frame_commit_returns_while_its_log_line_is_held(qtbot, make_window, tmp_path: Path, monkeypatch,  # noqa: ANN001
                                                           disk: DeadDisk) -> None:
    window, notes, doc, index = _video(qtbot, make_window, tmp_path)
    monkeypatch.setattr(frame_saves, "append_record", disk.hold(frame_saves.append_record))
    mask = _mask(doc.shape)
    assert doc.replace_mask(mask)
    assert not disk.done.is_set(), "the commit waited for its recovery-log line the disk holds"
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)  # written by another thread, held there
    assert index in notes.edited and index in notes.frames_under_way()
    second = mask.copy()
    second[50:60, 5:15] = 1
    assert doc.replace_mask(second)  # the folder stalled: the next commit does not wait at all
    assert not disk.done.is_set()
    _saved_once_answered(qtbot, notes, index, disk, second)


def test_a_frame_commit_returns_while_the_lock_read_is_held(qtbot, make_window, tmp_path: Path, monkeypatch,  # noqa: ANN001
                                                            disk: DeadDisk) -> None:
    window, notes, doc, index = _video(qtbot, make_window, tmp_path)
    monkeypatch.setattr(folder_lock, "_lost", disk.hold(folder_lock._lost))
    mask = _mask(doc.shape)
    assert doc.replace_mask(mask)
    assert not disk.done.is_set(), "the commit read the folder's lock on the GUI thread, held by the disk"
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    _saved_once_answered(qtbot, notes, index, disk, mask)


def _held_mkdir(disk: DeadDisk, folder: Path) -> Callable[..., None]:
    real = Path.mkdir
    held = disk.hold(real)

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self == folder:
            held(self, *args)
            return
        real(self, *args, **kwargs)  # type: ignore[arg-type]
    return mkdir


def test_a_frame_commit_returns_while_the_mask_folder_s_mkdir_is_held(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                      monkeypatch, disk: DeadDisk) -> None:
    window, notes, doc, index = _video(qtbot, make_window, tmp_path)
    monkeypatch.setattr(Path, "mkdir", _held_mkdir(disk, notes.mask_path(index).parent))
    mask = _mask(doc.shape)
    assert doc.replace_mask(mask)
    assert not disk.done.is_set(), "the commit made the mask folder on the GUI thread, held by the disk"
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    monkeypatch.undo()
    _saved_once_answered(qtbot, notes, index, disk, mask)


def test_an_undo_back_to_no_mask_returns_while_its_removal_record_is_held(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                          monkeypatch, disk: DeadDisk) -> None:
    window, notes, doc, index = _video(qtbot, make_window, tmp_path)
    assert doc.replace_mask(_mask(doc.shape))
    png = notes.mask_path(index)
    qtbot.waitUntil(lambda: png.exists() and not log_path(png).exists(), timeout=10_000)
    monkeypatch.setattr(frame_saves, "append_record", disk.hold(frame_saves.append_record))
    assert window.annotation.controller.undo()
    assert not disk.done.is_set(), "the undo waited for its removal record the disk holds"
    assert index not in notes.edited and not notes.has_mask(index)
    disk.released.set()
    qtbot.waitUntil(lambda: not png.exists() and not log_path(png).exists() and not notes.frames_under_way(),
                    timeout=10_000)


def test_a_frame_s_mask_read_while_its_record_is_held_is_its_last_commit(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                        monkeypatch, disk: DeadDisk) -> None:
    """The mask read back from the folder (carry's previous frame, an export) while the frame's record is still
    queued: the files do not hold that commit yet (read then, the frame had no mask at all, and was forgotten as
    removed behind our back); its open document's mask is that commit's."""
    window, notes, doc, index = _video(qtbot, make_window, tmp_path)
    monkeypatch.setattr(frame_saves, "append_record", disk.hold(frame_saves.append_record))
    mask = _mask(doc.shape)
    assert doc.replace_mask(mask)
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    read = notes.load_mask(index)
    assert not disk.done.is_set()
    assert read is not None and np.array_equal(read, mask), "the read missed the commit whose record is queued"
    _saved_once_answered(qtbot, notes, index, disk, mask)
