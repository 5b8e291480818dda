"""Take Over on a network share slow to answer: the project's reopening taking the lock (`Project.open` of its
folder: ``project.json``, the journal, the lock, its images root resolved, a ``stat`` of the source folder; then each
image's path resolved for the registry's map) ran on the GUI thread after the question, at an open
(`LockPrompt.resolve`) and from Annotate ▸ Take Over… (`LockPrompt.take_over_later`); on a share that stopped
answering it froze the window (session 37, N4; `test_stall_s36d_take_over_kept_where` left it there).

It runs on a thread of its own now (`app.annotation.take_over_wait`); the GUI thread waits for it half a second at
most (a disk that answers: taken over at once, as before), then shows a window-modal wait with Stop Waiting and goes
on when the reopening ends: the project shown taken over, its documents opened again. Stopped, the project stays
read-only. The share is simulated as in `test_stall_s36_open_slow_share` (`Share`: ``os.stat``, ``Path.resolve`` and
``os.path.realpath`` held for the share's folders until released, each call's thread kept); no wall-clock assert."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from app.main_window import MainWindow
from fosp_core.annotation.storage import LockInfo

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory
from .test_shared_project_gui import _Answers
from .test_stall_s36_open_slow_share import Share
from .test_stall_s36b_switch_images import turns_while_held

pytestmark = pytest.mark.skipif(os.name != "posix", reason="as test_take_over_later")

HELD_S = 5
WAIT_MS = 30_000
LOCK = {"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[Share]:
    held = Share(tmp_path / "share", HELD_S)
    yield held
    held.released.set()


def _hold(monkeypatch: pytest.MonkeyPatch, share: Share) -> None:
    """The share's folders' ``stat`` and resolving held from now on (its image files' own pass)."""
    monkeypatch.setattr(os, "stat", share.hold("stat", os.stat, lambda path, *_: path))
    monkeypatch.setattr(Path, "resolve", share.hold("resolve", Path.resolve, lambda path, *_: path))
    monkeypatch.setattr(os.path, "realpath", share.hold("realpath", os.path.realpath, lambda path, *_: path))


def _locked_photos(make_window: WindowFactory, qtbot, demo_dir: Path, tmp_path: Path, share: Share) -> Path:  # noqa: ANN001
    """The demo on the share, its project (kept under tmp_path/projects) held by another computer."""
    photos = shutil.copytree(demo_dir / "JPEGImages", Path(share.root) / "photos")
    first = make_window(show=True)
    first.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, first, photos)
    project = first.annotation.controller.project
    assert project is not None
    (project.folder / "lock").write_text(json.dumps(LOCK))  # another computer holds it now
    first.annotation.controller.close()
    return photos


