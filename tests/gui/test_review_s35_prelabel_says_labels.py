"""Pre-label All on a SmokeSeg dataset whose own labels were never brought in (real SmokeSeg samples): its
question offered to save the model's mask "for the 30 images with no mask yet" and said nothing of the 30
person-made labels the dataset holds for those very images (ground truth only in the app), so the annotator
could fill the dataset with a model's masks believing it had none. The question now says how many of those
images have a dataset label and where Import Labels… is (an import later replaces these model masks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.annotation import prelabel_question
from tests.gui.smokeseg_copy import writable_smokeseg
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


def test_pre_label_all_says_the_dataset_has_labels_of_its_own(
        qtbot, make_window, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot, make_window
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    window, _ctl = ready_window(qtbot, make_window, checkpoint, [dataset], projects_root=tmp_path / "projects")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.project is not None, timeout=WAIT_MS)
    asked: list[str] = []
    monkeypatch.setattr(prelabel_question, "answer",
                        lambda box: asked.append(box.text()) or QMessageBox.StandardButton.No)

    assert window.prelabel.prelabel_all(ask=True)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    text = " ".join(asked[0].split())
    assert "for the 30 images with no mask yet" in text, text
    assert "30 of them have a SegmentationClass label" in text and "Annotate ▸ Import Labels…" in text, text
