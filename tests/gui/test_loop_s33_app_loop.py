"""The model-assisted loop in the app, as a lab lead walks it, in the real window offscreen: open the demo's
folder with the lab's model, correct a mask with the brush, Annotate ▸ Export to SmokeSeg…, Analysis ▸
Fine-tune on a Dataset… (a tiny run: few iterations, the smallest crop, a time limit), Use this model (the Model
panel takes it), then Annotate ▸ Pre-label All… on the images not labelled yet: their masks come from the new
weights, whose digest their stamp names (and not the start's).

The lab's model is the tiny fosp-s (seeded) so that the loop's every step runs in seconds; the fine-tune is a
real `fosp train` process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.annotation import prelabel_runs
from app.annotation.prelabel_question import Choice
from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import MASK_MODEL_KEY, MODEL_KEY, weights_digest
from tests.gui.annotation_helpers import copy_demo, drag, key, open_and_wait
from tests.gui.finetune_start import start_and_wait
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint

TINY_RUN = ["data.scale=96", "train.val_size=96", "data.workers=0", "train.threads=1", "train.log_every=1"]


@pytest.fixture
def lab_model(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "models" / "lab-model.safetensors")


def test_correct_export_fine_tune_and_prelabel_with_the_new_weights(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                   tmp_path: Path, lab_model: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # nothing beside the images
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):  # the lab's model, chosen in the Model panel
        ctl.settings.set_checkpoint(lab_model)
    open_and_wait(qtbot, window, demo)  # File ▸ Open Folder
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.project is not None, timeout=WAIT_MS)
    project = controller.project
    assert project is not None and all(e.status == Status.UNLABELED for e in project.entries)

    # 1. correct the first image's mask with the brush
    doc = controller.document
    first = doc.image_id
    h, w = doc.mask.shape
    controller.state.set_radius(12)
    key(window, "B")
    drag(window, [(w // 4, h // 3), (w // 2, h // 3), (3 * w // 4, h // 3)])
    assert doc.mask[h // 3, w // 2] == 1 and doc.status == Status.EDITED
    assert project.mask_path(first).is_file()

    # 2. Annotate ▸ Export to SmokeSeg…: the one corrected image; the demo lists it in val, so kept splits would
    # leave train empty: new splits by ratio are the default (as fosp project export's), the dialog says why
    window.annotation.actions.export.trigger()
    dialog = window.annotation.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert "nothing to train on" in dialog.split_note.text() and dialog.ratio_splits.isChecked()
    export = tmp_path / "round-1"
    dialog.dst.setText(str(export))
    dialog.ratio_splits.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as exported:
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    report = exported.args[0]
    assert report.count == 1 and report.splits["train"] == [first], report.splits

    # 3. Analysis ▸ Fine-tune on a Dataset…: from the Model panel's model, a tiny run with a time limit
    window.training.runs_dir = str(tmp_path / "runs")
    window.training.action.trigger()
    tune = window.training.dialog
    assert tune is not None and tune.isVisible()
    assert tune.checkpoint_edit.text() == str(lab_model)  # the Model panel's, by default
    tune.extra_overrides = TINY_RUN
    tune.dataset_edit.setText(str(export))
    tune.iterations.setValue(3)
    tune.crop.setCurrentIndex(tune.crop.findData(128))
    tune.batch.setValue(1)
    tune.budget.setValue(5)  # Stop after (minutes)
    tune.device.setCurrentIndex(max(0, tune.device.findData("cpu")))
    with qtbot.waitSignal(tune.worker.finished, timeout=300_000) as finished:
        assert start_and_wait(qtbot, tune), tune.status.text()
    assert finished.args == [0], tune.log_view.toPlainText()[-3000:]
    model = tune.plan.model_out
    assert model.is_file() and tune.use_button.isEnabled(), tune.status.text()
    new_weights, start_weights = weights_digest(model), weights_digest(lab_model)
    assert new_weights and new_weights != start_weights  # no val split: the run's last weights, trained

    # 4. Use this model: the Model panel loads it
    qtbot.mouseClick(tune.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (ctl.loaded_checkpoint() or (None,))[0] == model, timeout=WAIT_MS)
    tip = ctl.panel.checkpoint_label.toolTip().splitlines()
    assert tip[0] == str(model) and tip[1].startswith("fine-tuned from lab-model on "), tip

    # 5. Annotate ▸ Pre-label All…: the next images (those with no mask) get the new model's masks
    monkeypatch.setattr(prelabel_runs, "ask_prelabel", lambda *_args: Choice(True, False))
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: window.prelabel.dialog is not None, timeout=WAIT_MS)
    result = window.prelabel.wait()
    assert result is not None and len(result.imported) == 3 and result.skipped_masked == 1
    for entry in project.entries:
        if entry.id == first:
            assert entry.status == Status.EDITED and MASK_MODEL_KEY not in entry.extra
            continue
        assert entry.status == Status.PREDICTED, entry.id
        assert entry.prediction[MODEL_KEY]["weights"] == new_weights, entry.prediction[MODEL_KEY]
        assert entry.extra[MASK_MODEL_KEY]["weights"] == new_weights
        mask = project.load_mask(entry.id)
        assert mask is not None and mask.shape == tuple(entry.size) and set(np.unique(mask)) <= {0, 1}
