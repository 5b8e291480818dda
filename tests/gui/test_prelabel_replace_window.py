"""Pre-label All after a retrain, in the real window with the tiny model on the demo's photos: the question
shows the box "Also replace masks that only a model made (status predicted)" when such masks exist, and
only then; ticked, the model-only masks are replaced (counted apart: "0 new, 2 replaced" in the progress
line and the summary) and a reviewed or an imported mask is never touched; unticked or asked without
it, "Nothing to pre-label" says how to replace them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from app.annotation import prelabel_question
from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import MODEL_KEY, ModelStamp, prelabel
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import held_after_first, project_window
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint

OLD = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")
NOTHING = ("Nothing to pre-label: every image has a mask already; 2 of them were made by a model only (status "
           "predicted): 'Also replace masks that only a model made (status predicted)' in Pre-label All's "
           "question replaces those with this model's")


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _stripes(rgb: np.ndarray) -> np.ndarray:
    """The older model: smoke on every other row (no mask the tiny model makes)."""
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[::2] = 0.9
    return prob


def _window(qtbot, make_window, checkpoint: Path, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    """The window on the demo whose project holds: images 0 and 1 the older model's masks, 2 reviewed,
    3 imported (a person's label); the ids in that order."""
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    controller = window.annotation.controller
    project = controller.project
    ids = list(project.ids)
    prelabel(project, _stripes, OLD)  # the older model, as Pre-label All or fosp project prelabel left it
    project.save_mask(ids[2], np.ones((512, 512), np.uint8), Status.REVIEWED)
    labels = tmp_path / "labels"
    labels.mkdir()
    (source,) = [p for p in (demo / "SegmentationClass").glob("*.png") if p.stem == Path(ids[3]).stem]
    shutil.copyfile(source, labels / source.name)
    assert project.import_labels(labels, overwrite=True).imported == [ids[3]]
    controller.reload_documents()
    return window, project, ids


def test_the_box_replaces_only_the_model_made_masks(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                   monkeypatch) -> None:
    window, project, ids = _window(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    before = {i: project.mask_path(i).read_bytes() for i in ids}
    asked: list[tuple[str, str | None]] = []

    def tick(box: QMessageBox) -> QMessageBox.StandardButton:
        check = box.checkBox()
        asked.append((box.text(), None if check is None else check.text()))
        assert check is not None and not check.isChecked()  # unticked: replacing is asked each time
        check.setChecked(True)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(prelabel_question, "answer", tick)
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: window.prelabel.job is not None or window.prelabel.dialog is not None, timeout=WAIT_MS)
    assert window.prelabel.progress_text(1, 2)[0] == (
        "Pre-labelling: 1 of 2 images (0 new, 2 replaced; masks a person made are left alone)")
    report = window.prelabel.wait()
    (text, box), = asked
    assert box == "Also replace masks that only a model made (status predicted): 2 images"
    assert "Every image has a mask already" in text and "not an undo step" in text
    assert "2 images have a mask only a model made" in text
    assert report is not None and report.imported == ids[:2] and report.replaced == ids[:2]
    assert window.statusBar().currentMessage() == ("Pre-label done: 2 images pre-labelled (status predicted): "
                                                   "0 new, 2 replaced; 2 already had a mask, left alone")
    assert {i: project.mask_path(i).read_bytes() for i in ids[2:]} == {i: before[i] for i in ids[2:]}
    for image_id in ids[:2]:
        assert project.mask_path(image_id).read_bytes() != before[image_id]
        assert project.entry(image_id).prediction[MODEL_KEY]["checkpoint"] != OLD.checkpoint
        assert project.entry(image_id).status == Status.PREDICTED
    assert [project.entry(i).status for i in ids[2:]] == [Status.REVIEWED, Status.EDITED]
    doc = window.annotation.controller.document  # the image shown has the new mask, and no undo step for it
    assert doc is not None and doc.image_id == ids[0] and not doc.can_undo
    assert np.array_equal(doc.mask, project.load_mask(ids[0]))


def test_unticked_or_without_the_box_nothing_to_prelabel_says_how(qtbot, make_window, checkpoint, demo_dir,
                                                                  tmp_path, monkeypatch) -> None:
    window, project, ids = _window(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    before = {i: project.mask_path(i).read_bytes() for i in ids}
    answers: list[bool] = []

    def yes(box: QMessageBox) -> QMessageBox.StandardButton:
        answers.append(box.checkBox() is not None)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(prelabel_question, "answer", yes)
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == NOTHING, timeout=WAIT_MS)
    assert answers == [True] and window.prelabel.job is None
    assert not window.prelabel.prelabel_all(ask=False)
    assert window.statusBar().currentMessage() == NOTHING
    assert {i: project.mask_path(i).read_bytes() for i in ids} == before
    assert window.prelabel.prelabel_all(ask=False, replace_predicted=True)
    report = window.prelabel.wait()
    assert report is not None and report.replaced == ids[:2]


def test_no_box_when_no_mask_is_only_a_models(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                              monkeypatch) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    boxes: list[object] = []

    def no(box: QMessageBox) -> QMessageBox.StandardButton:
        boxes.append(box.checkBox())
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(prelabel_question, "answer", no)
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: len(boxes) == 1, timeout=WAIT_MS)
    assert boxes == [None]


def test_a_cancelled_replacing_run_says_what_running_it_again_does(qtbot, make_window, checkpoint, demo_dir,
                                                                  tmp_path, monkeypatch) -> None:
    window, project, ids = _window(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    gate = held_after_first(monkeypatch)
    runs = window.prelabel
    assert runs.prelabel_all(ask=False, replace_predicted=True)
    qtbot.waitUntil(lambda: runs.dialog is not None and runs.dialog.value() == 1, timeout=WAIT_MS)
    runs.cancel()
    gate.set()
    report = runs.wait()
    assert report is not None and report.cancelled and report.replaced == ids[:1]
    assert window.statusBar().currentMessage() == (
        "Pre-label cancelled: 1 image pre-labelled (status predicted): 0 new, 1 replaced; 1 not reached "
        "(Pre-label All goes on with them, its box ticked again); 2 already had a mask, left alone")
    assert runs.prelabel_all(ask=False, replace_predicted=True)  # goes on: the one replaced is left alone
    again = runs.wait()
    assert again is not None and again.replaced == ids[1:2] and again.skipped_masked == 3
