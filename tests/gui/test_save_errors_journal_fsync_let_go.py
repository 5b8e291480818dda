"""A failed journal fsync (the save thread's, EIO) of an image whose document is being let go (the
annotator moved on two images, and it left the kept documents) was never told: the failure came back while
the document was let go, the status counted only open documents, so it dropped the failure before
telling it; the edit, kept in the recovery log, was written again silently. It is told now as the
failure of an open document is (status bar, the error reporter once, 'Check the disk'), and the
indicator goes once the image is saved again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fosp_core.annotation import mask_saves
from tests.gui.annotation_helpers import drag, key
from tests.gui.journal_fsync_helpers import failing_disk_window
from tests.unit.settle_disk import Gate

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def test_a_failed_journal_fsync_of_a_document_let_go_is_told_once(qtbot, make_window, demo_dir: Path,
                                                                   tmp_path: Path, monkeypatch) -> None:
    window, reporter, disk = failing_disk_window(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    gate = Gate(lambda image_id: None)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    monkeypatch.setattr(controller.open_documents.recent, "limit", 1)  # one document kept besides the current
    messages: list[str] = []
    controller.save_status.message.connect(lambda text, _ms: messages.append(text))

    key(window, "B", settle=False)
    drag(window, [(100, 300), (200, 300)], settle=False)  # its save held on the save thread
    disk.fail_journal = True
    before = window.session.current_index
    key(window, "PgDown", settle=False)  # the document is kept (its save still held)
    qtbot.waitUntil(lambda: window.session.current_index == before + 1 and controller.document is not None,
                    timeout=10000)
    with gate.opened(lambda: project._saver):
        key(window, "PgDown", settle=False)  # the next one kept lets it go: its save taken, the fsync fails
        qtbot.waitUntil(lambda: window.session.current_index == before + 2, timeout=10000)
    assert disk.failed >= 1
    told = [m for m in messages if m.startswith(f"Could not save {doc.image_id}: written, but cannot make it durable")]
    assert len(told) == 1, messages
    assert len(reporter.save_problems) == 1, "the failed fsync of a document let go was not reported once"
    assert "Check the disk" in reporter.save_problems[0].fix()
    assert project.is_saved(doc)  # written again when it was let go (the GUI thread's fsync works)
    assert not controller.save_status.indicator.isVisible()
    assert any(m.startswith(f"All edits saved: {doc.image_id}") for m in messages), messages
