"""A folder of a few thousand images is opened on the worker, not on the GUI thread.

A labelling lead's folder of 2 000 photos (bench/bench_big_folder_day.py) held the GUI thread 250 ms
when opened the first time and 120 ms on each reopen, a folder of 10 000 about a second: `open_paths`
listed it and made (or reopened) its annotation project at once, on the GUI thread, for any open of up
to `app.opening.SYNC_LIMIT` (10 000) images. Making a project reads or writes an entry per image (about
0.1 ms each there), so an open of more than a few hundred images now goes to the worker, with its
progress and Cancel in the status bar. Counted here: on which thread the project is prepared.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import app.open_task as open_task
from app.main_window import MainWindow

from .conftest import WindowFactory
from .linked_folder import linked_demo_folder

IMAGES = 600  # a small day's folder: far below the old limit (10 000), above what the GUI thread makes at once


@pytest.fixture()
def folder(tmp_path: Path, demo_dir: Path) -> Path:
    """IMAGES photos: hard links of the demo's (copies where links are not allowed)."""
    return linked_demo_folder(tmp_path / "day", demo_dir, IMAGES)


def test_a_folder_of_hundreds_of_images_makes_its_project_off_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = open_task.prepare_projects

    def prepare(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(open_task, "prepare_projects", prepare)
    window: MainWindow = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    assert window.open_paths([folder], remember=False) == []  # goes on in the background
    assert window.opener.busy and window.opener.progress.isVisible()  # with its progress and Cancel
    assert window.opener.wait(60)
    assert threads and threading.main_thread().name not in threads, threads
    assert len(window.session) == IMAGES
    qtbot.waitUntil(lambda: window.annotation.worklist.model.rowCount() == IMAGES, timeout=20_000)


def test_the_folder_handed_to_the_worker_is_listed_once(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI thread lists the folder (up to a few thousand entries it cannot stop within), finds it too big
    and hands the worker that listing: the worker only makes the project, it does not list the folder again."""
    listed: list[str] = []
    real = open_task.collect_image_paths

    def collect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        listed.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(open_task, "collect_image_paths", collect)
    window: MainWindow = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    assert window.open_paths([folder], remember=False) == []
    assert window.opener.wait(60)
    assert len(listed) == 1, listed
    assert len(window.session) == IMAGES and window.session.errors == ()
    assert window.annotation.controller.registry.lookup(folder / "frame_0000.jpg") is not None  # its project


def test_a_few_images_still_open_at_once(qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path) -> None:
    window: MainWindow = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    folder = shutil.copytree(demo_dir / "JPEGImages", tmp_path / "demo")
    assert len(window.open_paths([folder], remember=False)) == 4  # done before open_paths returns
