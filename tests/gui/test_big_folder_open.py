"""Opening a big folder off the GUI thread (app.opening): the status bar shows how far the listing
got with a Cancel button, the window keeps handling events meanwhile, Esc or Cancel leaves it as it
was, and opens asked for meanwhile wait their turn.

"Big" is made small here: `SYNC_LIMIT` is lowered so that a folder of 40 real photos (hard links of the demo's)
is not opened at once, and the worker's listing is held at a gate the test opens, so what the window does
*while* a folder opens is checked, not raced.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

import app.open_task as open_task
import app.opening as opening
from app.main_window import MainWindow
from fosp_core.session import collect_image_paths

from .conftest import WindowFactory
from .linked_folder import linked_demo_folder

BIG = 40  # images in the "big" folder
GATE_TIMEOUT_S = 20.0


class Gate:
    """Stands in for collect_image_paths on the worker: lists for real, reports a count, then
    waits until the test opens the gate."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()
        self.threads: list[str] = []

    def __call__(self, paths, progress: Callable[[int], object] | None = None, **kwargs):
        found, errors = collect_image_paths(paths, progress=progress, **kwargs)
        self.threads.append(threading.current_thread().name)
        if progress is not None:
            progress(len(found) - 1)  # raises once cancelled
        self.reached.set()
        assert self.opened.wait(GATE_TIMEOUT_S), "the test never opened the gate"
        if progress is not None:
            progress(len(found))
        return found, errors


@pytest.fixture()
def small(tmp_path: Path, demo_dir: Path) -> Path:
    out = tmp_path / "small"
    shutil.copytree(demo_dir / "JPEGImages", out)
    return out


@pytest.fixture()
def big(tmp_path: Path, demo_dir: Path) -> Path:
    """BIG photos: hard links of the demo's (copies where links are not allowed)."""
    return linked_demo_folder(tmp_path / "big", demo_dir, BIG, digits=3)


@pytest.fixture()
def gate(monkeypatch: pytest.MonkeyPatch) -> Gate:
    monkeypatch.setattr(opening, "SYNC_LIMIT", 10)  # the 4 demo photos open at once, the 40 do not
    gate = Gate()
    monkeypatch.setattr(open_task, "collect_image_paths", gate)
    return gate


def _window(make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    return window


def _open_small(qtbot, window: MainWindow, small: Path, gate: Gate) -> None:
    gate.opened.set()  # small: done at once, listed on the worker (the GUI thread waiting for it: session 35)
    assert len(window.open_paths([small])) == 4
    assert gate.threads[-1] != threading.main_thread().name
    gate.opened.clear()
    gate.reached.clear()
    window.session.set_current(2)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10_000)


def _lock_of(window: MainWindow, tmp_path: Path, folder: Path) -> Path:
    registry = window.annotation.controller.registry
    location = registry._location(folder.resolve())
    assert location is not None and location.parent == tmp_path / "projects"
    return location / "lock"


def test_a_big_folder_lists_on_a_worker_with_progress_while_the_window_handles_events(
        qtbot, make_window: WindowFactory, tmp_path: Path, big: Path, small: Path, gate: Gate) -> None:
    window = _window(make_window, tmp_path)
    _open_small(qtbot, window, small, gate)
    window.recent.set_last_image(big.resolve(), big.resolve() / "frame_017.jpg")  # opened before
    ticks: list[int] = []
    timer = QTimer(window, interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    assert window.open_paths([big]) == []  # goes on in the background
    progress = window.opener.progress
    assert window.opener.busy and progress.isVisible() and progress.cancel_button.isVisible()
    assert progress.label.text() == "Opening big …"
    assert gate.reached.wait(GATE_TIMEOUT_S)
    assert gate.threads[-1] != threading.main_thread().name  # listed on the worker
    # while the worker is held at the gate the GUI thread runs: timers fire, the count shows
    qtbot.waitUntil(lambda: re.fullmatch(r"Opening big … \d+ images found", progress.label.text()) is not None,
                    timeout=10_000)
    ticks.clear()
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=10_000)
    window.action_next.trigger()  # and the images open before stay usable
    assert window.session.current_index == 3 and len(window.session) == 4
    assert window.statusBar().isVisible() and "Opening" not in window.windowTitle()

    with qtbot.waitSignal(window.opener.opened, timeout=20_000) as opened:
        gate.opened.set()
    timer.stop()
    assert len(opened.args[0]) == BIG
    assert len(window.session) == 4 + BIG
    assert window.session.current_path == big.resolve() / "frame_017.jpg"  # resumed where it was left
    assert not window.opener.busy and not progress.isVisible()
    assert window.statusBar().currentMessage() == f"Opened {BIG} images"
    assert big.resolve() in window.recent.paths()
    assert window.annotation.controller.registry.lookup(big / "frame_000.jpg") is not None  # its project
    assert window.image_list.list_model.rowCount() == 4 + BIG
    assert window.image_dock.windowTitle() == f"Images ({4 + BIG})"


