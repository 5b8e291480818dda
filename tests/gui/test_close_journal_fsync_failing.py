"""Closing the window while the disk fails every journal fsync (EIO, on the save thread and on the GUI
thread's save of what is not saved): the window asks what to do with the edit not saved, and its words
pointed at the wrong cause - "Make <project folder> writable again" for a folder that is writable, on a
disk that reported an I/O error. They say to check the disk now, and Discard leaves the edit in its
recovery log (the next opening applies it), as the question says."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest

from app.annotation.close_question import CloseChoice
from app.save_problems import SaveProblem
from fosp_core.annotation.project_files import JOURNAL_FILE
from fosp_core.annotation.recovery import log_path
from tests.gui.annotation_helpers import drag, key
from tests.gui.journal_fsync_helpers import failing_disk_window

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def test_closing_while_every_journal_fsync_fails_points_at_the_disk(qtbot, make_window, demo_dir: Path,
                                                                    tmp_path: Path, monkeypatch) -> None:
    window, reporter, disk = failing_disk_window(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    on_save_thread = disk.fsync
    failed: list[int] = []

    def failing_disk(fd: int) -> None:  # the journal's fsync fails on every thread (a failing disk)
        if os.readlink(f"/proc/self/fd/{fd}").endswith(JOURNAL_FILE):
            failed.append(fd)
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        on_save_thread(fd)

    monkeypatch.setattr(os, "fsync", failing_disk)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    asked: list[SaveProblem] = []

    def ask(_parent: object, problem: SaveProblem) -> CloseChoice:
        asked.append(problem)
        return CloseChoice.RETRY if len(asked) == 1 else CloseChoice.DISCARD

    controller.save_status.ask = ask
    assert controller.confirm_close(window), "Discard: the window may close"
    assert failed and len(asked) == 2, "Retry fails again on this disk, then Discard"
    for problem in asked:
        assert problem.unsaved == (doc.image_id,)
        assert "writable" not in problem.fix(), problem.fix()
        assert problem.fix().startswith(f"Check the disk that holds {project.folder}"), problem.fix()
    window.close()
    assert not reporter.lost, "discarded: not told lost"
    assert log_path(project.mask_path(doc.image_id)).exists(), "Discard said the recovery log keeps the edit"
