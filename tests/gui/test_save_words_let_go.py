"""The words of a failed save say where the edit is. A document let go (the annotator moved on) whose
journal fsync failed has its edit in its recovery log on disk, not in memory: the message and the
status bar's indicator said "edits kept in memory" all the same (`app.save_problems.SaveProblem.kept`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fosp_core.annotation import mask_saves
from fosp_core.annotation.recovery import log_path
from tests.gui.annotation_helpers import drag, key
from tests.gui.journal_fsync_helpers import failing_disk_window
from tests.unit.settle_disk import Gate

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def test_a_let_go_document_s_failed_fsync_says_its_edit_is_in_its_recovery_log(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:
    window, reporter, disk = failing_disk_window(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    gate = Gate(lambda image_id: None)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    monkeypatch.setattr(controller.open_documents.recent, "limit", 1)  # one document kept besides the current
    logs: list[bool] = []
    controller.save_status.reported.connect(lambda _p: logs.append(log_path(project.mask_path(doc.image_id)).exists()))

    key(window, "B", settle=False)
    drag(window, [(100, 300), (200, 300)], settle=False)  # its save held on the save thread
    disk.fail_journal = True
    before = window.session.current_index
    key(window, "PgDown", settle=False)
    qtbot.waitUntil(lambda: window.session.current_index == before + 1 and controller.document is not None,
                    timeout=10000)
    with gate.opened(lambda: project._saver):
        key(window, "PgDown", settle=False)  # lets it go: its save taken, the journal fsync fails
        qtbot.waitUntil(lambda: window.session.current_index == before + 2, timeout=10000)
    assert len(reporter.save_problems) == 1
    told = reporter.save_problems[0]
    assert told.unsaved == (doc.image_id,) and logs == [True]  # the edit was in its log on disk then
    assert "kept in memory" not in told.summary() and "kept in memory" not in told.advice()
    assert told.summary().endswith("; edit kept in its recovery log on disk"), told.summary()
    assert told.advice().startswith(f"The edit of {doc.image_id} is in its recovery log on disk"), told.advice()
