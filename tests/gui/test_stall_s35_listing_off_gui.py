"""Opening a folder on a disk slow to list (a network share, a disk that stopped answering) keeps the window
turning (session 35).

`Opener.open` listed the folder on the GUI thread first (up to 4 000 images: `_gather_now`), to open a small one
at once and hand a big one to the worker: on a slow disk the window froze for as long as the listing took. The
listing is the worker's now; the GUI thread waits for it `app.opening.LIST_WAIT_S` at most (a small folder on a
disk that answers is still opened at once), then leaves the open to the worker, with its progress and Cancel,
the folder listed once.

The slow disk is simulated: ``collect_image_paths`` (where `app.open_task` calls it) is held until the test
releases it (`tests.gui.dead_disk.DeadDisk`, at most `HELD_S`, so that a failing test ends). That the event loop
turns while it is held is shown by a timer firing then; no wall-clock assert."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

import app.open_task as open_task
from app import opening
from app.annotation import projects
from app.main_window import MainWindow
from tests.gui.dead_disk import DeadDisk

from .conftest import WindowFactory

HELD_S = 5  # the longest the simulated disk holds the listing (the old code then goes on, and fails the test)


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


@pytest.fixture()
def folder(tmp_path: Path, demo_dir: Path) -> Path:
    return shutil.copytree(demo_dir / "JPEGImages", tmp_path / "share")


def _window(make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    return window


def _listed_on(monkeypatch: pytest.MonkeyPatch, disk: DeadDisk | None = None) -> list[str]:
    """The threads `collect_image_paths` runs on (held by `disk` when given)."""
    threads: list[str] = []
    real = open_task.collect_image_paths

    def collect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threads.append(threading.current_thread().name)
        if disk is None:
            return real(*args, **kwargs)
        disk.stuck.set()
        disk.released.wait(disk.held_s)
        try:
            return real(*args, **kwargs)
        finally:
            disk.done.set()

    monkeypatch.setattr(open_task, "collect_image_paths", collect)
    if disk is not None:  # the GUI thread's wait for a small open (0.5 s), which the held listing outlasts
        monkeypatch.setattr(opening, "LIST_WAIT_S", 0.05)
    return threads


def test_stall_s35_a_folder_slow_to_list_leaves_the_event_loop_turning(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        disk: DeadDisk) -> None:
    window = _window(make_window, tmp_path)
    threads = _listed_on(monkeypatch, disk)
    assert window.open_paths([folder], remember=False) == []  # the open goes on on the worker
    assert not disk.done.is_set(), "the open waited for the listing the disk holds"
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    assert threading.main_thread().name not in threads, threads
    progress = window.opener.progress
    assert window.opener.busy and progress.isVisible() and progress.label.text() == "Opening share …"
    ticks: list[bool] = []
    QTimer.singleShot(0, lambda: ticks.append(not disk.done.is_set()))  # the event loop turns, the listing held
    qtbot.waitUntil(lambda: bool(ticks), timeout=(HELD_S + 10) * 1000)
    assert ticks == [True]
    with qtbot.waitSignal(window.opener.opened, timeout=20_000) as opened:
        disk.released.set()
    assert len(opened.args[0]) == 4 and len(window.session) == 4
    assert window.session.current_path == folder.resolve() / window.session.names[0]  # its first image shown
    assert len(threads) == 1  # listed once, on the worker
    assert not progress.isVisible()


def _open_on_a_held_share(qtbot, window, folder: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                          disk: DeadDisk) -> list:
    """Open `folder` while the share holds its listing and every look at the folder: the open returns at
    once, no look is made on the GUI thread; the images opened once the share answers."""
    _listed_on(monkeypatch, disk)  # the share holds the listing ...
    looked_up: list[str] = []
    real = projects.ProjectRegistry._source

    def source(raw):  # noqa: ANN001, ANN202 - ... and every look at the folder
        looked_up.append(threading.current_thread().name)
        disk.released.wait(disk.held_s)
        return real(raw)

    monkeypatch.setattr(projects.ProjectRegistry, "_source", staticmethod(source))
    assert window.open_paths([folder], remember=False) == []
    assert not disk.done.is_set(), "the open waited for the share"
    assert threading.main_thread().name not in looked_up, looked_up
    with qtbot.waitSignal(window.opener.opened, timeout=20_000) as opened:
        disk.released.set()
    return opened.args[0]


def test_stall_s35_the_project_of_a_folder_on_a_share_that_does_not_answer_is_looked_up_on_the_worker(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        disk: DeadDisk) -> None:
    """Which project a folder opens (`ProjectRegistry.pending`: its source folder, stat and resolve) was asked on
    the GUI thread as the worker started: a share that does not answer held the window there."""
    window = _window(make_window, tmp_path)
    opened = _open_on_a_held_share(qtbot, window, folder, monkeypatch, disk)
    assert len(opened) == 4
    assert window.annotation.controller.registry.lookup(folder / window.session.names[0]) is not None  # its project


def test_stall_s35_with_a_dataset_open_the_datasets_a_folder_joins_are_looked_up_on_the_worker(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, folder: Path,
        monkeypatch: pytest.MonkeyPatch, disk: DeadDisk) -> None:
    """With a dataset's project open, which datasets an open joins (`ProjectRegistry.open_datasets`: each path's
    folder looked at) was asked on the GUI thread as the worker started: a share that does not answer held the
    window there."""
    window = _window(make_window, tmp_path)
    dataset = shutil.copytree(demo_dir, tmp_path / "dataset")
    assert len(window.open_paths([dataset], remember=False)) == 4  # a SmokeSeg dataset's project, open
    opened = _open_on_a_held_share(qtbot, window, folder, monkeypatch, disk)
    assert len(opened) == 4 and len(window.session) == 8


def test_stall_s35_cancel_while_the_listing_is_held_leaves_the_window_as_it_was(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        disk: DeadDisk) -> None:
    window = _window(make_window, tmp_path)
    _listed_on(monkeypatch, disk)
    window.open_paths([folder], remember=False)
    assert not disk.done.is_set(), "the open waited for the listing the disk holds"
    assert window.opener.cancel()
    assert not window.opener.busy and window.statusBar().currentMessage() == "Opening cancelled"
    disk.released.set()
    qtbot.waitUntil(lambda: not window.opener.running, timeout=20_000)
    qtbot.wait(50)  # anything still queued for the GUI thread arrives (and is dropped)
    assert len(window.session) == 0 and window.session.errors == ()
    assert window.annotation.controller.registry.projects == []  # none opened, none left open


def test_stall_s35_a_small_folder_on_a_disk_that_answers_still_opens_at_once(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(make_window, tmp_path)
    threads = _listed_on(monkeypatch)
    assert len(window.open_paths([folder], remember=False)) == 4  # done before open_paths returns
    assert threads == [threads[0]] and threads[0] != threading.main_thread().name  # listed once, on the worker
    assert window.session.current_path is not None and not window.opener.busy
