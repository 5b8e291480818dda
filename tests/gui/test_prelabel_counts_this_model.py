"""Pre-label All's question after a replacing run stopped half-way counts only the masks that would
change: a model-only mask this model at these settings wrote already (`fosp_core.annotation.prelabel.made_by`)
is left alone by the run, so it is not offered for replacing (the box said "2 images" where 1 would
change) nor counted in the progress line ("0 new, 2 replaced" of a run over 1). Tiny model, demo photos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from app.annotation import prelabel_question
from fosp_core.annotation.prelabel import ModelStamp, prelabel
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import held_after_first, project_window
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint

OLD = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _stripes(rgb: np.ndarray) -> np.ndarray:
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[::2] = 0.9
    return prob


def test_the_question_counts_only_the_masks_that_would_change(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                             monkeypatch) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    project = window.annotation.controller.project
    ids = list(project.ids)
    prelabel(project, _stripes, OLD)  # every image: an older model's mask
    window.annotation.controller.reload_documents()
    runs = window.prelabel
    gate = held_after_first(monkeypatch)
    assert runs.prelabel_all(ask=False, replace_predicted=True)  # replaces the first, then stops
    qtbot.waitUntil(lambda: runs.dialog is not None and runs.dialog.value() == 1, timeout=WAIT_MS)
    runs.cancel()
    gate.set()
    report = runs.wait()
    assert report is not None and report.replaced == ids[:1]
    monkeypatch.undo()

    boxes: list[str | None] = []

    def tick(box: QMessageBox) -> QMessageBox.StandardButton:
        check = box.checkBox()
        boxes.append(None if check is None else check.text())
        if check is not None:
            check.setChecked(True)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(prelabel_question, "answer", tick)
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    left = len(ids) - 1  # the first is this model's mask already
    assert boxes == [f"{prelabel_question.REPLACE_TEXT}: {left} images"]
    qtbot.waitUntil(lambda: runs.job is not None or runs.last_report is not report, timeout=WAIT_MS)
    assert runs.progress_text(1, left)[0] == (f"Pre-labelling: 1 of {left} images (0 new, {left} replaced; masks a "
                                              "person made are left alone)")
    again = runs.wait()
    assert again is not None and again.replaced == ids[1:]
