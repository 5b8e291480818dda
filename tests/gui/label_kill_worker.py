"""Kill-test worker for a labelling day at scale: ``python -m tests.gui.label_kill_worker FOLDER PROJECTS
CHECKPOINT POINT [SOURCE]`` opens FOLDER in the real window (hidden, offscreen; projects under PROJECTS,
the tiny CHECKPOINT), corrects the first image (Accept Prediction, a brush stroke, Mark Reviewed, the save
waited for: "R <id>"), then goes to POINT and says "K <point> <n>" where the parent kills it (SIGKILL):

- ``run_all``: Run on all, once `n` results are in (the run goes on until the kill);
- ``import``: Import Labels of SOURCE on the app's worker, its thread held after the `n`-th mask
  and its state (`Project.note_state`);
- ``export``: Import Labels of SOURCE (7 masks), then Export to SmokeSeg to PROJECTS/../export,
  held after `n` images written.

It never returns on its own."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

HELD = 3  # the masks / images written before the import or export is held


def _say(*words: object) -> None:
    print(*words, flush=True)


def _wait(app: QApplication, ready, timeout: float = 120.0) -> None:  # noqa: ANN001 - a predicate
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            _say("E timed out")
            sys.exit(3)
        app.processEvents()
        time.sleep(0.01)


def _hold_forever(app: QApplication) -> None:
    while True:
        app.processEvents()
        time.sleep(0.01)


def main(folder: Path, projects: Path, checkpoint: Path, point: str, source: Path | None) -> None:
    from app.main import create_app
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services
    from tests.gui.review_steps import correct_and_review
    from tests.gui.tiny_model import INPUT

    app = create_app([])
    window = MainWindow(Services(settings=QSettings(str(projects.parent / "settings.ini"), QSettings.Format.IniFormat),
                                 error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = projects
    window.resize(1000, 700)
    window.show()
    ctl, ui = window.analysis, window.annotation
    ctl.worker.set_input_size(INPUT)
    ctl.settings.set_checkpoint(checkpoint)
    _wait(app, lambda: ctl.model is not None)
    window.open_paths([folder], remember=False)
    _wait(app, lambda: ui.worklist.project is not None and ui.controller.document is not None)
    doc = ui.controller.document
    request = ctl.run_current()
    _wait(app, lambda: request not in ctl._runs and doc.probability is not None)
    correct_and_review(window)
    _say("R", doc.image_id)
    if point == "run_all":
        results = [0]
        ctl.worker.result.connect(lambda *_a: results.__setitem__(0, results[0] + 1))
        ctl.run_all()
        _wait(app, lambda: results[0] >= HELD)
    elif point == "import":
        from fosp_core.annotation.project import Project

        note_state, written, hold = Project.note_state, [0], threading.Event()

        def held(project: Project, *args: object, **kwargs: object) -> None:  # after a mask and its state
            note_state(project, *args, **kwargs)
            # the state after a mask, not the intent journalled before its PNG (durable=True: mask_intents,
            # 159b711e): counting both held the import after the second mask's intent, its PNG not written
            if threading.current_thread().name == "fosp-import-labels" and not kwargs.get("durable"):
                written[0] += 1
                if written[0] == HELD:
                    hold.wait()  # never set: the kill lands here

        Project.note_state = held  # type: ignore[method-assign]
        assert ui.start_import(source)
        _wait(app, lambda: written[0] >= HELD)
    elif point == "export":
        from app.annotation import export_worker

        export, done = export_worker.export_smokeseg, [0]

        def held_export(*args: object, progress=None, **kwargs: object):  # noqa: ANN001, ANN202
            def said(n: int, total: int | None) -> None:
                done[0] = n
                if progress is not None:
                    progress(n, total)
                if n >= HELD:
                    threading.Event().wait()  # the kill lands here
            return export(*args, progress=said, **kwargs)

        export_worker.export_smokeseg = held_export
        assert ui.import_labels(source) == 7  # masks to export
        dialog = ui.open_export_dialog()
        dialog.dst.setText(str(projects.parent / "export"))
        dialog.start()
        _wait(app, lambda: done[0] >= HELD)
    _say("K", point, HELD)
    _hold_forever(app)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4],
         Path(sys.argv[5]) if len(sys.argv) > 5 else None)
