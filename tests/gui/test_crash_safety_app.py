"""The crash test through the real window: a `MainWindow` in another process edits the demo with
mouse and keys (`tests.gui.app_crash_worker`), its autosaves going the app's way, and is SIGKILLed
after a random number of commits; every commit it reported must be on disk exactly, and the next
window (and then this process) opens the project for writing, the dead window's lock taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import copy_demo
from tests.unit.crash_worker import Model, disk_state, stray_files

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or os.name != "posix", reason="needs SIGKILL")


def _run_window(folder: Path, projects: Path, settings: Path, seed: int, commits: int,
                rng: np.random.Generator) -> tuple[list[str], int]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "tests.gui.app_crash_worker", str(folder), str(projects),
                             str(settings), str(seed)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while sum(s.startswith("C ") for s in lines) < commits and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
        time.sleep(float(rng.uniform(0, 0.01)))  # land inside the next save, or between saves
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    lines += [s.strip() for s in proc.stdout.read().splitlines() if s.strip()]
    errors = [s for s in lines if s.startswith("E ")]
    assert not errors and sum(s.startswith("C ") for s in lines) >= commits, \
        f"window worker: {errors or lines[-5:]}\n{proc.stderr.read()[-3000:]}"
    return lines, proc.pid


@pytest.mark.slow  # two app processes (~7 s on 2 cores); the SIGKILL tests of the project itself run by
# default: tests/unit/test_crash_safety.py::test_sigkill_loses_no_committed_edit, tests/e2e/test_project_crash.py
def test_killing_the_window_loses_no_committed_edit(demo_dir: Path, tmp_path: Path) -> None:
    folder = copy_demo(demo_dir, tmp_path / "demo")
    projects, settings = tmp_path / "projects", tmp_path / "settings" / "fosp.ini"
    rng = np.random.default_rng(5)
    model, pids = Model(), []
    project_dir: Path | None = None
    for round_ in range(2):  # the second window opens what the killed first one left
        lines, pid = _run_window(folder, projects, settings, round_, int(rng.integers(8, 20)), rng)
        pids.append(pid)
        project_dir = Path(next(s for s in lines if s.startswith("O ")).split(maxsplit=2)[2])
        assert not model.feed(lines)
        problems = model.check(disk_state(project_dir))
        assert not problems, f"round {round_}: {problems}\nlast lines: {lines[-6:]}"
    assert project_dir is not None and model.commits >= 16
    saved = disk_state(project_dir)
    with Project.open(project_dir) as project:
        assert not project.read_only, project.read_only_reason
        assert project.lock.took_over is not None and project.lock.took_over.pid == pids[-1]
        assert not stray_files(project_dir)
    assert disk_state(project_dir) == saved
