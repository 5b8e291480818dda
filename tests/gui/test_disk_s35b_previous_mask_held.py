"""Copy Previous Image's Mask (Shift+C) and the video's Carry (C) decoded the previous image's (frame's) mask PNG
on the GUI thread: ~100 ms at 4000x3000, and for ever on a disk that stopped answering (the window frozen). Copy
Previous now takes the previous image's open document when it has one (no file read), and otherwise, as Carry,
reads the mask on a worker, waited for READ_WAIT_S at most: a disk that does not answer is said in the status
bar and nothing changes; pressed again once it has answered, the command does its work (app/annotation/
previous_mask.py). The disk is simulated (tests/gui/dead_disk.DeadDisk: the read waits until released, or
`held_s`, so that the failing test ends)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.annotation.previous_mask import READ_WAIT_S, MaskReads
from fosp_core.annotation.project import Project
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations
from tests.gui.annotation_helpers import copy_demo, open_and_wait
from tests.gui.dead_disk import DeadDisk
from tests.gui.video_helpers import open_video


def _held_for(disk: DeadDisk, real: Callable[..., object], wanted: object, calls: list[bool]) -> Callable[..., object]:
    """`real(self, key)` held by `disk` for `key == wanted` (every other key read at once); `calls` gets, for
    each read of `wanted`, whether it ran on the GUI thread."""
    held = disk.hold(real)

    def read(self: object, key: object) -> object:
        if key != wanted:
            return real(self, key)
        calls.append(threading.current_thread() is threading.main_thread())
        return held(self, key)
    return read


def _short_read_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI thread's wait for the held read (`previous_mask.READ_WAIT_S`, 0.5 s), which the disk outlasts by
    design, 0.05 s at most: the same path (said, read on a worker), less waiting; the words still say 0.5 s."""
    real = MaskReads.read

    def read(self: MaskReads, key: object, load: Callable[[], object], wait_s: float = READ_WAIT_S) -> object:
        return real(self, key, load, min(wait_s, 0.05))  # type: ignore[arg-type]

    monkeypatch.setattr(MaskReads, "read", read)


def _blob(shape: tuple[int, ...]) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    mask[40:120, 60:200] = 1
    return mask


@pytest.fixture()
def on_second_image(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    """A window on the second demo image, the first one's mask `_blob` saved; (window, first image's id)."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, copy_demo(demo_dir, tmp_path / "demo"))
    controller = window.annotation.controller
    controller.document.replace_mask(_blob(controller.document.shape), label="test")
    _project, first_id = controller.registry.lookup(window.session.paths[0])
    window.session.next()
    qtbot.waitUntil(lambda: controller.document is not None
                    and controller.image_path == window.session.paths[1], timeout=10_000)
    assert controller.open_documents.flush() == []  # the first image's mask on disk
    return window, first_id


def test_copy_previous_takes_the_open_document_and_reads_no_file(
    on_second_image, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, first_id = on_second_image
    controller = window.annotation.controller
    reads: list[str] = []
    real = Project.load_mask
    monkeypatch.setattr(Project, "load_mask", lambda self, image_id: reads.append(image_id) or real(self, image_id))
    assert controller.copy_previous_mask()
    assert reads == []  # was [first id]: its PNG decoded on the GUI thread, its document open all along
    np.testing.assert_array_equal(controller.document.mask, _blob(controller.document.shape))


def test_copy_previous_says_so_when_the_disk_does_not_answer_then_copies(
    qtbot, on_second_image, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, first_id = on_second_image
    controller = window.annotation.controller
    controller.open_documents.recent.clear()  # its document let go (saved): only its file has the mask
    said: list[str] = []
    controller.message.connect(lambda text, _ms: said.append(text))
    disk, calls = DeadDisk(held_s=3.0), []
    monkeypatch.setattr(Project, "load_mask", _held_for(disk, Project.load_mask, first_id, calls))
    _short_read_wait(monkeypatch)
    before = controller.document.mask.copy()
    try:
        assert not controller.copy_previous_mask()
        assert "has not given the mask of" in said[-1], said  # was: the GUI thread waited, then copied
        assert disk.stuck.is_set() and not disk.done.is_set() and calls == [False]  # read on a worker, still held
        np.testing.assert_array_equal(controller.document.mask, before)
        qtbot.wait(20)  # the window turns meanwhile
        assert not controller.copy_previous_mask()  # pressed again while held: told again, no second read
        assert "has not given" in said[-1] and calls == [False]
    finally:
        disk.released.set()
    qtbot.waitUntil(disk.done.is_set)
    assert controller.copy_previous_mask()  # the answer come: copied
    assert said[-1].startswith("Copy the mask of " + window.session.paths[0].name), said
    np.testing.assert_array_equal(controller.document.mask, _blob(controller.document.shape))


def test_carry_says_so_when_the_disk_does_not_answer_then_carries(
    qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    video = window.video
    notes = video.annotations
    assert notes is not None and video.editor.document is not None
    video.editor.document.replace_mask(_blob(notes.shape), label="test")
    notes.finish_saves(wait=True)
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 1):
        video.seek(1)
    disk, calls = DeadDisk(held_s=3.0), []
    monkeypatch.setattr(VideoAnnotations, "load_mask", _held_for(disk, VideoAnnotations.load_mask, 0, calls))
    _short_read_wait(monkeypatch)
    doc = video.editor.document
    try:
        video.carry()
        message = window.statusBar().currentMessage()
        assert "has not given the mask of frame 0" in message, message  # was: waited on the GUI thread, carried
        assert calls == [False] and not disk.done.is_set() and not doc.mask.any()
    finally:
        disk.released.set()
    qtbot.waitUntil(disk.done.is_set)
    video.carry()
    assert "carried to frame 1" in window.statusBar().currentMessage(), window.statusBar().currentMessage()
    np.testing.assert_array_equal(doc.mask, _blob(notes.shape))
    assert calls == [False]  # the answer of the read under way taken: not read twice
