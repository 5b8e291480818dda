"""Opening a folder whose project is kept on a network share slow to answer: its recovery logs set aside are listed
where the project is opened, on the open's worker (session 36).

Before, the open's worker opened the project, and the GUI thread, adopting it, listed its mask folder for the logs
an opening set aside (`SaveStatus.opened` -> `SetAsideLogs.listing`: the folder's ``stat``, then
`recovery_aside.unapplied_logs`' ``glob``): the one look at the share left on the GUI thread in
``bench/bench_open_slow_share.py``. `prepare_projects` lists them now (``OpenedProject.set_aside``).

The share is simulated as in `test_stall_s36_open_slow_share` (`Share`): ``Path.resolve`` / ``is_dir`` /
``exists``, ``os.scandir`` and the mask folder's ``os.stat``, held for paths under it until the test releases
them, each call's thread kept; no wall-clock assert.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import opening
from app.main_window import MainWindow
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path

from .conftest import WindowFactory
from .test_stall_s36_open_slow_share import Share
from .test_stall_s36b_switch_images import turns_while_held

HELD_S = 5


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[Share]:
    held = Share(tmp_path / "share", HELD_S)
    yield held
    held.released.set()


def _hold_project_looks(monkeypatch: pytest.MonkeyPatch, share: Share) -> None:
    for name in ("resolve", "is_dir", "exists"):
        monkeypatch.setattr(Path, name, share.hold(name, getattr(Path, name), lambda path, *_: path))
    monkeypatch.setattr(os, "scandir", share.hold("scandir", os.scandir, lambda path=".", *_: path))
    masks = lambda path, *_: path if os.fspath(path).endswith(os.sep + "masks") else ""  # noqa: E731
    monkeypatch.setattr(os, "stat", share.hold("stat", os.stat, masks))


def _window_and_log_aside(make_window: WindowFactory, tmp_path: Path, share: Share,
                          demo_dir: Path) -> tuple[MainWindow, Path, Path, Path]:
    """A window whose projects are kept on the share, a folder of images (not on it) and its project's folder
    there, with a log an earlier opening set aside (its path)."""
    window = make_window(show=True)
    registry = window.annotation.controller.registry
    registry.projects_root = Path(share.root) / "projects"
    folder = shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos").resolve()
    location = registry._location(folder)
    with Project.open(folder, location) as project:
        log = log_path(project.mask_path(project.ids[1]))
    log.write_bytes(b"not a log\n")
    Project.open(folder, location).close()  # that opening set it aside
    aside = log.with_name(log.name + ".unapplied")
    assert aside.is_file()
    return window, folder, location, aside


def _listed_as_before(window: MainWindow, location: Path, aside: Path) -> None:
    status = window.annotation.controller.save_status
    assert [log.path for log in status.set_aside_logs.logs[location]] == [aside]
    assert aside.name in status.set_aside_logs.text() and status.indicator.isVisible()


def test_stall_s36b_open_a_folder_whose_project_is_on_a_held_share(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: Share, demo_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's logs set aside were listed on the GUI thread as it was adopted: now where it is opened."""
    window, folder, location, aside = _window_and_log_aside(make_window, tmp_path, share, demo_dir)
    _hold_project_looks(monkeypatch, share)
    monkeypatch.setattr(opening, "LIST_WAIT_S", 0.05)  # the GUI thread's wait (0.5 s), which the share outlasts
    assert window.open_paths([folder], remember=True) == []  # the open goes on on the worker
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    turns_while_held(qtbot, share)
    with qtbot.waitSignal(window.opener.opened, timeout=60_000) as opened:
        share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    assert len(opened.args[0]) == 4
    _listed_as_before(window, location, aside)


def test_stall_s36b_the_logs_listed_on_the_worker_are_kept_as_when_listed_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: Share, demo_dir: Path) -> None:
    """Nothing held: the open at once, as before; the app comes back to the front: a log discarded meanwhile goes."""
    from app.annotation.set_aside_logs import list_set_aside  # session 36's

    share.released.set()
    window, folder, location, aside = _window_and_log_aside(make_window, tmp_path, share, demo_dir)
    assert len(window.open_paths([folder], remember=True)) == 4
    _listed_as_before(window, location, aside)
    project = window.annotation.controller.registry.lookup(folder / window.session.names[0])
    assert project is not None
    assert list_set_aside(location, project[0].ids).logs == tuple(window.annotation.controller.save_status
                                                                  .set_aside_logs.logs[location])
    aside.unlink()  # discarded in a terminal
    window.annotation.controller.save_status.refresh_set_aside()
    assert location not in window.annotation.controller.save_status.set_aside_logs.logs
