"""Annotate ▸ Import Labels… asks who made the labels: "made by people" (the default: status edited)
or "a model's predictions" (another tool's output: status predicted, to review like the app's own)."""

from __future__ import annotations

from pathlib import Path

import pytest

import app.annotation as annotation_ui
from app.annotation.import_labels_dialog import ImportChoice, LabelSourceDialog
from fosp_core.annotation.document import Status
from tests.foreign_files import labelme_file
from tests.gui.annotation_helpers import demo_window


def _answer(path: Path, start: Path, *, model: bool):  # noqa: ANN202 - an ask_label_source stand-in
    """`ask_label_source` as the user answers it: `path` selected, the labels' makers chosen, Import."""
    def ask(parent, directory: str = "") -> ImportChoice | None:  # noqa: ANN001
        dialog = LabelSourceDialog(parent, str(start))
        assert dialog.made_by_people.isChecked() and not dialog.made_by_model.isChecked()  # the default
        if model:
            dialog.made_by_model.click()
        dialog.selectFile(str(path))
        dialog.accept()
        choice = dialog.choice()
        dialog.deleteLater()
        return choice
    return ask


@pytest.mark.parametrize(("model", "status"), [(False, Status.EDITED), (True, Status.PREDICTED)])
def test_import_labels_made_by(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                               monkeypatch: pytest.MonkeyPatch, model: bool, status: Status) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    ids = list(ui.worklist.project.ids)
    folder = tmp_path / "labelme"
    folder.mkdir()
    for image_id in ids[:2]:
        labelme_file(folder, image_id, [{"label": "smoke", "points": [[10, 10], [90, 10], [50, 80]]}])
    monkeypatch.setattr(annotation_ui, "ask_label_source", _answer(folder, tmp_path, model=model))

    ui.import_labels_dialog()
    ui.imports.wait()

    assert [ui.worklist.status_of(i) for i in ids] == [status] * 2 + [Status.UNLABELED] * (len(ids) - 2)
    said = window.statusBar().currentMessage()
    assert said.startswith("Imported 2 masks") and ("as a model's predictions" in said) == model


def test_the_choice_reads_as_a_sentence(qtbot) -> None:  # noqa: ANN001
    dialog = LabelSourceDialog(None, "")
    qtbot.addWidget(dialog)
    assert dialog.made_by_label.text() == "These labels are:"
    assert [dialog.made_by_people.text(), dialog.made_by_model.text()] == ["made by people",
                                                                         "a model's predictions"]
    assert dialog.choice() is None  # nothing taken before Import
