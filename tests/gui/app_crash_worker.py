"""Crash-test worker for the real window: ``python -m tests.gui.app_crash_worker FOLDER PROJECTS
SETTINGS SEED`` opens FOLDER in a hidden `MainWindow` (projects under PROJECTS), then edits with the
keyboard and the mouse as an annotator does - brush, eraser and ignore strokes, polygons, undo,
redo, "mark reviewed", next/previous image - so every save goes the app's way (canvas gesture ->
tool -> document commit -> project autosave). It prints the lines of `tests.unit.crash_worker`
("O PID PROJECT-FOLDER", then P/S before each save and C after each commit that returned) and
runs until it is killed. It never waits for a background mask save: a kill lands in
whatever the saves are doing."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.annotation_helpers import click, drag, key
from tests.unit.crash_worker import _report_saves, _say, mask_hash


def _wait(app: QApplication, ready, timeout: float = 30.0) -> None:  # noqa: ANN001 - a predicate
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            _say("E", "timed out waiting for the window")
            sys.exit(3)
        app.processEvents()
        time.sleep(0.005)


def main(folder: Path, projects: Path, settings: Path, seed: int) -> None:
    app = QApplication.instance() or QApplication([])
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    _report_saves()
    reporter = CollectingErrorReporter()
    window = MainWindow(Services(settings=QSettings(str(settings), QSettings.Format.IniFormat),
                                 error_reporter=reporter))
    window.resize(1000, 700)
    window.show()
    controller = window.annotation.controller
    controller.registry.projects_root = projects
    window.open_paths([folder], remember=False)
    _wait(app, lambda: controller.document is not None and controller.image_path == window.session.current_path)
    if controller.project is None or controller.project.read_only:
        _say("E", "no writable project:", None if controller.project is None else controller.project.read_only_reason)
        return
    _say("O", os.getpid(), controller.project.folder)
    rng = np.random.default_rng(seed)
    printed: dict[str, int] = {}
    ops = ["brush", "brush", "eraser", "ignore", "polygon", "undo", "redo", "reviewed", "next", "previous"]
    while True:
        op = str(rng.choice(ops))
        doc = controller.document
        points = [(float(x), float(y)) for x, y in rng.uniform(8, 500, (int(rng.integers(2, 5)), 2))]
        if op in ("brush", "eraser", "ignore"):
            key(window, {"brush": "B", "eraser": "E", "ignore": "I"}[op], settle=False)
            drag(window, points, settle=False)
        elif op == "polygon":
            key(window, "P", settle=False)
            for x, y in points + [(points[0][0] + 40, points[0][1] + 30)]:
                click(window, x, y)
            key(window, "Return", settle=False)
        elif op == "undo":
            key(window, "Ctrl+Z", settle=False)
        elif op == "redo":
            key(window, "Ctrl+Y", settle=False)
        elif op == "reviewed":
            key(window, "R", settle=False)
        else:
            index = window.session.current_index + (1 if op == "next" else -1)
            if 0 <= index < len(window.session):
                key(window, "PgDown" if op == "next" else "PgUp", settle=False)
                _wait(app, lambda i=index: window.session.current_index == i and controller.document is not None
                      and controller.image_path == window.session.current_path)
        QTest.qWait(1)
        if reporter.told:  # a file not opened, a save that failed
            _say("E", reporter.told[-1])
            return
        for d in {id(x): x for x in (doc, controller.document) if x is not None}.values():
            if printed.get(d.image_id, 0) != d.revision:
                if not controller.project.is_saved(d):
                    _say("E", "a commit returned unsaved:", d.image_id)
                    return
                printed[d.image_id] = d.revision
                _say("C", d.image_id, mask_hash(d.mask), d.status.value)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
