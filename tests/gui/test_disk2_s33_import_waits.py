"""Import Labels on a disk that stops answering (session 33, after the dead-disk work of
`test_disk_s33_dead_disk_window`).

Starting an import finished the project's saves under way and its background ``project.json`` rewrite on the
GUI thread with no bound (`LabelImports._hold_tools`: ``finish_saves(wait=True)``,
``finish_compaction(wait=True)``): a mask save held by a dead disk froze the window for good. The import now
starts once they ended, looked at every `SAVES_LOOK_MS` (the first look at once), the progress dialog saying
it waits for the disk meanwhile; Cancel ends it then, nothing imported. The dead disk is simulated as there
(the PNG's write, or the rewrite, blocks on an Event released at the end); that the event loop turns is shown
by a timer firing while it is stuck, no wall-clock assert. Closing the window while the import's own mask
write was held waited for it for good (`LabelImports.close`): the import is now left its project after a
short wait (as Close Anyway leaves a project whose saves are held)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.annotation import label_import
from fosp_core.annotation import mask_saves
from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import demo_window, drag
from tests.gui.test_disk_s33_dead_disk_window import DeadDisk, _stroke, _turns_while


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk()
    yield dead
    dead.released.set()


def _import_behind_a_stuck_save(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch,  # noqa: ANN001, ANN202
                                disk: DeadDisk):
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: disk.hold(real, job))
    drag(window, [(100, 100), (200, 120)], settle=False)  # its PNG held by the disk
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    imports = window.annotation.imports
    assert window.annotation.start_import(demo_dir)
    return window, controller, imports


def test_import_with_a_save_stuck_waits_for_it_without_freezing_the_window(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, _controller, imports = _import_behind_a_stuck_save(qtbot, make_window, demo_dir, tmp_path,
                                                               monkeypatch, disk)
    assert _turns_while(qtbot, disk), "Import Labels waited for the disk on the GUI thread"
    job = imports.job
    assert job is not None and not job.thread.is_alive() and not job.done.is_set()  # not started yet
    assert imports.dialog is not None and "waiting for the disk" in imports.dialog.labelText()
    assert not window.annotation.start_import(demo_dir)  # a second is refused meanwhile, as while it runs
    disk.released.set()
    report = imports.wait()
    assert report is not None and not report.cancelled and report.imported
    assert job.done.is_set()


def test_cancel_while_the_import_waits_for_the_disk_ends_it_nothing_imported(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    _window, controller, imports = _import_behind_a_stuck_save(qtbot, make_window, demo_dir, tmp_path,
                                                               monkeypatch, disk)
    told: list[str] = []
    controller.message.connect(lambda text, *_: told.append(text))
    job = imports.job
    assert job is not None and not disk.done.is_set()
    ended: list[object] = []
    imports.ended.connect(ended.append)
    assert imports.dialog is not None
    imports.dialog.canceled.emit()  # its Cancel button
    assert ended == [None] and imports.job is None and imports.dialog is None
    assert any("nothing imported" in text for text in told), told
    assert not disk.done.is_set()
    disk.released.set()
    qtbot.waitUntil(disk.done.is_set, timeout=20_000)
    qtbot.wait(200)  # any look still queued has had its turn: the job never starts
    assert not job.thread.is_alive() and not job.done.is_set()
    assert controller.attached_key != imports.held_key  # the tools have their image back


def test_closing_while_the_import_waits_for_the_disk_does_not_wait(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    _window, _controller, imports = _import_behind_a_stuck_save(qtbot, make_window, demo_dir, tmp_path,
                                                                monkeypatch, disk)
    job = imports.job
    assert job is not None
    closed = threading.Event()
    threading.Timer(30, lambda: None if closed.is_set() else disk.released.set()).start()  # a hang fails, not hangs
    imports.close()  # the window closing: the job never started, nothing to wait for
    closed.set()
    assert not disk.done.is_set(), "closing waited for the import's start"
    assert imports.job is None and not job.thread.is_alive()
    disk.released.set()
    project = job.project
    qtbot.waitUntil(lambda: project.saves_settle(0.0), timeout=20_000)  # then the window closes as usual


def test_import_with_a_project_rewrite_stuck_waits_for_it_without_freezing_the_window(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    project = controller.project
    assert project is not None
    qtbot.waitUntil(lambda: not project.saves_under_way(), timeout=20_000)
    stand_in = _StuckRewrite(project, disk)  # a background rewrite of project.json held by the disk
    monkeypatch.setattr(project, "_rewrite", stand_in)
    monkeypatch.setattr(project, "finish_compaction", stand_in.finish)
    assert project.compacting
    imports = window.annotation.imports
    assert window.annotation.start_import(demo_dir)
    assert _turns_while(qtbot, disk), "Import Labels waited for the project.json rewrite on the GUI thread"
    job = imports.job
    assert job is not None and not job.thread.is_alive()
    disk.released.set()
    report = imports.wait()
    assert report is not None and report.imported


class _StuckRewrite:
    """A background rewrite whose write the dead disk holds: `finish` is `Project.finish_compaction`'s stand-in
    (wait: blocks until the disk answers), and it clears the project's rewrite once taken."""

    def __init__(self, project: Project, disk: DeadDisk) -> None:
        self.project, self.disk = project, disk
        disk.stuck.set()

    @property
    def done(self) -> bool:
        return self.disk.released.is_set()

    def finish(self, wait: bool = False) -> bool:
        if not (self.done or wait):
            return False
        self.disk.hold(lambda: None)
        self.project._rewrite = None  # taken: the project no longer compacting
        return True


def test_closing_while_the_import_s_mask_write_is_stuck_leaves_it_its_project(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    monkeypatch.setattr(label_import, "CLOSE_WAIT_S", 0.05)  # the close's wait (2 s) for the held write: its end
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    real = Project.save_mask
    monkeypatch.setattr(Project, "save_mask", lambda *a, **k: disk.hold(lambda: real(*a, **k)))
    imports, registry = window.annotation.imports, window.annotation.controller.registry
    assert window.annotation.start_import(demo_dir)
    job = imports.job
    assert job is not None
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)  # the import's first mask held by the disk
    window.close()  # cancels the import: it stops after the mask being written, which the disk holds
    assert not disk.done.is_set(), "the close waited for the import's mask write"
    assert not window.isVisible()
    assert job.project not in registry.projects  # left to the import's thread: not closed under it
    disk.released.set()
    assert job.done.wait(30)  # the import stops once the disk answers
