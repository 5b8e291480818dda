"""A save whose journal fsync failed (the save thread's, EIO) is saved again on the GUI thread when the
window closes (or its document is let go): the close then says "All edits saved", and it is so - but the
image's recovery log stayed, and the next opening said "Recovered the last edits of ... (the app had
stopped before writing its mask)" of edits that were never lost. The log goes once that save's durable
journal line is written (`BackgroundSaves.status_made_durable`); the next opening recovers nothing and
shows the same mask and status."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from tests.gui.annotation_helpers import drag, key
from tests.gui.journal_fsync_helpers import failing_disk_window

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def test_a_failed_fsync_saved_at_close_leaves_no_log_to_recover(qtbot, make_window, demo_dir: Path,
                                                                 tmp_path: Path, monkeypatch) -> None:
    window, _reporter, disk = failing_disk_window(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    messages: list[str] = []
    controller.save_status.message.connect(lambda text, _ms: messages.append(text))
    disk.fail_journal = True  # the save thread's journal fsyncs fail; the GUI thread's work
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    log = log_path(project.mask_path(doc.image_id))
    assert disk.failed >= 1 and project.unsynced_images() == [doc.image_id] and log.exists()
    folder, image_id, mask, status = project.folder, doc.image_id, doc.mask.copy(), doc.status
    window.close()
    assert any(m.startswith(f"All edits saved: {image_id}") for m in messages), messages
    assert not log.exists(), "saved durably at close, yet its recovery log stayed"
    again = Project.open(tmp_path / "demo", folder)
    try:
        assert again.recovered == [], "the next opening 'recovered' edits that were saved"
        assert np.array_equal(again.load_mask(image_id), mask) and again.entry(image_id).status == status
    finally:
        again.close()
