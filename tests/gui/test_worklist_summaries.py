"""The worklist's summary of each model result is made on the inference thread
(:mod:`app.annotation.worklist_summaries`): the GUI thread decoded the label PNG again and summarised
every pixel of the map, 12-86 ms per 1920×1080 result. What it stores is what the GUI thread stored
before, and the project stays consistent when the user edits or moves on while the model runs."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from app.analysis.inference_worker import Job
from app.annotation.kept_scores import SCORES_KEY
from app.annotation.worklist_panel import ID_ROLE
from app.annotation.worklist_summaries import RESORT_MS
from fosp_core.annotation import project_import, summaries
from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import MODEL_KEY
from fosp_core.annotation.project import Project
from fosp_core.annotation.worklist import prediction_summary
from fosp_core.infer.result import Prediction
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import demo_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint

SUMMARY_MODULES = (project_import, summaries)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def without_stamp(summary: dict | None) -> dict | None:
    """A stored summary less the model's stamp (`MODEL_KEY`)."""
    return None if summary is None else {k: v for k, v in summary.items() if k != MODEL_KEY}


def _record(monkeypatch: pytest.MonkeyPatch, label_dir: Path) -> list[tuple[str, bool]]:
    """(what, on the GUI thread) for each worklist summary and each read of a label file in `label_dir`."""
    calls: list[tuple[str, bool]] = []

    def on_gui() -> bool:
        return threading.current_thread() is threading.main_thread()

    def summary(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(("summary", on_gui()))
        return prediction_summary(*args, **kwargs)

    def reading(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if Path(path).parent == label_dir:
            calls.append(("label", on_gui()))
        return read_mask(path, *args, **kwargs)

    for module in SUMMARY_MODULES:
        monkeypatch.setattr(module, "prediction_summary", summary)
    from fosp_core.analysis import results
    from fosp_core.annotation import project_images  # the project's reads (split from project.py)

    for module in (project_images, summaries, results):
        monkeypatch.setattr(module, "read_mask", reading)
    return calls


def test_a_result_is_summarised_for_the_worklist_off_the_gui_thread(qtbot, make_window, checkpoint, demo_dir,
                                                                    tmp_path, monkeypatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ctl, controller = window.analysis, window.annotation.controller
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(checkpoint)
    project, image_id = controller.project, controller.document.image_id
    label_path = project.label_path(image_id)
    calls = _record(monkeypatch, label_path.parent)
    request = ctl.run_current()
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs and project.entry(image_id).prediction is not None,
                    timeout=WAIT_MS)

    assert [what for what, gui in calls if gui] == []  # neither the label's decode nor the summary
    assert sorted(what for what, gui in calls if not gui) == ["label", "summary"]  # the label decoded once
    # what the GUI thread stored before: the whole map against the project's label, at the threshold
    expected = prediction_summary(ctl.prediction.probability, controller.state.threshold, read_mask(label_path))
    assert expected["error_vs_label"] is not None
    stored = dict(project.entry(image_id).prediction)
    assert stored.pop(MODEL_KEY)["threshold"] == controller.state.threshold  # and which model made it
    kept = stored.pop(SCORES_KEY)  # and the folder metrics' scores of it, for a later session
    assert kept["label"]["file"] == str(label_path) and kept["n"] == 1
    assert stored == expected


def _prediction(shape: tuple[int, int], seed: int, spread: float = 1.0) -> Prediction:
    """Random probabilities in 0.5 ± spread / 2 (the smaller `spread`, the more uncertain)."""
    noise = np.random.default_rng(seed).random(shape, dtype=np.float32)
    probability = (0.5 + (noise - 0.5) * spread).astype(np.float32)
    return Prediction(probability=probability, focus_map=probability, hole=probability > 0.15, tau=0.15)


def _deliver(window, path: Path, prediction: Prediction, follow) -> None:  # noqa: ANN001
    """What the inference worker sends for one image: its follower's summary, then the result."""
    summaries_ = window.worklist_summaries
    summaries_.on_followed(1, path, follow(path, prediction, None))
    summaries_.on_result(1, path, "model", 0.15, prediction)


def test_edits_and_moving_on_while_the_model_runs_leave_the_project_consistent(qtbot, make_window, demo_dir,
                                                                              tmp_path) -> None:
    from fosp_core.annotation import tools

    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller, session = window.annotation.controller, window.session
    project, doc = controller.project, controller.document
    first, second = session.paths[0], session.paths[1]
    follow = window.worklist_summaries.follow([Job(first), Job(second)])  # the run is asked for
    assert follow is not None
    tools.brush(doc, [(100, 100), (160, 120)], 6)  # the user paints the image while it runs: saved
    prediction = _prediction(doc.shape, 0)
    session.set_current(1)  # and moves on before its result arrives
    qtbot.waitUntil(lambda: controller.image_path == second, timeout=10000)
    _deliver(window, first, prediction, follow)

    entry = project.entry(doc.image_id)
    expected = prediction_summary(prediction.probability, controller.state.threshold,
                                  project.load_label(doc.image_id))
    assert without_stamp(entry.prediction) == expected and entry.status == Status.EDITED
    assert project.entry(project.ids[1]).prediction is None
    # the disk says the same (project.json and the journal, as a reopening after a crash reads them)
    reader = Project.open(project.folder, create=False)
    assert reader.read_only  # the window holds the lock: reading only
    assert without_stamp(reader.entry(doc.image_id).prediction) == expected
    assert reader.entry(doc.image_id).status == Status.EDITED
    np.testing.assert_array_equal(reader.load_mask(doc.image_id), doc.mask)


def test_a_label_changed_while_the_model_ran_is_summarised_again(qtbot, make_window, demo_dir, tmp_path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    project, image_id, path = controller.project, controller.document.image_id, window.session.paths[0]
    follow = window.worklist_summaries.follow([Job(path)])
    prediction = _prediction(controller.document.shape, 1)
    made = follow(path, prediction, None)
    label_path = project.label_path(image_id)
    label = read_mask(label_path)
    wiped = np.where(label == 1, 0, label).astype(np.uint8)  # someone fixed the label meanwhile
    from fosp_core.io.masks import write_mask_png

    write_mask_png(label_path, wiped)
    window.worklist_summaries.on_followed(1, path, made)
    window.worklist_summaries.on_result(1, path, "model", 0.15, prediction)

    threshold = controller.state.threshold
    assert made.summary == prediction_summary(prediction.probability, threshold, label)
    assert without_stamp(project.entry(image_id).prediction) == prediction_summary(prediction.probability, threshold, wiped)


def test_run_on_all_cancelled_keeps_the_summary_of_each_result_and_runs_on(qtbot, make_window, checkpoint,
                                                                          demo_dir, tmp_path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ctl, project = window.analysis, window.annotation.controller.project
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(checkpoint)
    results: list[Path] = []

    def cancel_at_once(_rid: int, path: Path, *_: object) -> None:
        results.append(Path(path))
        ctl.cancel()

    ctl.worker.result.connect(cancel_at_once)
    with qtbot.waitSignal(ctl.worker.done, timeout=WAIT_MS, check_params_cb=lambda _rid, cancelled: cancelled):
        assert run_all(qtbot, ctl) is not None
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    summarised = {e.id for e in project.entries if e.prediction is not None}
    assert 1 <= len(results) < len(project.entries)
    assert summarised == {path.stem for path in results}  # each result kept, nothing else (ids: the stems)

    ctl.worker.result.disconnect(cancel_at_once)  # Run on All again: the rest
    assert run_all(qtbot, ctl) is not None
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    assert all(e.prediction is not None and e.prediction["error_vs_label"] is not None for e in project.entries)


def test_a_burst_of_results_sorts_the_worklist_once(qtbot, make_window, demo_dir, tmp_path) -> None:
    """Each stored summary sorted the whole worklist again at once (a project of 20 000 images: ~30 ms
    a result); results coming fast are sorted once, a moment later."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller, session, worklist = window.annotation.controller, window.session, window.annotation.worklist
    project = controller.project
    worklist.sort.setCurrentIndex(worklist.sort.findText("Model uncertainty"))
    told: list[bool] = []
    controller.state_changed.connect(lambda: told.append(True))
    follow = window.worklist_summaries.follow([Job(path) for path in session.paths])
    for seed, path in enumerate(session.paths):
        found = controller.registry.lookup(path)
        assert found is not None
        shape = found[0].load_label(found[1]).shape
        _deliver(window, path, _prediction(shape, seed, spread=1.0 - 0.2 * seed), follow)  # the last most uncertain
    assert all(entry.prediction is not None for entry in project.entries) and told == []
    qtbot.waitUntil(lambda: told == [True], timeout=5000)
    uncertainty = {e.id: e.prediction["uncertainty"] for e in project.entries}
    listed = [worklist.model.index(row).data(ID_ROLE) for row in range(worklist.model.rowCount())]
    assert listed == sorted(uncertainty, key=lambda i: -uncertainty[i]) == project.ids[::-1]
    qtbot.wait(2 * RESORT_MS)
    assert told == [True]
