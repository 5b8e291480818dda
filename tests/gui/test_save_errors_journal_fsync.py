"""A failed journal fsync in the window (the save thread's, after a background save's line: EIO, maybe
a failing disk) is told like any failed save: the status bar and the error reporter say the edit
could not be made durable and point at the disk, the image counts as not saved; the next save that
works saves it (`fosp_core.annotation.journal_settles`). Before, nothing was told."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.gui.annotation_helpers import drag, key
from tests.gui.journal_fsync_helpers import failing_disk_window

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def test_a_failed_journal_fsync_is_told_and_saved_with_the_next_save(qtbot, make_window, demo_dir: Path,
                                                                     tmp_path: Path, monkeypatch) -> None:
    window, reporter, disk = failing_disk_window(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    disk.fail_journal = True
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])  # waits for the save and its journal fsync, takes them
    assert disk.failed >= 1
    message = window.statusBar().currentMessage()
    assert f"Could not save {doc.image_id}: written, but cannot make it durable" in message, message
    assert reporter.save_problems, "the failed fsync was not reported"
    assert "Check the disk" in reporter.save_problems[-1].fix()
    assert not project.is_saved(doc) and [d for _, d in controller.unsaved_documents()] == [doc]
    assert controller.save_status.indicator.text().startswith("1 image not saved")

    disk.fail_journal = False  # the disk works again; the annotator goes on with the next image
    before = window.session.current_index
    key(window, "PgDown")
    qtbot.waitUntil(lambda: controller.document is not None and window.session.current_index == before + 1
                    and controller.image_path == window.session.current_path, timeout=10000)
    drag(window, [(100, 100), (150, 100)])
    assert project.is_saved(doc) and not controller.unsaved_documents()
    assert not controller.save_status.indicator.isVisible()
