"""Showing a video frame read its own saved mask on the GUI thread (`VideoAnnotations.document` ->
`load_mask`, from `FrameEditor.open_document`): on a network share that stopped answering, stepping to a
frame with a saved mask froze the window until the disk answered.

The read now runs on a worker, as Carry's does (`app.annotation.previous_mask.SAVED_MASKS`), the GUI thread
waiting `READ_WAIT_S` at most (`app.video.frame_opening`). Until it lands the frame has no document: the tools
say its saved mask is being read and edit nothing, as an image's do while its files are read, so no edit can be
lost or overwritten by the late read; once it lands the frame shows its saved mask, if it is still shown. A
frame left meanwhile loses nothing. The disk is simulated (`tests.gui.dead_disk.DeadDisk`: the read waits
until released, or `held_s` so that the failing test ends); no wall-clock assert."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from app.video import frame_opening
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations
from tests.gui.dead_disk import DeadDisk
from tests.gui.video_helpers import open_video

HELD_S = 10.0
SAVED = 2  # the frame whose mask is saved


def _blob(shape: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    mask[8:40, 10:50] = 1
    return mask


def _held_for(disk: DeadDisk, wanted: int, calls: list[bool]) -> Callable[..., object]:
    """`VideoAnnotations.load_mask` held by `disk` for frame `wanted`; `calls` gets, for each read of it, whether
    it ran on the GUI thread."""
    real = VideoAnnotations.load_mask
    held = disk.hold(real)

    def read(self: VideoAnnotations, index: int) -> object:
        if index != wanted:
            return real(self, index)
        calls.append(threading.current_thread() is threading.main_thread())
        return held(self, index)
    return read


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


@pytest.fixture()
def reopened(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN201
    """A window on frame 0 of a clip whose frame SAVED has the mask `_blob` saved by an earlier opening (so no
    document of it is kept: showing it reads its file)."""
    window = make_window(show=True)
    clip = write_clip(tmp_path / "clip.mp4", frames=6)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == SAVED):
        video.seek(SAVED)
    assert video.document is not None and video.document.replace_mask(_blob(video.document.shape), label="test")
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 0):
        video.seek(0)
    video.leave()
    open_video(qtbot, window, clip, tmp_path)
    assert video.index == 0 and video.annotations is not None and video.annotations.has_mask(SAVED)
    return window


def test_a_frame_whose_mask_read_is_held_shows_it_once_read(  # noqa: ANN001
        qtbot, reopened, disk: DeadDisk, monkeypatch: pytest.MonkeyPatch) -> None:
    window, calls = reopened, []
    video, controller = window.video, window.annotation.controller
    monkeypatch.setattr(VideoAnnotations, "load_mask", _held_for(disk, SAVED, calls))
    monkeypatch.setattr(frame_opening, "READ_WAIT_S", 0.05)  # the GUI thread's wait (0.5 s), which the disk outlasts
    video.seek(SAVED)  # returns while the disk holds the read (was: held the GUI thread until it answered)
    assert calls == [False], calls  # was [True]: read on the GUI thread
    assert disk.stuck.is_set() and not disk.done.is_set()
    assert video.document is None and controller.document is None and controller.attached
    why = controller.why_not_editable() or ""
    assert "reading its saved mask" in why, why  # the tools wait for it, as an image's
    assert "reading its saved mask" in window.statusBar().currentMessage()
    video.accept_prediction()
    video.carry()
    assert "reading its saved mask" in window.statusBar().currentMessage()
    qtbot.wait(30)  # the window turns meanwhile
    assert video.document is None and not disk.done.is_set()
    disk.released.set()
    qtbot.waitUntil(lambda: video.document is not None, timeout=10_000)
    doc = video.document
    np.testing.assert_array_equal(doc.mask, _blob(doc.shape))  # the saved mask, as saved
    assert controller.document is doc and controller.why_not_editable() is None
    assert "reading its saved mask" not in window.statusBar().currentMessage()
    assert calls == [False]  # read once
    doc.replace_mask(np.zeros(doc.shape, np.uint8), label="erase")  # edited as any frame: saved
    video.annotations.finish_saves(wait=True)
    assert video.annotations.load_mask(SAVED) is not None and not video.annotations.load_mask(SAVED).any()


def test_a_frame_left_while_its_read_is_held_loses_nothing(  # noqa: ANN001
        qtbot, reopened, disk: DeadDisk, monkeypatch: pytest.MonkeyPatch) -> None:
    window, calls = reopened, []
    video = window.video
    notes = video.annotations
    monkeypatch.setattr(VideoAnnotations, "load_mask", _held_for(disk, SAVED, calls))
    monkeypatch.setattr(frame_opening, "READ_WAIT_S", 0.05)  # the GUI thread's wait (0.5 s), which the disk outlasts
    video.seek(SAVED)
    assert calls == [False] and video.document is None
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == SAVED + 1):
        video.seek(SAVED + 1)  # left before the read landed
    here = video.document
    assert here is not None
    painted = np.zeros(here.shape, np.uint8)
    painted[0:5, 0:5] = 1
    assert here.replace_mask(painted, label="paint")
    disk.released.set()
    qtbot.waitUntil(disk.done.is_set, timeout=10_000)
    qtbot.wait(200)  # the late read lands: it changes nothing of the frame shown
    assert video.document is here and video.index == SAVED + 1
    np.testing.assert_array_equal(here.mask, painted)
    notes.finish_saves(wait=True)
    np.testing.assert_array_equal(notes.load_mask(SAVED + 1), painted)
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == SAVED):
        video.seek(SAVED)
    qtbot.waitUntil(lambda: video.document is not None, timeout=10_000)
    np.testing.assert_array_equal(video.document.mask, _blob(video.document.shape))  # its mask as saved


def test_a_damaged_mask_read_late_is_said_and_lends_no_document(  # noqa: ANN001
        qtbot, reopened, disk: DeadDisk, monkeypatch: pytest.MonkeyPatch) -> None:
    window, calls = reopened, []
    video, controller = window.video, window.annotation.controller
    notes = video.annotations
    notes.mask_path(SAVED).write_bytes(b"not a png")  # damaged behind its back
    monkeypatch.setattr(VideoAnnotations, "load_mask", _held_for(disk, SAVED, calls))
    monkeypatch.setattr(frame_opening, "READ_WAIT_S", 0.05)  # the GUI thread's wait (0.5 s), which the disk outlasts
    video.seek(SAVED)
    assert calls == [False] and video.document is None
    disk.released.set()
    qtbot.waitUntil(lambda: "Cannot open the mask of frame" in window.statusBar().currentMessage(), timeout=10_000)
    assert video.document is None and controller.document is None
    assert controller.why_not_editable() == f"No mask to edit for frame {SAVED}"  # as a mask read on the GUI thread
    assert notes.mask_path(SAVED).read_bytes() == b"not a png"  # left as it is
