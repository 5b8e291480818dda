"""Annotate ▸ Pre-label All… and Run on all after a reopening, in the real window with the tiny model on
the demo's photos: every image without a mask gets the model's mask (status predicted) on a worker,
an edited one is left alone, a second Pre-label All has nothing to do; and a second window's Run on
all leaves out the images whose saved summary is of this model at these settings (it planned every
image again), says so, and Run on All Again runs them all."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import MODEL_KEY
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import held_after_first, project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_prelabel_all_saves_the_models_masks_and_leaves_a_mask_alone(qtbot, make_window, checkpoint, demo_dir,
                                                                     tmp_path) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    controller = window.annotation.controller
    project = controller.project
    edited = project.ids[-1]
    shape = project.entry(project.ids[0]).size or (512, 512)
    project.save_mask(edited, np.ones(tuple(shape), np.uint8), Status.EDITED)
    before = project.mask_path(edited).read_bytes()
    threads: list[str] = []
    import fosp_core.annotation.prelabel as prelabel_module

    real = prelabel_module.write_masks

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    prelabel_module.write_masks = spy
    try:
        assert window.prelabel.prelabel_all(ask=False)
        dialog = window.prelabel.dialog
        assert dialog is not None and dialog.windowTitle() == "Pre-label All"
        report = window.prelabel.wait()
    finally:
        prelabel_module.write_masks = real
    assert threads == ["fosp-prelabel"]  # written on the job's thread, not the GUI's
    assert report is not None and sorted(report.imported) == sorted(project.ids[:-1]) and report.skipped_masked == 1
    statuses = {e.id: e.status for e in project.entries}
    assert statuses == {**dict.fromkeys(project.ids[:-1], Status.PREDICTED), edited: Status.EDITED}
    assert project.mask_path(edited).read_bytes() == before
    assert all(project.entry(i).prediction[MODEL_KEY]["tau"] is not None for i in project.ids[:-1])
    said = window.statusBar().currentMessage()
    assert said.startswith("Pre-label done: 3 images pre-labelled (status predicted)") and "1 already had a mask" in said
    assert controller.document is not None and controller.document.status == Status.PREDICTED  # reloaded, shown
    assert not window.prelabel.prelabel_all(ask=False)  # nothing left
    # the 3 masks the model made are this model's at these settings: replacing them would change nothing (said so)
    assert window.statusBar().currentMessage() == (
        "Nothing to pre-label: every image has a mask already; the 3 made by a model only (status predicted) are "
        "this model's at these settings already: nothing to replace (another checkpoint or other settings replace "
        "them)")


def test_run_on_all_after_a_reopening_skips_images_summarised_by_this_model(qtbot, make_window, checkpoint,
                                                                           demo_dir, tmp_path, monkeypatch) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    project = window.annotation.controller.project
    qtbot.waitUntil(lambda: all(project.entry(i).prediction is not None for i in project.ids), timeout=WAIT_MS)
    assert {project.entry(i).prediction[MODEL_KEY]["threshold"] for i in project.ids} == {ctl.settings.threshold}
    window.close()

    second, ctl2 = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)  # the image shown may catch up (ran before)
    asked = spy_runs(ctl2, monkeypatch)
    cached = {p for p in second.session.paths if ctl2.cache.models_for(p)}
    plan = ctl2.planner.run_all(ctl2.model.model_id)
    n = len(second.session) - len(cached)
    assert plan.jobs == [] and n >= 3  # planned every image again before
    assert plan.note == (f"Nothing to run: {n} images skipped: their saved summary is of this model at these "
                         "settings (Annotate ▸ Run on All Again runs every image)")
    ctl2.settings.set_threshold(0.7)  # another threshold: those images run again
    assert len(ctl2.planner.run_all(ctl2.model.model_id).jobs) == n
    ctl2.settings.set_threshold(0.5)
    with qtbot.waitSignal(ctl2.planning.planned, timeout=WAIT_MS):  # its plan, made on a worker
        second.annotation.actions.run_all_again.trigger()
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS * 3)
    assert sorted(map(str, asked[-1])) == sorted(str(p) for p in second.session.paths if p not in cached)


def test_a_cancelled_prelabel_keeps_its_masks_and_goes_on_after(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                              monkeypatch) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    project, runs = window.annotation.controller.project, window.prelabel
    gate = held_after_first(monkeypatch)
    assert runs.prelabel_all(ask=False)
    qtbot.waitUntil(lambda: runs.dialog is not None and runs.dialog.value() == 1, timeout=WAIT_MS)
    assert "masks are shown read-only" in window.statusBar().currentMessage()
    runs.cancel()
    gate.set()
    report = runs.wait()
    assert report is not None and report.cancelled and len(report.imported) == 1 and report.not_reached == 3
    assert window.statusBar().currentMessage() == ("Pre-label cancelled: 1 image pre-labelled (status predicted); "
                                                   "3 not reached (Pre-label All goes on with them)")
    assert sorted(e.status.value for e in project.entries) == ["predicted", "unlabeled", "unlabeled", "unlabeled"]
    gate.set()
    assert runs.prelabel_all(ask=False)
    report = runs.wait()
    assert report is not None and len(report.imported) == 3 and report.skipped_masked == 1


def test_closing_the_window_during_a_prelabel_stops_it_with_its_masks_whole(qtbot, make_window, checkpoint,
                                                                           demo_dir, tmp_path, monkeypatch) -> None:
    from fosp_core.annotation.project import Project

    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    location = window.annotation.controller.project.folder
    runs = window.prelabel
    gate = held_after_first(monkeypatch)
    assert runs.prelabel_all(ask=False)
    qtbot.waitUntil(lambda: runs.dialog is not None and runs.dialog.value() == 1, timeout=WAIT_MS)
    threading.Timer(0.3, gate.set).start()  # the job goes on while the window waits for it to stop
    window.close()
    assert runs.job is None
    with Project.open(demo, location) as project:  # the lock was released: the window closed the project
        statuses = sorted(e.status.value for e in project.entries)
        assert statuses == ["predicted", "unlabeled", "unlabeled", "unlabeled"]
        (done,) = [e.id for e in project.entries if e.status == Status.PREDICTED]
        assert project.load_mask(done) is not None
    assert not list((location / "masks").glob("*.tmp*"))


def test_the_menu_asks_first_and_says_it_is_not_an_undo_step(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                              monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.annotation import prelabel_question
    from fosp_core.annotation import prelabel as core_prelabel

    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    asked: list[str] = []

    def answer(box):  # noqa: ANN001, ANN202
        asked.append(box.text())
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(prelabel_question, "answer", answer)
    counted_on_gui: list[bool] = []  # the count (a stat of each unlabeled image's mask file): off the GUI thread
    todo = core_prelabel.prelabel_counts

    def spy(project, *stamp):  # noqa: ANN001, ANN002, ANN202
        counted_on_gui.append(threading.current_thread() is threading.main_thread())
        return todo(project, *stamp)

    monkeypatch.setattr(core_prelabel, "prelabel_counts", spy)
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=WAIT_MS)  # asked once the count arrives
    assert counted_on_gui == [False]
    assert len(asked) == 1 and "for the 4 images with no mask yet (status predicted)" in asked[0]
    assert "not an undo step" in asked[0] and "images with a mask" in asked[0]
    assert window.prelabel.job is None  # No: nothing started
    project = window.annotation.controller.project
    assert {e.status for e in project.entries} == {Status.UNLABELED}
    assert "Pre-label All" in [a.text().replace("&", "").rstrip("…") for a in window.annotation.menu.actions()]
