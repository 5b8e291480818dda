"""A project whose lock another holder took over while this window had it open (here: a second
`ProjectLock` of this process, as another window's Take Over… writes it) is shown read-only as soon as
a save finds it out, as a project opened locked is: the read-only line and Take Over… in the Annotate
dock, the editing actions off, the status bar's "Read-only project: ...", and the failed save told
with the file its committed mask was rescued to. A stroke after it changes nothing; Take Over…, once
the other holder let the project go, makes it writable again.
"""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.annotation.storage import ProjectLock
from fosp_core.annotation.tool_state import Tool
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import demo_project, drag, open_and_wait, settle_saves
from tests.unit.disk_faults import Faults


def _open(qtbot, window: MainWindow, demo_dir: Path, tmp_path: Path) -> tuple[Path, list[str]]:  # noqa: ANN001
    demo, location = demo_project(window, demo_dir, tmp_path)
    open_and_wait(qtbot, window, demo)
    controller = window.annotation.controller
    controller.state.set_tool(Tool.BRUSH)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    assert controller.project is not None and not controller.project.read_only
    assert not window.annotation.actions.take_over.isEnabled()
    return location, said


def _shown_read_only(window: MainWindow, said: list[str], image_id: str) -> Path:
    """The window shows the project read-only after a take-over; returns the rescued mask file told."""
    controller, actions = window.annotation.controller, window.annotation.actions
    project = controller.project
    assert project is not None and project.read_only and project.locked_by is not None
    dock = window.annotation.tool_dock.status_label.text()
    assert "read-only: taken over since it was opened" in dock and "href='take-over'" in dock, dock
    assert actions.take_over.isEnabled()
    for action in (actions.accept, actions.fill_holes, actions.mark_reviewed, actions.tools[Tool.WAND]):
        assert not action.isEnabled(), action.text()
    assert any(text.startswith("Read-only project: taken over since it was opened") for text in said), said
    told = [e.reason for e in window.services.error_reporter.errors]
    assert len(told) == 1 and "taken over" in told[0], told
    rescued = sorted((project.folder / "rescued").glob(f"{image_id}.*.png"))
    assert len(rescued) == 1 and str(rescued[0]) in told[0], (rescued, told)
    return rescued[0]


def _stroke_refused(window: MainWindow, location: Path) -> None:
    controller = window.annotation.controller
    doc = controller.document
    assert doc is not None
    mask, files = doc.mask.copy(), sorted(p.name for p in location.rglob("*"))
    drag(window, [(300, 300), (360, 340)])
    assert np.array_equal(doc.mask, mask)  # refused: a read-only project's document
    assert sorted(p.name for p in location.rglob("*")) == files


def _take_over_again(window: MainWindow, other: ProjectLock, location: Path) -> None:
    """The other holder lets go; Take Over… here makes the project writable, a stroke is saved."""
    other.release()
    window.annotation.actions.take_over.trigger()
    controller = window.annotation.controller
    project = controller.project
    assert project is not None and not project.read_only
    assert not window.annotation.actions.take_over.isEnabled()
    drag(window, [(400, 100), (450, 150)])
    doc = controller.document
    assert doc is not None and project.is_saved(doc)
    assert np.array_equal(read_mask(location / "masks" / f"{doc.image_id}.png"), doc.mask)


def test_a_take_over_found_at_a_commit_shows_the_project_read_only(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    location, said = _open(qtbot, window, demo_dir, tmp_path)
    other = ProjectLock(location / "lock")
    assert other.acquire(break_lock=True) is None  # the other holder takes the project
    try:
        drag(window, [(40, 40), (90, 90)])  # committed after the take-over
        doc = window.annotation.controller.document
        assert doc is not None
        rescued = _shown_read_only(window, said, doc.image_id)
        assert np.array_equal(read_mask(rescued), doc.mask)
        _stroke_refused(window, location)
        _take_over_again(window, other, location)
    finally:
        other.release()


def test_a_take_over_found_by_a_background_save_shows_the_project_read_only(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, held: threading.Event) -> None:
    window = make_window(show=True)
    location, said = _open(qtbot, window, demo_dir, tmp_path)
    drag(window, [(40, 40), (90, 90)], settle=False)  # committed; its PNG held on the save thread
    doc = window.annotation.controller.document
    assert doc is not None
    other = ProjectLock(location / "lock")
    assert other.acquire(break_lock=True) is None  # taken over while the PNG waits
    try:
        held.set()
        settle_saves(window)
        rescued = _shown_read_only(window, said, doc.image_id)
        assert np.array_equal(read_mask(rescued), doc.mask)
        _stroke_refused(window, location)
        _take_over_again(window, other, location)
    finally:
        other.release()


def test_a_save_written_just_before_the_take_over_has_the_open_image_rescued(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Its PNG was written before the lock was taken, the take-over found when its end was taken: the
    save had no mask at hand ('kept in the open image only'); the window rescues the open document's."""
    window = make_window(show=True)
    location, said = _open(qtbot, window, demo_dir, tmp_path)
    controller = window.annotation.controller
    drag(window, [(40, 40), (90, 90)], settle=False)
    doc, project = controller.document, controller.project
    assert doc is not None and project is not None and project._saver is not None
    project._saver.wait()  # the PNG written; its end not taken yet
    other = ProjectLock(location / "lock")
    assert other.acquire(break_lock=True) is None
    try:
        settle_saves(window)
        rescued = _shown_read_only(window, said, doc.image_id)
        assert np.array_equal(read_mask(rescued), doc.mask)
        told = window.services.error_reporter.errors[0].reason
        assert "kept in the open image only" not in told, told
    finally:
        other.release()


def test_edits_not_saved_before_the_take_over_are_not_told_saved_after_it(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit whose save failed (disk full) leaves the count of edits not saved when the project
    turns read-only: it was not saved for that, and the window must not say 'All edits saved'."""
    window = make_window(show=True)
    location, said = _open(qtbot, window, demo_dir, tmp_path)
    controller = window.annotation.controller
    doc = controller.document
    assert doc is not None
    faults = Faults(monkeypatch)
    faults.fail(f"{doc.image_id}.png", "write", errno.ENOSPC)
    drag(window, [(40, 40), (90, 90)])
    reporter = window.services.error_reporter
    assert reporter.save_problem is not None and reporter.save_problem.unsaved == (doc.image_id,)
    faults.clear()
    other = ProjectLock(location / "lock")
    assert other.acquire(break_lock=True) is None
    try:
        drag(window, [(140, 140), (190, 190)])  # the take-over found
        assert not any("All edits saved" in text or "on disk now" in text for text in said), said
        assert not window.annotation.controller.save_status.indicator.isVisible()  # no count, no 'all saved'
        assert any(text.startswith("Read-only project: taken over") for text in said), said
    finally:
        other.release()
