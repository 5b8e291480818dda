"""`fosp` with a path in the home of a user who is not here (``'~nosuchuser/a.jpg'``: the shell leaves it as
typed): an input was "no such file or folder", an output (``--out``, ``--json=``) was written into a folder
named ``~nosuchuser`` in the working folder. Now every command refuses it first, in the app's words, exit 2,
no traceback; a file or folder of that very name in the working folder is still taken as it is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NO_USER = "~no-such-user-s32x"


def _fosp(*words: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(cwd), "XDG_CACHE_HOME": str(cwd / "cache")}
    return subprocess.run([sys.executable, "-m", "fosp_core", *words], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def _refused(done: subprocess.CompletedProcess[str], typed: str) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.startswith(f"error: {typed} starts with {NO_USER}, the home folder of a user "
                                  f"no-such-user-s32x, which does not exist here: type its whole path "
                                  f"(e.g. ~/{typed[1:]})"), done.stderr
    assert done.stderr.count("\n") == 1  # one line


def test_every_command_refuses_a_home_of_no_user(tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    from PIL import Image
    Image.new("RGB", (8, 6)).save(image)
    _refused(_fosp("predict", f"{NO_USER}/a.jpg", "--out", str(tmp_path / "out"), cwd=tmp_path), f"{NO_USER}/a.jpg")
    _refused(_fosp("predict", str(image), "--out", f"{NO_USER}/out", cwd=tmp_path), f"{NO_USER}/out")
    _refused(_fosp("dataset", "stats", str(tmp_path), f"--json={NO_USER}/s.json", cwd=tmp_path),
             f"{NO_USER}/s.json")
    _refused(_fosp("project", "init", f"{NO_USER}/photos", cwd=tmp_path), f"{NO_USER}/photos")
    assert not (tmp_path / NO_USER).exists()  # nothing written beside


def test_a_folder_of_that_name_here_is_taken(tmp_path: Path) -> None:
    from fosp_core.cli import home_problem

    assert home_problem(["dataset", "stats", f"{NO_USER}/ds"]) is not None
    (tmp_path / NO_USER / "ds").mkdir(parents=True)
    done = _fosp("dataset", "stats", f"{NO_USER}/ds", cwd=tmp_path)
    assert "does not exist here" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
