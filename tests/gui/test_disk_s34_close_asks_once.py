"""Closing the window while a disk that stopped answering holds both an image's save and the open video's frame
save (session 34): the close asked twice, the images' question (`close_waits.settle_before_close`) then the
video's (`FrameEditor.confirm_close` -> `close_waits.settle_video`). It now asks once, naming both; Close Anyway
lets both go (the image projects and the video left to their save threads, their locks left), Cancel keeps the
window. The writes are held on an Event (`tests.gui.dead_disk.DeadDisk`), released at the end; no wall-clock
assert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from app.annotation import close_waits
from fosp_core.annotation import mask_saves
from fosp_core.annotation.tool_state import Tool
from fosp_core.video import frame_saves
from tests.gui.annotation_helpers import drag
from tests.gui.dead_disk import DeadDisk, answering
from tests.gui.keyboard_day_helpers import day_window, open_clip

HELD_S = 20  # the longest the simulated dead disk holds a write


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def _both_held(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk):  # noqa: ANN001, ANN202
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10_000)
    controller.state.set_tool(Tool.BRUSH)
    window.canvas.setFocus()
    monkeypatch.setattr(mask_saves, "_write", disk.hold(mask_saves._write))
    monkeypatch.setattr(frame_saves, "_write_frame", disk.hold(frame_saves._write_frame))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    drag(window, [(100, 100), (200, 120)], settle=False)  # the image's PNG held by the disk
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    project, image = controller.project, controller.document
    assert project is not None and image is not None
    open_clip(qtbot, window, tmp_path)
    notes, doc = window.video.annotations, window.video.document
    assert notes is not None and doc is not None
    assert doc.replace_mask(np.ones(doc.shape, np.uint8))  # the frame's PNG held too
    qtbot.waitUntil(lambda: window.video.index in notes.frames_under_way() and bool(project.saves_under_way()),
                    timeout=10_000)
    return window, project, image.image_id, notes


def test_closing_with_images_and_a_video_held_asks_once_naming_both(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, project, image_id, notes = _both_held(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    seen: list[str] = []
    timer = answering("Close Anyway", seen)
    window.close()
    timer.stop()
    assert len(seen) == 1, f"asked {len(seen)} times: {seen}"
    assert image_id in seen[0] and "frame 0" in seen[0] and notes.video.name in seen[0], seen
    assert not disk.done.is_set(), "the close waited for a write the disk holds"
    assert not window.isVisible()
    assert project not in window.annotation.controller.registry.projects
    assert window.video.editor.left_to_its_saves(notes)


def test_closing_with_both_held_and_cancel_keeps_the_window_asked_once(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, project, _image_id, notes = _both_held(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    seen: list[str] = []
    timer = answering("Cancel", seen)
    assert not window.close()
    timer.stop()
    assert len(seen) == 1 and window.isVisible() and not disk.done.is_set(), seen
    assert project in window.annotation.controller.registry.projects and window.video.annotations is notes
    disk.released.set()  # the disk answers: the window's teardown closes it as usual
    qtbot.waitUntil(lambda: not project.saves_under_way() and not notes.frames_under_way(), timeout=20_000)


def test_the_close_question_says_a_frame_whose_record_is_held_is_not_even_in_its_log(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    """A frame's commit record is queued for its log now (`log_sync.queue_record`): held by the disk, the commit is
    in no file yet, and closing now loses it; the question said it was in its recovery log."""
    from fosp_core.video.testclip import write_clip
    from tests.gui.video_helpers import open_video
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    monkeypatch.setattr(frame_saves, "append_record", disk.hold(frame_saves.append_record))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    doc = window.video.document
    assert doc is not None and doc.replace_mask(np.ones(doc.shape, np.uint8))
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    seen: list[str] = []
    timer = answering("Cancel", seen)
    assert not window.close()
    timer.stop()
    assert len(seen) == 1 and "Not even in a recovery log yet" in seen[0] and "frame 0" in seen[0], seen
    assert "In their recovery logs" not in seen[0], seen
    disk.released.set()
    notes = window.video.annotations
    qtbot.waitUntil(lambda: not notes.frames_under_way(), timeout=20_000)
