"""A team lead's day on one project: two windows of the app and the command line at once. The
first window annotates (its saves in flight on the worker), the second shows the project read-only,
and ``fosp project status`` / ``export`` / ``import`` run meanwhile. What each says is right (the
edits being saved are counted and exported from their recovery logs) and every refusal names what
to do: a lock held by this very process (another window) or by another program of this computer
says to close the project there and take it over (Annotate ▸ Take Over…) or run the command again."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.storage import LockInfo
from fosp_core.cli import main
from tests.gui.annotation_helpers import copy_demo, open_and_wait, settle_saves


@pytest.fixture()
def two_windows(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    """(first, second, project folder): the demo opened in two windows, the first holding it."""
    demo = copy_demo(demo_dir, tmp_path / "demo")
    first, second = make_window(show=True), make_window(show=True)
    for window in (first, second):
        window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, first, demo)
    open_and_wait(qtbot, second, demo)
    yield first, second, first.annotation.controller.registry._location(demo.resolve())
    first.annotation.controller.close()
    second.annotation.controller.close()


def test_the_second_window_says_how_to_edit_the_project(two_windows) -> None:  # noqa: ANN001
    first, second, _ = two_windows
    assert not first.annotation.controller.registry.projects[0].read_only
    told = [error.reason for error in second.services.error_reporter.told]
    assert len(told) == 1 and "opened read-only" in told[0], told
    assert "another window" in told[0] and "Annotate ▸ Take Over…" in told[0], told


def test_status_and_export_while_a_save_is_in_flight(two_windows, monkeypatch, capsys, tmp_path: Path) -> None:  # noqa: ANN001
    first, _, location = two_windows
    gate = threading.Event()
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: (gate.wait(30), real(job)))
    doc = first.annotation.controller.document
    try:
        tools.brush(doc, [(100, 100), (200, 200)], 6)  # committed: its record logged, its PNG held back
        assert main(["project", "status", str(location)]) == 0
        out = capsys.readouterr().out
        assert "edited     1" in out and "still saving them" in out, out
        assert "close it there" in out, out  # the lock note names what to do
        assert main(["project", "export", str(location), str(tmp_path / "export")]) == 0
        captured = capsys.readouterr()
        assert "exported 1 image(s)" in captured.out and "still saving them" in captured.err, captured
        cli = subprocess.run([sys.executable, "-c", "import sys; from fosp_core.cli import main; "
                              "sys.exit(main(sys.argv[1:]))", "project", "import", str(location)],
                             capture_output=True, text=True, timeout=120)  # a process of its own, as in a terminal
        assert cli.returncode == 1, cli
        err = cli.stderr
        assert "read-only" in err and "close it there" in err and "run the command again" in err, err
    finally:
        gate.set()
        settle_saves(first)
    assert first.annotation.controller.registry.projects[0].is_saved(doc)


def test_a_lock_of_another_program_of_this_computer_names_what_to_do() -> None:
    import os
    import socket

    other = LockInfo(os.getppid(), socket.gethostname(), 0.0, user="ana").describe()
    assert other.startswith(f"locked by pid {os.getppid()} on host") and "close it there" in other, other
    assert "Annotate ▸ Take Over…" in other and "run the command again" in other, other
    mine = LockInfo(os.getpid(), socket.gethostname()).describe()
    assert "another window" in mine, mine
