"""`fosp project take-over PROJECT [--yes]`: shows who holds the project's lock, refuses a live
holder on this computer (exit 1, named), asks unless --yes, and takes the lock only from the holder
it showed (then releases it: the project opens writable)."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main

ROOT = Path(__file__).resolve().parents[2]
OTHER = {"pid": 4242, "host": "labpc-7", "created": 1000.0, "user": "ana"}


def _project(demo_dir: Path, tmp_path: Path, lock: dict | None) -> tuple[Path, Path]:
    folder = tmp_path / "photos"
    shutil.copytree(demo_dir, folder)
    project = Project.open(folder)
    location = project.folder
    project.close()
    if lock is not None:
        (location / "lock").write_text(json.dumps(lock))
    return folder, location


def _answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


@pytest.mark.parametrize("how", ["--yes", "y\n"])
def test_another_computers_lock_is_shown_and_taken_over(demo_dir: Path, tmp_path: Path, monkeypatch, capsys,
                                                        how: str) -> None:
    folder, location = _project(demo_dir, tmp_path, OTHER)
    _answer(monkeypatch, "" if how == "--yes" else how)
    args = ["project", "take-over", str(folder)] + (["--yes"] if how == "--yes" else [])
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "pid 4242 on host labpc-7 (user ana" in out
    assert ("[y/N]" in err) is (how != "--yes")
    assert not (location / "lock").exists()  # taken, then released
    project = Project.open(folder)
    try:
        assert not project.read_only
    finally:
        project.close()


@pytest.mark.parametrize("answer", ["", "n\n"])
def test_not_confirmed_leaves_the_lock(demo_dir: Path, tmp_path: Path, monkeypatch, capsys, answer: str) -> None:
    folder, location = _project(demo_dir, tmp_path, OTHER)
    _answer(monkeypatch, answer)
    assert main(["project", "take-over", str(folder)]) == 1
    assert "not taken over" in capsys.readouterr().err
    assert json.loads((location / "lock").read_text()) == OTHER


def test_a_lock_taken_by_another_since_it_was_shown_is_not_broken(demo_dir: Path, tmp_path: Path, monkeypatch,
                                                                  capsys) -> None:
    folder, location = _project(demo_dir, tmp_path, OTHER)
    since = {"pid": 77, "host": "labpc-8", "created": 2000.0, "user": "bo"}

    class Stdin(io.StringIO):
        def readline(self, *args: object) -> str:
            (location / "lock").write_text(json.dumps(since))  # taken while the question was asked
            return "y\n"

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert main(["project", "take-over", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "labpc-7" in out and "labpc-8" in err and "user bo" in err
    assert json.loads((location / "lock").read_text()) == since


@pytest.mark.skipif(os.name != "posix", reason="a holder process held open through a pipe")
def test_a_live_holder_on_this_computer_is_refused_and_named(demo_dir: Path, tmp_path: Path, monkeypatch,
                                                             capsys) -> None:
    folder, location = _project(demo_dir, tmp_path, None)
    code = textwrap.dedent("""
        import sys
        from fosp_core.annotation.project import Project
        project = Project.open(sys.argv[1])
        print("ready", flush=True)
        sys.stdin.read()
        project.close()
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    holder = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = (location / "lock").read_text()
        _answer(monkeypatch, "y\n")
        assert main(["project", "take-over", str(folder), "--yes"]) == 1
        err = capsys.readouterr().err
        assert f"pid {holder.pid} on host {socket.gethostname()}" in err and "still runs" in err
        assert (location / "lock").read_text() == before
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=30)


def test_an_unlocked_project_has_nothing_to_take_over(demo_dir: Path, tmp_path: Path, capsys) -> None:
    folder, _ = _project(demo_dir, tmp_path, None)
    assert main(["project", "take-over", str(folder), "--yes"]) == 3
    assert "not locked" in capsys.readouterr().out
