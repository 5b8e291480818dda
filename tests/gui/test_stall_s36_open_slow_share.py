"""Opening a small folder on a network share slow to answer keeps the window turning (session 36).

Session 35 moved the listing of an open off the GUI thread. Still on it, for every open: the opened path's
``is_dir`` / ``resolve`` (`app.open_task.gather`, its folders and its listing's source), the source folder looked
up again as the open was applied (`ProjectRegistry.open_for`), the recent list's ``resolve`` (`RecentPaths.add`),
and for a small open (up to `app.opening.SYNC_LIMIT` images) the creation of its project (a folder and its files):
each could hold the window for as long as the share took to answer. They are the open's worker's now; the GUI
thread waits `app.opening.LIST_WAIT_S` at most for a small open to be done, then leaves it to the worker.

The slow share is simulated: the calls named are held for paths under the share's folder until the test releases
them (`Share`, at most `HELD_S`, so that a failing test ends), each call's thread recorded (an image file's own look-ups, when it is shown, are not the open's and pass). That
the event loop
turns while they are held is shown by a timer firing then; no wall-clock assert.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

import app.open_task as open_task
from app import opening
from app.main_window import MainWindow
from fosp_core.io.image_files import IMAGE_EXTENSIONS

from .conftest import WindowFactory

HELD_S = 5  # the longest the share holds a call (the old code then goes on, and fails the test)
GUI = threading.main_thread().name


class Share:
    """A folder whose file-system calls (those `hold` wraps) wait until `released` (or `held_s`), each
    call's thread kept in `threads` (by name of the call)."""

    def __init__(self, root: Path, held_s: float) -> None:
        self.root, self.held_s = str(root), held_s
        self.stuck, self.released = threading.Event(), threading.Event()
        self.threads: dict[str, list[str]] = {}

    def under(self, path: object) -> bool:
        """Whether `path` is the share's or a folder or file under it, not an image file: an image's own look-ups
        (the image shown, on whichever thread reads it) are not the open's."""
        text = str(path)
        inside = text == self.root or text.startswith(self.root + "/")
        return inside and not text.lower().endswith(IMAGE_EXTENSIONS)

    def hold(self, name: str, real: Callable[..., object], first: Callable[..., object]) -> Callable[..., object]:
        """`real` held when `first(*args)` is a path under the share."""
        share = self

        def held(*args: object, **kwargs: object) -> object:
            if args and share.under(first(*args)):
                share.threads.setdefault(name, []).append(threading.current_thread().name)
                share.stuck.set()
                share.released.wait(share.held_s)
            return real(*args, **kwargs)

        return held

    def on_gui(self) -> dict[str, int]:
        """{call: how many times the GUI thread made it}."""
        return {name: threads.count(GUI) for name, threads in self.threads.items() if GUI in threads}


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[Share]:
    held = Share(tmp_path / "share", HELD_S)
    yield held
    held.released.set()


@pytest.fixture()
def folder(share: Share, demo_dir: Path) -> Path:
    return shutil.copytree(demo_dir / "JPEGImages", Path(share.root) / "photos")


