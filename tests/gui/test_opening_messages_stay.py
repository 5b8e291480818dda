"""What an opening says of its projects stays in the status bar: read-only (another process holds
the lock), the recovered last edits, the recovery logs set aside. Each was said while the projects
were opened and at once replaced by "Opened 4 images", so the user never saw it; now the opening's
line carries them ("Opened 4 images · read-only project: locked by pid ..."), the read-only one
first and kept until another message (as the read-only message alone was)."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.annotation.storage import LockInfo
from tests.gui.annotation_helpers import demo_project, open_and_wait
from tests.gui.test_shared_project_gui import holding

#: what opening the demo says of its labels (ground truth only until imported: app.annotation.opening_notes)
DEMO_LABELS = "4 SegmentationClass labels are ground truth only: Annotate ▸ Import Labels… to edit them"


def _said(qtbot, window: MainWindow) -> str:  # noqa: ANN001 - qtbot fixture
    qtbot.wait(50)  # what a queued message or the shown document might say after the opening
    return window.statusBar().currentMessage()


@pytest.mark.skipif(os.name != "posix", reason="a holder process held open through a pipe")
def test_a_project_another_process_holds_says_read_only_after_the_opening(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    with holding(demo, location) as holder:
        open_and_wait(qtbot, window, demo)
        assert window.annotation.controller.project is not None and window.annotation.controller.project.read_only
        said = _said(qtbot, window)
        assert said.startswith("Opened 4 images · read-only project: "), said  # was: "Opened 4 images"
        assert f"locked by pid {holder.pid} on host {socket.gethostname()}" in said, said
        window.annotation.controller.close()


def test_a_lock_from_another_computer_opened_read_only_names_its_holder(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    (location / "lock").write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": time.time() - 60,
                                               "user": "ana"}))
    window.annotation.controller.lock_prompt.ask = lambda parent, folder, owner: False  # Open Read-Only
    open_and_wait(qtbot, window, demo)
    said = _said(qtbot, window)
    assert said.startswith("Opened 4 images · read-only project: "), said
    assert "labpc-7" in said and "ana" in said, said


def test_taken_over_the_opening_says_only_what_it_opened(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    (location / "lock").write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": time.time() - 60,
                                               "user": "ana"}))

    def take(parent: object, folder: Path, owner: LockInfo) -> bool:
        return True

    window.annotation.controller.lock_prompt.ask = take
    open_and_wait(qtbot, window, demo)
    assert not window.annotation.controller.project.read_only
    assert _said(qtbot, window) == f"Opened 4 images · {DEMO_LABELS}"


def test_recovered_edits_and_logs_set_aside_are_both_said_after_the_opening(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    with Project.open(demo, location) as project:
        first, second = project.ids[0], project.ids[1]
        shape = project.open_document(second, autosave=False).shape
        bad, recovering = log_path(project.mask_path(first)), log_path(project.mask_path(second))
    bad.write_bytes(b"not a log\n")
    Project.open(demo, location).close()  # an earlier opening set it aside
    mask = np.zeros(shape, np.uint8)
    mask[1:4, 1:6] = 1
    recovering.write_bytes(encode_record(mask, (0, shape[0], 0, shape[1]), "edited"))
    open_and_wait(qtbot, window, demo)
    said = _said(qtbot, window)
    assert said.startswith("Opened 4 images · "), said  # was: "Opened 4 images" alone
    assert f"recovered the last edits of {second}" in said, said
    assert "1 recovery log set aside in" in said, said


def test_a_plain_opening_says_what_it_opened(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    demo, _ = demo_project(window, demo_dir, tmp_path)
    open_and_wait(qtbot, window, demo)
    assert _said(qtbot, window) == f"Opened 4 images · {DEMO_LABELS}"


def test_the_read_only_note_comes_first_and_keeps_the_line() -> None:
    from app.annotation.opening_notes import combined, opened_with

    notes = [("1 recovery log set aside in /p (...)", 10000), ("Read-only project: locked by pid 7", 0)]
    note = combined(notes)
    assert note == ("Read-only project: locked by pid 7 · 1 recovery log set aside in /p (...)", 0)
    assert opened_with(("Opened 4 images", 5000), note) == (
        "Opened 4 images · read-only project: locked by pid 7 · 1 recovery log set aside in /p (...)", 0)
    assert opened_with(("Opened 4 images", 5000), combined([("Recovered the last edits of a", 10000)])) == (
        "Opened 4 images · recovered the last edits of a", 10000)
    assert combined([]) is None and opened_with(("Opened 4 images", 5000), None) == ("Opened 4 images", 5000)
