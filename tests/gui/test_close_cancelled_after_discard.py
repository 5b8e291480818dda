"""Closing the window asks about the images' edits not saved first, then about the open video's
``video.json`` (`MainWindow.closeEvent`). Discard for the images and then Cancel for the video kept the
window open with the images' Discard still in force (`OpenDocuments.discarded`): every document let go
afterwards was dropped without a save and without being held (its PNG never written, the status bar's
count gone: only its recovery log kept the edit). A close cancelled by a later question voids the
Discard: the edits are held and saved with the next save that works, as before the close.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.annotation.close_question import CloseChoice
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


def _show(qtbot, window, index: int) -> None:  # noqa: ANN001 - qtbot fixture, window
    session = window.session
    session.set_current(index)
    qtbot.waitUntil(lambda: session.current_image is not None and session.current_index == index
                    and session.current_image.path == session.current_path, timeout=10000)


def test_a_discard_voided_by_the_video_question_cancelled_keeps_the_edits(qtbot, make_window, demo_dir: Path,
                                                                          tmp_path: Path, monkeypatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    project, image_id = controller.project, controller.document.image_id
    faults = Faults(monkeypatch)
    faults.fail(f"{image_id}.png", "write", errno.ENOSPC)  # its saves fail: the disk is full
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    assert [d.image_id for _, d in controller.unsaved_documents()] == [image_id]
    _show(qtbot, window, 1)  # its document kept open, not saved

    asked: list[str] = []
    controller.save_status.ask = lambda _parent, _problem: asked.append("images") or CloseChoice.DISCARD
    monkeypatch.setattr(window.video, "confirm_close", lambda: asked.append("video") or False)  # Cancel
    assert not window.close()
    assert asked == ["images", "video"] and window.isVisible()

    controller.reload_documents()  # the kept documents let go (as Import Labels does), the disk still full
    assert [d.image_id for _, d in controller.unsaved_documents()] == [image_id]  # held, not dropped
    assert controller.save_status.indicator.text().startswith("1 image not saved")

    faults.clear()  # room again: the next save that works saves it
    assert controller.confirm_close()
    assert read_mask(project.mask_path(image_id))[300, 150] == 1  # its PNG, not only its recovery log
    assert not controller.unsaved_documents()