def _window(make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # outside the share
    return window


def _short_list_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI thread's wait for a small open (`opening.LIST_WAIT_S`, 0.5 s) shortened where the share holds
    the open past it anyway: the same path, less waiting (not where the share answers: that open is at once)."""
    monkeypatch.setattr(opening, "LIST_WAIT_S", 0.05)


def _turns_while_held(qtbot, share: Share) -> None:  # noqa: ANN001
    """The event loop runs (a timer fires) while the share still holds its calls."""
    ticks: list[bool] = []
    QTimer.singleShot(0, lambda: ticks.append(not share.released.is_set()))
    qtbot.waitUntil(lambda: bool(ticks), timeout=(HELD_S + 10) * 1000)
    assert ticks == [True]


def _opened_as_before(window: MainWindow, folder: Path, opened: list[Path]) -> None:
    """Images listed, the first shown, the project made, the recent list given the resolved folder."""
    assert len(opened) == 4 and len(window.session) == 4 and window.session.errors == ()
    assert window.session.current_path == folder.resolve() / window.session.names[0]
    registry = window.annotation.controller.registry
    assert registry.lookup(folder / window.session.names[0]) is not None  # its project
    assert window.recent.paths()[0] == folder.resolve()
    assert not window.opener.busy and not window.opener.progress.isVisible()


def test_stall_s36_open_a_small_folder_whose_share_holds_resolve_and_is_dir(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`gather`'s folders (``is_dir``, ``resolve``), `ProjectRegistry.open_for`'s source look-up and
    `RecentPaths.add`'s ``resolve`` ran on the GUI thread: a share that does not answer held the window there."""
    window = _window(make_window, tmp_path)
    _short_list_wait(monkeypatch)
    for name in ("resolve", "is_dir", "exists"):
        monkeypatch.setattr(Path, name, share.hold(name, getattr(Path, name), lambda path, *_: path))
    assert window.open_paths([folder], remember=True) == []  # the open goes on on the worker
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    _turns_while_held(qtbot, share)
    assert window.opener.busy and window.opener.progress.isVisible()
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    _opened_as_before(window, folder, opened.args[0])


def test_stall_s36_open_a_small_folder_whose_project_creation_is_held(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A small open (up to `SYNC_LIMIT` images, listed in time) made its project (a folder and its files) on the
    GUI thread: a share slow to write held the window there."""
    window = _window(make_window, tmp_path)
    _short_list_wait(monkeypatch)

    def first_source(sources, *_):  # noqa: ANN001, ANN002, ANN202
        sources = list(sources)
        return sources[0][0] if sources else ""

    monkeypatch.setattr(open_task, "prepare_projects",
                        share.hold("prepare_projects", open_task.prepare_projects, first_source))
    assert window.open_paths([folder], remember=True) == []  # the open goes on on the worker
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    _turns_while_held(qtbot, share)
    assert window.opener.busy and window.opener.progress.isVisible()
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    assert share.threads["prepare_projects"], "the project was not made by the open"
    _opened_as_before(window, folder, opened.args[0])


def test_stall_s36_a_small_folder_on_a_share_that_answers_still_opens_at_once(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing held: the open is done before `open_paths` returns, as before, its disk calls on the worker."""
    share.released.set()
    window = _window(make_window, tmp_path)
    for name in ("resolve", "is_dir", "exists"):
        monkeypatch.setattr(Path, name, share.hold(name, getattr(Path, name), lambda path, *_: path))
    opened = window.open_paths([folder], remember=True)
    assert share.on_gui() == {}, share.on_gui()
    _opened_as_before(window, folder, opened)


def _hold_looks(monkeypatch: pytest.MonkeyPatch, share: Share) -> None:
    for name in ("resolve", "is_dir", "exists"):
        monkeypatch.setattr(Path, name, share.hold(name, getattr(Path, name), lambda path, *_: path))


def test_stall_s36_open_a_folder_again_on_a_held_share_joins_without_looking_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder whose project is open, opened again (an image added since): which project, whether it is a folder
    and whether it changed (`ProjectRegistry._join`) were looked at on the GUI thread as the open was applied."""
    window = _window(make_window, tmp_path)
    assert len(window.open_paths([folder], remember=True)) == 4  # nothing held: at once, as before
    added = folder / "zz_added.jpg"
    shutil.copyfile(next(folder.glob("*.jpg")), added)
    _hold_looks(monkeypatch, share)
    _short_list_wait(monkeypatch)
    assert window.open_paths([folder], remember=True) == []  # the open goes on on the worker
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    _turns_while_held(qtbot, share)
    with qtbot.waitSignal(window.opener.opened, timeout=30_000):
        share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    registry = window.annotation.controller.registry
    assert len(registry.projects) == 1 and registry.lookup(added) is not None  # joined the project open
    assert window.recent.paths()[0] == folder.resolve()


def test_stall_s36_open_an_image_alone_on_a_held_share(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An image opened alone: its folder's project is looked for (`project_source`: the folders around it) on the
    worker, not again on the GUI thread as the open is applied."""
    window = _window(make_window, tmp_path)
    _short_list_wait(monkeypatch)
    image = sorted(folder.glob("*.jpg"))[0]
    _hold_looks(monkeypatch, share)
    assert window.open_paths([image], remember=True) == []  # the open goes on on the worker
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    _turns_while_held(qtbot, share)
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    assert len(opened.args[0]) == 1 and window.session.current_path == image.resolve()
    assert window.annotation.controller.registry.lookup(image) is not None  # its folder's project
    assert window.recent.paths()[0] == image.resolve()
