"""Import Labels saves in a batch on its ``fosp-import-labels`` thread; the batch's end emits the project's
"compacted" / "compaction_failed" event on that thread. The controller handed it straight to the save
status, whose widgets (the indicator, the status bar) were then touched off the GUI thread: a SIGSEGV
was seen in a serial GUI run (tests/gui/test_project_file_behind.py). The event is now taken on the GUI
thread: every call into the save status comes from it."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest

from app.annotation.save_status import SaveStatus
from app.services import CollectingErrorReporter
from tests.gui.annotation_helpers import demo_window
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


@pytest.mark.parametrize("fail", [False, True])
def test_a_batch_ended_on_the_import_thread_reaches_the_save_status_on_the_gui_thread(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, fail: bool) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path, error_reporter=CollectingErrorReporter())
    controller = window.annotation.controller
    project = controller.project
    threads: list[str] = []
    real_behind = SaveStatus.behind

    def behind(self: SaveStatus, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return real_behind(self, *args, **kwargs)

    monkeypatch.setattr(SaveStatus, "behind", behind)
    if fail:
        Faults(monkeypatch).fail("project.json", "write", errno.ENOSPC)
    assert window.annotation.import_labels(None) > 0
    qtbot.waitUntil(lambda: bool(threads) and (not fail or controller.save_status.indicator.isVisible()),
                    timeout=10000)
    assert set(threads) == {threading.main_thread().name}, threads
    assert (project.compaction_error is not None) == fail
    if fail:
        assert controller.save_status.behind_projects == {project.folder: project.compaction_error.reason}