def _window(make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    return window


def _taken_over(window: MainWindow, old: object) -> bool:
    controller = window.annotation.controller
    project = controller.project
    return (project is not None and project is not old and not project.read_only and controller.document is not None
            and controller.image_path == window.session.current_path)


def test_stall_s37_take_over_later_on_a_held_share_reopens_off_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    photos = _locked_photos(make_window, qtbot, demo_dir, tmp_path, share)
    window = _window(make_window, tmp_path)
    controller = window.annotation.controller
    controller.lock_prompt.ask = _Answers(False)  # Open Read-Only
    open_and_wait(qtbot, window, photos)
    old = controller.project
    assert old is not None and old.read_only
    answers = _Answers(True)
    controller.lock_prompt.ask = answers
    _hold(monkeypatch, share)
    window.annotation.actions.take_over.trigger()
    assert len(answers.asked) == 1
    assert share.on_gui() == {}, share.on_gui()  # before: Project.open's stat, resolve and realpath, held there
    turns_while_held(qtbot, share)
    assert controller.project is old and controller.lock_prompt.waiting is not None  # waiting, Stop Waiting shown
    share.released.set()
    qtbot.waitUntil(lambda: _taken_over(window, old), timeout=WAIT_MS)
    assert share.on_gui() == {}, share.on_gui()
    monkeypatch.undo()
    new = controller.project
    assert new is not None and json.loads((new.folder / "lock").read_text())["pid"] == os.getpid()
    assert controller.registry.projects == [new] and controller.lock_prompt.waiting is None
    assert not window.annotation.actions.take_over.isEnabled()


def test_stall_s37_take_over_at_an_open_on_a_held_share_reopens_off_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The question asked as the open is applied; the open's images are shown meanwhile (read-only), its read-only
    state not told as a problem: the project is being taken over."""
    photos = _locked_photos(make_window, qtbot, demo_dir, tmp_path, share)
    window = _window(make_window, tmp_path)
    controller = window.annotation.controller
    asked: list[LockInfo] = []

    def take(_parent: object, _folder: Path, owner: LockInfo) -> bool:
        asked.append(owner)
        _hold(monkeypatch, share)  # the share stops answering as the user answers
        return True

    controller.lock_prompt.ask = take
    window.open_paths([photos], remember=False)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert share.on_gui() == {}, share.on_gui()
    turns_while_held(qtbot, share)
    old = controller.registry.projects[0]
    assert old.read_only and controller.lock_prompt.waiting is not None
    share.released.set()
    qtbot.waitUntil(lambda: _taken_over(window, old), timeout=WAIT_MS)
    assert share.on_gui() == {}, share.on_gui()
    monkeypatch.undo()
    assert [e.reason for e in window.services.error_reporter.errors] == []
    assert len(window.session.paths) == 4 and controller.registry.projects == [controller.project]


def test_stall_s37_stop_waiting_leaves_the_project_read_only(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    photos = _locked_photos(make_window, qtbot, demo_dir, tmp_path, share)
    window = _window(make_window, tmp_path)
    controller = window.annotation.controller
    controller.lock_prompt.ask = _Answers(False)
    open_and_wait(qtbot, window, photos)
    old = controller.project
    assert old is not None and old.read_only
    controller.lock_prompt.ask = _Answers(True)
    _hold(monkeypatch, share)
    window.annotation.actions.take_over.trigger()
    waiting = controller.lock_prompt.waiting
    assert waiting is not None
    [stop] = [b for b in waiting.findChildren(QPushButton) if b.text() == "Stop Waiting"]
    stop.click()
    assert controller.lock_prompt.waiting is None and controller.project is old and old.read_only
    assert "read-only" in window.statusBar().currentMessage().lower(), window.statusBar().currentMessage()
    share.released.set()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not controller.lock_prompt.running, timeout=WAIT_MS)
    monkeypatch.undo()
    assert controller.project is old and controller.registry.projects == [old]
    assert window.annotation.actions.take_over.isEnabled()  # offered again


def test_stall_s37_a_take_over_that_cannot_reopen_the_project_says_why(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, share: Share) -> None:
    """Before, a reopening that failed (a ProjectError) left the project read-only without a word."""
    share.released.set()
    photos = _locked_photos(make_window, qtbot, demo_dir, tmp_path, share)
    window = _window(make_window, tmp_path)
    controller = window.annotation.controller
    controller.lock_prompt.ask = _Answers(False)
    open_and_wait(qtbot, window, photos)
    old = controller.project
    assert old is not None and old.read_only
    (old.folder / "project.json").write_text("{ not json")  # spoilt since it was opened
    controller.lock_prompt.ask = _Answers(True)
    window.annotation.actions.take_over.trigger()
    qtbot.waitUntil(lambda: not getattr(controller.lock_prompt, "running", False), timeout=WAIT_MS)
    said = window.statusBar().currentMessage()
    assert said.startswith("Could not take over the annotation project in "), said
    assert "read-only" in said and controller.project is old and old.read_only


def test_stall_s37_the_window_closed_while_a_take_over_waits_lets_the_reopened_project_go(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, share: Share,
        monkeypatch: pytest.MonkeyPatch) -> None:
    photos = _locked_photos(make_window, qtbot, demo_dir, tmp_path, share)
    window = _window(make_window, tmp_path)
    controller = window.annotation.controller
    controller.lock_prompt.ask = _Answers(False)
    open_and_wait(qtbot, window, photos)
    old = controller.project
    assert old is not None and old.read_only
    folder = old.folder
    controller.lock_prompt.ask = _Answers(True)
    _hold(monkeypatch, share)
    window.annotation.actions.take_over.trigger()
    assert controller.lock_prompt.waiting is not None
    window.close()  # the window goes while the share holds the reopening
    assert controller.registry.closed and controller.lock_prompt.waiting is None
    share.released.set()
    qtbot.waitUntil(lambda: not controller.lock_prompt.running, timeout=WAIT_MS)
    qtbot.wait(100)  # a relay answer, if any, handled
    monkeypatch.undo()
    lock = folder / "lock"
    assert not lock.exists() or json.loads(lock.read_text())["pid"] != os.getpid()  # not left held by this process
