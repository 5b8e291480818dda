"""The window opening a project that someone else holds: told who, and asked to take it over only
when the holder cannot be checked from here (a lock written on another computer).

A live holder on this machine (a real second process) is never asked about and never broken: the
window opens the project read-only and says who holds it. A lock from another computer is shown
with its user and time and the question; Take Over makes the project this window's (its strokes
saved), Open Read-Only leaves the lock as it was.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from app.annotation.save_status import CloseChoice
from app.main_window import MainWindow
from fosp_core.annotation import tools
from fosp_core.annotation.storage import LockInfo
from tests.gui.annotation_helpers import demo_project, open_and_wait, settle_saves

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="a holder process held open through a pipe")

HOLDER = textwrap.dedent("""
    import os, sys
    from fosp_core.annotation.project import Project
    project = Project.open(sys.argv[1], sys.argv[2])
    os.write(1, f"ready {'ro' if project.read_only else 'rw'}\\n".encode())
    sys.stdin.read()
    project.close()
""")


class _Answers:
    """Stands in for the take-over question: records what it was asked, answers `take`."""

    def __init__(self, take: bool) -> None:
        self.take = take
        self.asked: list[tuple[Path, LockInfo]] = []

    def __call__(self, parent: object, folder: Path, owner: LockInfo) -> bool:
        self.asked.append((folder, owner))
        return self.take


@contextmanager
def holding(demo: Path, location: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process on this computer holding `demo`'s project at `location` (HOLDER), running for the
    `with` block once it says it holds it writable; it closes the project and ends as the block ends."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo), str(location)], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready rw", holder.stderr.read() if holder.stderr else ""
        yield holder
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=30)


def _stroke(window: MainWindow, at: int = 40) -> None:
    doc = window.annotation.controller.document
    assert doc is not None
    tools.brush(doc, [(at, 40), (at + 50, 90)], 6)


@pytest.mark.parametrize("take", [True, False])
def test_a_lock_from_another_computer_is_shown_and_taken_over_only_when_chosen(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, take: bool) -> None:
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    lock = {"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}
    (location / "lock").write_text(json.dumps(lock))
    controller = window.annotation.controller
    answers = _Answers(take)
    controller.lock_prompt.ask = answers
    open_and_wait(qtbot, window, demo)
    assert [(f, o.host, o.user) for f, o in answers.asked] == [(location, "labpc-7", "ana")]
    project = controller.project
    assert project is not None and project.read_only is not take
    told = [e.reason for e in window.services.error_reporter.errors]
    if not take:
        assert json.loads((location / "lock").read_text()) == lock  # never broken without asking
        assert any("user ana" in r and "labpc-7" in r and "another computer" in r for r in told), told
        return
    assert not told, told
    assert json.loads((location / "lock").read_text())["pid"] == os.getpid()
    assert project in controller.registry.projects and len(controller.registry.projects) == 1
    _stroke(window)
    settle_saves(window)
    image_id = controller.document.image_id
    saved = project.load_mask(image_id)
    assert saved is not None and np.array_equal(saved, controller.document.mask)


def test_a_live_holder_on_this_computer_is_named_and_never_asked_about(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    with holding(demo, location) as holder:
        before = (location / "lock").read_text()
        controller = window.annotation.controller
        answers = _Answers(True)
        controller.lock_prompt.ask = answers
        open_and_wait(qtbot, window, demo)
        assert answers.asked == []
        assert controller.project is not None and controller.project.read_only
        told = [e.reason for e in window.services.error_reporter.errors]
        assert any(f"locked by pid {holder.pid} on host {socket.gethostname()} (user " in r for r in told), told
        masks = sorted((location / "masks").iterdir())
        _stroke(window)  # a read-only document: nothing written
        settle_saves(window)
        assert sorted((location / "masks").iterdir()) == masks
        assert (location / "lock").read_text() == before
    assert not (location / "lock").exists()


def test_a_project_moved_away_while_open_is_told_as_moved_and_nothing_is_written_at_the_old_place(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    open_and_wait(qtbot, window, demo)
    controller = window.annotation.controller
    controller.save_status.ask = lambda parent, problem: CloseChoice.DISCARD  # never a modal question
    project = controller.project
    assert project is not None and not project.read_only
    moved = location.with_name("renamed")
    location.rename(moved)
    _stroke(window)
    settle_saves(window)
    reporter = window.services.error_reporter
    assert reporter.save_problem is not None and reporter.save_problem.unsaved == (controller.document.image_id,)
    fix = reporter.save_problem.fix()
    assert "moved, renamed or deleted" in fix and str(location) in fix, fix
    assert not location.exists()  # no half project made again at the old place
    moved.rename(location)  # put back: the next commit saves the kept edit with its own
    _stroke(window, at=200)
    settle_saves(window)
    assert reporter.save_problem.unsaved == (), reporter.save_problem.text()
    saved = project.load_mask(controller.document.image_id)
    assert saved is not None and np.array_equal(saved, controller.document.mask)


def test_a_lock_left_by_a_crashed_app_on_this_computer_is_taken_over_without_asking(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead = int(gone.stdout)
    (location / "lock").write_text(json.dumps({"pid": dead, "host": socket.gethostname(), "created": time.time() - 60,
                                               "user": "ana"}))
    controller = window.annotation.controller
    answers = _Answers(False)
    controller.lock_prompt.ask = answers
    open_and_wait(qtbot, window, demo)
    assert answers.asked == [] and not window.services.error_reporter.errors
    assert controller.project is not None and not controller.project.read_only
    assert json.loads((location / "lock").read_text())["pid"] == os.getpid()


def test_a_take_over_refused_because_the_lock_changed_hands_names_the_holder_now(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Another computer took the lock between the question and Take Over: it is not broken, and
    the read-only project names who holds it now, not the holder the question showed."""
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    (location / "lock").write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": 1000.0, "user": "ana"}))
    since = {"pid": 77, "host": "labpc-8", "created": 2000.0, "user": "bo"}

    def answer(parent: object, folder: Path, owner: LockInfo) -> bool:
        (location / "lock").write_text(json.dumps(since))
        return True

    controller = window.annotation.controller
    controller.lock_prompt.ask = answer
    open_and_wait(qtbot, window, demo)
    project = controller.project
    assert project is not None and project.read_only
    assert project.locked_by is not None and project.locked_by.host == "labpc-8"
    assert json.loads((location / "lock").read_text()) == since
    told = [e.reason for e in window.services.error_reporter.errors]
    assert any("user bo" in r and "labpc-8" in r for r in told) and not any("labpc-7" in r for r in told), told
    assert controller.registry.projects == [project]