@pytest.mark.parametrize("how", ["escape", "button"])
def test_cancel_leaves_the_window_as_it_was(qtbot, make_window: WindowFactory, tmp_path: Path, big: Path,
                                            small: Path, gate: Gate, how: str) -> None:
    window = _window(make_window, tmp_path)
    _open_small(qtbot, window, small, gate)
    before = (window.session.paths, window.session.current_index, window.recent.paths(),
              list(window.annotation.controller.registry.projects))
    window.open_paths([big])
    assert gate.reached.wait(GATE_TIMEOUT_S)
    progress = window.opener.progress
    assert progress.isVisible()

    if how == "escape":
        window.canvas.setFocus()
        qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    else:
        qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.opener.busy and not progress.isVisible()  # at once, the worker still held
    assert window.statusBar().currentMessage() == "Opening cancelled"
    gate.opened.set()
    qtbot.waitUntil(lambda: not window.opener.running, timeout=20_000)
    qtbot.wait(50)  # anything still queued for the GUI thread arrives (and is dropped)

    after = (window.session.paths, window.session.current_index, window.recent.paths(),
             list(window.annotation.controller.registry.projects))
    assert after == before
    assert window.session.errors == ()
    assert not _lock_of(window, tmp_path, big).exists()  # no project of it left open
    assert window.annotation.controller.registry.lookup(big / "frame_000.jpg") is None
    # and it opens fine afterwards (its project was released)
    gate.opened.set()
    window.open_paths([big])
    assert window.opener.wait(20)
    assert len(window.session) == 4 + BIG
    assert not window.annotation.controller.registry.lookup(big / "frame_000.jpg")[0].read_only


def test_esc_cancels_from_any_focus_without_filtering_every_event(qtbot, make_window: WindowFactory,
                                                                   tmp_path: Path, big: Path, gate: Gate,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """While an open ran, Esc was watched with a Python filter on the whole application, which ran
    for every event of every object (paints, timers, the workers' queued calls); it now watches the
    window and its focus widget."""
    window = _window(make_window, tmp_path)
    seen: list[QObject] = []
    original = window.opener.esc.eventFilter

    def spy(watched: QObject, event: QEvent) -> bool:
        seen.append(watched)
        return original(watched, event)

    monkeypatch.setattr(window.opener.esc, "eventFilter", spy)  # on the instance: PySide caches a class's
    window.image_list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.image_list)
    window.open_paths([big])
    assert gate.reached.wait(GATE_TIMEOUT_S) and window.opener.busy
    other = QObject()
    QCoreApplication.sendEvent(other, QEvent(QEvent.Type.User))  # a worker's queued call, a timer...
    assert not any(watched is other for watched in seen)
    qtbot.keyClick(window.image_list, Qt.Key.Key_Escape)
    assert not window.opener.busy and window.statusBar().currentMessage() == "Opening cancelled"
    gate.opened.set()
    qtbot.waitUntil(lambda: not window.opener.running, timeout=20_000)


def test_esc_without_an_open_under_way_is_the_window_s(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                        small: Path, gate: Gate) -> None:
    window = _window(make_window, tmp_path)
    _open_small(qtbot, window, small, gate)
    window.annotation.controller.state.set_tool("brush")
    assert window.annotation.controller.state.tool == "brush"
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)  # Esc: back to the navigate tool, as before
    assert window.annotation.controller.state.tool == "navigate"
    assert window.statusBar().currentMessage() != "Opening cancelled"


def test_opens_asked_for_meanwhile_wait_their_turn(qtbot, make_window: WindowFactory, tmp_path: Path, big: Path,
                                                   small: Path, gate: Gate) -> None:
    window = _window(make_window, tmp_path)
    assert window.open_paths([big]) == []
    assert gate.reached.wait(GATE_TIMEOUT_S)
    assert window.open_paths([small]) == []  # small, but after the big one: it waits
    assert window.opener.busy and len(window.session) == 0
    gate.opened.set()
    assert window.opener.wait(20)
    assert [p.parent.name for p in window.session.paths] == ["big"] * BIG + ["small"] * 4
    assert window.session.current_path == small.resolve() / window.session.names[BIG]  # the last open's first
    assert window.session.errors == ()


def test_closing_the_window_while_a_folder_opens_does_not_wait(qtbot, make_window: WindowFactory,
                                                                tmp_path: Path, big: Path, gate: Gate) -> None:
    window = _window(make_window, tmp_path)
    window.open_paths([big])
    assert gate.reached.wait(GATE_TIMEOUT_S)
    window.close()  # the worker is still held at the gate
    assert not window.opener.busy
    gate.opened.set()
    qtbot.waitUntil(lambda: not _lock_of(window, tmp_path, big).exists(), timeout=20_000)


def test_cancel_while_the_project_opens_closes_it_again(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                        big: Path, small: Path, gate: Gate,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(make_window, tmp_path)
    _open_small(qtbot, window, small, gate)
    gate.opened.set()  # the listing runs through; the project step is held instead
    held, release = threading.Event(), threading.Event()
    prepare = open_task.prepare_projects

    def held_prepare(sources, *args):
        prepared = prepare(sources, *args)  # created and locked by now
        held.set()
        assert release.wait(GATE_TIMEOUT_S)
        return prepared

    monkeypatch.setattr(open_task, "prepare_projects", held_prepare)
    before = (window.session.paths, window.session.current_index)
    window.open_paths([big])
    assert held.wait(GATE_TIMEOUT_S)
    qtbot.waitUntil(lambda: window.opener.progress.label.text() == f"Opening the annotation project of {BIG} images …",
                    timeout=10_000)
    assert _lock_of(window, tmp_path, big).exists()
    assert window.opener.cancel()
    release.set()
    qtbot.waitUntil(lambda: not window.opener.running, timeout=20_000)
    assert not _lock_of(window, tmp_path, big).exists()  # the worker closed it
    assert (window.session.paths, window.session.current_index) == before
    assert window.annotation.controller.registry.lookup(big / "frame_000.jpg") is None
