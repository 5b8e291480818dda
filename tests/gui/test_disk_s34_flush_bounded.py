"""`OpenDocuments.flush` on a disk that stopped answering (session 34).

It waited for every project's background saves with no bound, and the window's close called it twice
(`confirm_close`, then `close`) after the dead-disk question (`close_waits.settle_before_close`): a disk that
stopped answering in between froze the window for good. It now waits `timeout` seconds at most (a bound by
default too) and returns the projects still saving; `confirm_close` asks the dead-disk question about them
(Close Anyway lets them go, Cancel keeps the window) and `close` lets them go as Close Anyway does (their saves
left to their thread, their lock left). The mask's write is held on an Event (`tests.gui.dead_disk.DeadDisk`),
released at the end; each test asserts that the call returned while the write is still held."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.annotation import close_waits
from fosp_core.annotation import mask_saves
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag
from tests.gui.dead_disk import DeadDisk
from tests.gui.keyboard_day_helpers import day_window

HELD_S = 30  # the longest the simulated dead disk holds a write (the old flush then goes on, and fails the test)


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def _held_save(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk):  # noqa: ANN001, ANN202
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10_000)
    controller.state.set_tool(Tool.BRUSH)
    window.canvas.setFocus()
    monkeypatch.setattr(mask_saves, "_write", disk.hold(mask_saves._write))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    drag(window, [(100, 100), (200, 120)], settle=False)  # its PNG held by the disk
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    project = controller.project
    assert project is not None
    return window, controller, project


def _answer(button: str, seen: list[str]) -> None:
    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "stuck_saves_question":
            seen.append(box.text())
            next(b for b in box.buttons() if b.text().replace("&", "") == button).click()
        else:
            QTimer.singleShot(20, look)
    QTimer.singleShot(0, look)


def test_flush_returns_the_projects_still_saving_after_its_bound(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    _window, controller, project = _held_save(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    assert controller.open_documents.flush(timeout=0.05) == [project]
    assert not disk.done.is_set(), "flush waited for the write the disk holds"
    disk.released.set()
    assert controller.open_documents.flush() == []


def test_confirm_close_asks_about_a_disk_stuck_since_the_question_and_close_anyway_lets_it_go(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    _window, controller, project = _held_save(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    seen: list[str] = []
    _answer("Close Anyway", seen)
    assert controller.open_documents.confirm_close()  # as after settle_before_close found nothing under way
    assert not disk.done.is_set(), "confirm_close waited for the write the disk holds"
    assert len(seen) == 1 and seen[0].startswith("Waiting for the disk"), seen
    assert project not in controller.registry.projects  # let go: the close waits for nothing of it


def test_confirm_close_with_cancel_keeps_the_project(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    _window, controller, project = _held_save(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    seen: list[str] = []
    _answer("Cancel", seen)
    assert not controller.open_documents.confirm_close()
    assert not disk.done.is_set() and len(seen) == 1
    assert project in controller.registry.projects
    disk.released.set()  # the disk answers: the window's teardown closes it as usual
    qtbot.waitUntil(lambda: not project.saves_under_way(), timeout=20_000)


def test_close_lets_a_project_still_saving_go_without_waiting(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    _window, controller, project = _held_save(qtbot, make_window, demo_dir, tmp_path, monkeypatch, disk)
    controller.close()  # the window's close, once confirmed
    assert not disk.done.is_set(), "the close waited for the write the disk holds"
    assert project not in controller.registry.projects
