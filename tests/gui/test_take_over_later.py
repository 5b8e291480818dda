"""A project left read-only by its lock can be taken over later, in the same window: Annotate ▸
Take Over… (and the Annotate dock's read-only line's link) asks about the holder the read-only
message names and takes the lock from that holder only; a holder on this computer is never asked
about and never broken - the project is taken only once that process has ended.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from tests.gui.annotation_helpers import demo_project, open_and_wait, settle_saves
from tests.gui.test_shared_project_gui import _Answers, _stroke, holding

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a holder process held open through a pipe")


def _open_read_only(qtbot, window: MainWindow, demo_dir: Path, tmp_path: Path, lock: dict) -> Path:
    """The demo opened read-only: `lock` (another computer's) holds it and Open Read-Only is chosen."""
    demo, location = demo_project(window, demo_dir, tmp_path)
    (location / "lock").write_text(json.dumps(lock))
    window.annotation.controller.lock_prompt.ask = _Answers(False)
    open_and_wait(qtbot, window, demo)
    project = window.annotation.controller.project
    assert project is not None and project.read_only
    return location


def test_open_read_only_can_be_taken_over_later_from_the_annotate_menu(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    lock = {"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}
    location = _open_read_only(qtbot, window, demo_dir, tmp_path, lock)
    controller, actions = window.annotation.controller, window.annotation.actions
    old = controller.project
    assert old is not None
    assert "Take Over…" in str(old.read_only_reason)  # names the action offered, in the Annotate menu
    assert actions.take_over in window.annotation.menu.actions()
    assert actions.take_over.isEnabled()
    assert "href='take-over'" in window.annotation.tool_dock.status_label.text()
    answers = _Answers(True)
    controller.lock_prompt.ask = answers
    window.annotation.tool_dock.status_label.linkActivated.emit("take-over")  # the read-only line's link
    assert [(f, o.host, o.user) for f, o in answers.asked] == [(location, "labpc-7", "ana")]
    project = controller.project
    assert project is not None and project is not old and not project.read_only
    assert controller.registry.projects == [project]
    assert json.loads((location / "lock").read_text())["pid"] == os.getpid()
    assert not actions.take_over.isEnabled()
    assert "take-over" not in window.annotation.tool_dock.status_label.text()
    _stroke(window)
    settle_saves(window)
    doc = controller.document
    assert doc is not None
    saved = project.load_mask(doc.image_id)
    assert saved is not None and np.array_equal(saved, doc.mask)


def test_take_over_later_declined_or_after_the_lock_changed_hands_breaks_nothing(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    lock = {"pid": 4242, "host": "labpc-7", "created": 1000.0, "user": "ana"}
    location = _open_read_only(qtbot, window, demo_dir, tmp_path, lock)
    controller, actions = window.annotation.controller, window.annotation.actions
    old = controller.project
    no = _Answers(False)
    controller.lock_prompt.ask = no
    actions.take_over.trigger()
    assert len(no.asked) == 1 and controller.project is old and old is not None and old.read_only
    assert json.loads((location / "lock").read_text()) == lock
    since = {"pid": 77, "host": "labpc-8", "created": 2000.0, "user": "bo"}
    (location / "lock").write_text(json.dumps(since))  # another computer took it since it was shown
    yes = _Answers(True)
    controller.lock_prompt.ask = yes
    actions.take_over.trigger()
    assert [o.host for _, o in yes.asked] == ["labpc-7"]  # the holder shown, taken only from it
    assert json.loads((location / "lock").read_text()) == since
    project = controller.project
    assert project is not None and project.read_only and project.locked_by is not None
    assert project.locked_by.host == "labpc-8"
    told = [e.reason for e in window.services.error_reporter.errors]
    assert any("labpc-8" in r and "user bo" in r for r in told), told


def test_a_holder_on_this_computer_is_never_asked_about_and_taken_only_once_it_has_ended(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    controller, actions = window.annotation.controller, window.annotation.actions
    answers = _Answers(True)
    controller.lock_prompt.ask = answers
    with holding(demo, location):
        open_and_wait(qtbot, window, demo)
        assert controller.project is not None and controller.project.read_only
        before = (location / "lock").read_text()
        assert actions.take_over.isEnabled()
        actions.take_over.trigger()  # the holder still runs: not broken
        assert (location / "lock").read_text() == before
        assert controller.project is not None and controller.project.read_only
    actions.take_over.trigger()  # it has ended: taken
    assert answers.asked == []
    assert controller.project is not None and not controller.project.read_only
    assert json.loads((location / "lock").read_text())["pid"] == os.getpid()
