"""A nearly full disk where a journal line still fits but a whole ``project.json`` does not: the
rewrite (the journal's compaction, on a worker thread) fails, every edit is still saved in the
journal, and the window says so where the save status is shown - what it means and what to do -
until a later rewrite works."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.services import CollectingErrorReporter
from fosp_core.annotation import project as project_module
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


def test_a_project_file_behind_its_journal_is_shown_until_a_rewrite_works(qtbot, make_window, demo_dir: Path,
                                                                            tmp_path: Path, monkeypatch) -> None:
    reporter = CollectingErrorReporter()
    window = demo_window(qtbot, make_window, demo_dir, tmp_path, error_reporter=reporter)
    controller = window.annotation.controller
    project, doc, indicator = controller.project, controller.document, controller.save_status.indicator
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 2)
    faults = Faults(monkeypatch)
    faults.fail("project.json", "half", errno.ENOSPC)
    key(window, "B")
    for y in (100, 140, 180):  # the third save finds the journal due: the rewrite fails
        drag(window, [(100, y), (200, y)])
    qtbot.waitUntil(lambda: project.compaction_error is not None and indicator.isVisible(), timeout=10000)
    assert faults.hits and project.is_saved(doc)
    assert "edits safe" in indicator.text() and "free disk space" in indicator.text()
    assert "disk full" in indicator.text()
    tip = indicator.toolTip()
    assert "Your edits are saved" in tip and "nothing is lost" in tip and "free some disk space" in tip
    assert str(project.folder) in tip
    assert "project file could not be updated" in window.statusBar().currentMessage()
    assert not reporter.save_problems and not reporter.errors  # no edit is unsaved: not a failed save

    faults.clear()  # room again: the next try (`compaction_retry_lines` saves later) works
    for y in (220, 260):
        drag(window, [(100, y), (200, y)])
    qtbot.waitUntil(lambda: project.compaction_error is None and not project.compacting, timeout=10000)
    qtbot.waitUntil(lambda: not indicator.isVisible(), timeout=10000)
    assert "Project file up to date again" in window.statusBar().currentMessage()
    assert project.is_saved(doc)


def test_an_import_whose_rewrite_fails_is_told_when_it_ends(qtbot, make_window, demo_dir: Path,
                                                            tmp_path: Path, monkeypatch) -> None:
    """Import Labels saves in a batch, whose end rewrites project.json once: when that fails the
    window says so at once (it did only at the next save or project open)."""
    reporter = CollectingErrorReporter()
    window = demo_window(qtbot, make_window, demo_dir, tmp_path, error_reporter=reporter)
    controller = window.annotation.controller
    project, indicator = controller.project, controller.save_status.indicator
    faults = Faults(monkeypatch)
    faults.fail("project.json", "write", errno.ENOSPC)
    assert window.annotation.import_labels(None) > 0
    assert faults.hits and project.compaction_error is not None
    assert indicator.isVisible() and "edits safe" in indicator.text() and "disk full" in indicator.text()
    assert controller.save_status.behind_projects == {project.folder: project.compaction_error.reason}
    assert not reporter.save_problems and not reporter.errors  # every mask is saved: no failed save
