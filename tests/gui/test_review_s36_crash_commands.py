"""The window killed between saves during an annotator's whole-image commands (s36 working-day review).

`tests/gui/test_crash_safety_app.py` kills a window that strokes, draws polygons, undoes, marks reviewed and
steps images. The day's other edits commit their own way - Copy Previous (the previous image's mask taken
from its open document), Clear Mask (Delete), Fill Holes and Dilate, Accept Prediction and Threshold to
Mask (over the model's map), a flood fill, and Undo on an image gone back to (its kept document) - so this
worker (``python -m tests.gui.test_review_s36_crash_commands FOLDER PROJECTS SETTINGS SEED``) does those
with the keys, prints the lines of `tests.unit.crash_worker` (P/S before each save, C after each commit
that returned) and is SIGKILLed after a random number of commits; every commit it reported must be on
disk exactly, and a second window opens what the first left and goes on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or os.name != "posix", reason="needs SIGKILL")

#: the worker's operations and the keys that do them ("click" after G: a flood fill at a random pixel)
OPS = {"copy": ["Shift+C"], "clear": ["Delete"], "holes": ["Shift+H"], "dilate": ["Shift+D"],
       "accept": ["Shift+A"], "threshold": ["Shift+T"], "flood": ["G", "click"], "brush": ["B", "drag"],
       "undo": ["Ctrl+Z"], "redo": ["Ctrl+Y"], "reviewed": ["R"], "next": ["PgDown"], "previous": ["PgUp"],
       "unreviewed": ["N"]}


def _probability(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A model's map stand-in for `image` (H x W x 3 uint8): its brightness, a random band darkened."""
    grey = image.astype(np.float32).mean(axis=2) / 255.0
    top = int(rng.integers(0, grey.shape[0] // 2))
    grey[top:top + grey.shape[0] // 4] *= 0.3
    return grey


def _worker(folder: Path, projects: Path, settings: Path, seed: int) -> None:  # pragma: no cover - a subprocess
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services
    from tests.gui.annotation_helpers import click, drag, key
    from tests.gui.app_crash_worker import _wait
    from tests.unit.crash_worker import _report_saves, _say, mask_hash

    app = QApplication.instance() or QApplication([])
    _report_saves()
    reporter = CollectingErrorReporter()
    window = MainWindow(Services(settings=QSettings(str(settings), QSettings.Format.IniFormat),
                                 error_reporter=reporter))
    window.resize(1000, 700)
    window.show()
    controller = window.annotation.controller
    controller.registry.projects_root = projects
    window.open_paths([folder], remember=False)

    def ready() -> bool:
        return controller.document is not None and controller.image_path == window.session.current_path

    _wait(app, ready)
    if controller.project is None or controller.project.read_only:
        _say("E", "no writable project")
        return
    _say("O", os.getpid(), controller.project.folder)
    rng = np.random.default_rng(seed)
    printed: dict[str, int] = {}
    names = list(OPS)
    while True:
        current = window.session.current_image
        if current is not None and controller.document is not None and controller.document.probability is None:
            controller.set_probability(window.session.current_path, _probability(current.rgb, rng))
        op = str(rng.choice(names))
        doc = controller.document
        for step in OPS[op]:
            x, y = (float(v) for v in rng.uniform(8, 500, 2))
            if step == "click":
                click(window, x, y)
            elif step == "drag":
                drag(window, [(x, y), (x + 30, y + 20)], settle=False)
            else:
                key(window, step, settle=False)
        if op in ("next", "previous", "unreviewed"):
            _wait(app, ready)
        QTest.qWait(1)
        if reporter.told:
            _say("E", reporter.told[-1])
            return
        for d in {id(x): x for x in (doc, controller.document) if x is not None}.values():
            if printed.get(d.image_id, 0) != d.revision:
                if not controller.project.is_saved(d):
                    _say("E", "a commit returned unsaved:", d.image_id)
                    return
                printed[d.image_id] = d.revision
                _say("C", d.image_id, mask_hash(d.mask), d.status.value)


def _run_window(folder: Path, projects: Path, settings: Path, seed: int, commits: int,
                rng: np.random.Generator) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "tests.gui.test_review_s36_crash_commands", str(folder),
                             str(projects), str(settings), str(seed)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
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
    return lines


@pytest.mark.slow  # two app processes, as test_crash_safety_app's
def test_killing_the_window_during_commands_loses_no_committed_edit(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.annotation.project import Project
    from tests.gui.annotation_helpers import copy_demo
    from tests.unit.crash_worker import Model, disk_state, stray_files

    folder = copy_demo(demo_dir, tmp_path / "demo")
    projects, settings = tmp_path / "projects", tmp_path / "settings" / "fosp.ini"
    rng = np.random.default_rng(36)
    model = Model()
    project_dir: Path | None = None
    for round_ in range(2):  # the second window opens what the killed first one left
        lines = _run_window(folder, projects, settings, round_, int(rng.integers(25, 40)), rng)
        project_dir = Path(next(s for s in lines if s.startswith("O ")).split(maxsplit=2)[2])
        assert not model.feed(lines)
        problems = model.check(disk_state(project_dir))
        assert not problems, f"round {round_}: {problems}\nlast lines: {lines[-6:]}"
    assert project_dir is not None and model.commits >= 50
    with Project.open(project_dir) as project:
        assert not project.read_only, project.read_only_reason
        assert not stray_files(project_dir)


if __name__ == "__main__":
    _worker(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
