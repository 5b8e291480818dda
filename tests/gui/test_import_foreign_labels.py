"""Annotate ▸ Import Labels… with labels made in other tools: the one dialog takes a COCO/CVAT
file or a folder, asks which labels are smoke when it cannot tell (a list to tick), and the
imported mask is the current document's; a malformed file is reported and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

import app.annotation as annotation_ui
from app.annotation.import_labels_dialog import ImportChoice, LabelSourceDialog, SmokeLabelsDialog
from fosp_core.annotation.document import Status
from tests.foreign_files import coco_rle_string, demo_smoke, labelme_file, runs
from tests.gui.annotation_helpers import demo_window


def _choose_in_dialog(path: Path, start: Path):  # noqa: ANN202 - an ask_label_source stand-in
    """`ask_label_source` as the user answers it: `path` selected in the real dialog, then Import."""
    def ask(parent, directory: str = "") -> ImportChoice | None:  # noqa: ANN001
        dialog = LabelSourceDialog(parent, str(start))
        dialog.selectFile(str(path))
        dialog.accept()
        chosen = dialog.choice()
        dialog.deleteLater()
        return chosen
    return ask


def test_import_dialog_takes_a_coco_file_and_asks_which_labels_are_smoke(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    doc = ui.controller.document
    image_id = doc.image_id
    smoke = demo_smoke(demo_dir, image_id + ".jpg")
    coco = tmp_path / "export" / "task.json"
    coco.parent.mkdir()
    coco.write_text(json.dumps({
        "images": [{"id": 1, "file_name": f"C:\\frames\\{image_id}.JPG", "height": 512, "width": 512},
                   {"id": 2, "file_name": "elsewhere.jpg", "height": 512, "width": 512}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 2, "iscrowd": 1, "segmentation": {
            "size": [512, 512], "counts": coco_rle_string(runs(smoke, fortran=True))}}],
        "categories": [{"id": 1, "name": "fire"}, {"id": 2, "name": "haze"}]}))
    asked: list[list[str]] = []

    def tick_haze(parent, source: str, labels: list[str]) -> list[str]:  # noqa: ANN001
        dialog = SmokeLabelsDialog(source, labels, parent)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        asked.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        assert not ok.isEnabled()  # nothing ticked yet
        dialog.list.findItems("haze", Qt.MatchFlag.MatchExactly)[0].setCheckState(Qt.CheckState.Checked)
        assert ok.isEnabled()
        chosen = dialog.chosen()
        dialog.deleteLater()
        return chosen

    monkeypatch.setattr(annotation_ui, "ask_label_source", _choose_in_dialog(coco, tmp_path))
    monkeypatch.setattr(annotation_ui, "ask_smoke_labels", tick_haze)
    ui.actions.import_labels.trigger()
    ui.imports.wait()  # the import runs on a worker (app.annotation.label_import)

    assert asked == [["fire", "haze"]]
    qtbot.waitUntil(lambda: ui.controller.document is not None and ui.controller.document is not doc)
    now = ui.controller.document
    assert now.image_id == image_id and now.status == Status.EDITED
    np.testing.assert_array_equal(now.mask, smoke)
    said = window.statusBar().currentMessage()
    assert "Imported 1 masks from COCO labels (smoke: haze)" in said
    assert "1 images of the file not in the project (elsewhere.jpg)" in said
    assert ui.worklist.status_of(image_id) == Status.EDITED


def test_import_dialog_takes_a_labelme_folder(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    ids = list(ui.worklist.project.ids)
    folder = tmp_path / "labelme"
    folder.mkdir()
    for image_id in ids[:3]:
        labelme_file(folder, image_id, [{"label": "smoke", "points": [[10, 10], [90, 10], [50, 80]]}])
    monkeypatch.setattr(annotation_ui, "ask_label_source", _choose_in_dialog(folder, tmp_path))
    monkeypatch.setattr(annotation_ui, "ask_smoke_labels", lambda *_a: pytest.fail("one label: nothing to ask"))

    ui.import_labels_dialog()
    ui.imports.wait()

    assert "Imported 3 masks from labelme labels (smoke: smoke)" in window.statusBar().currentMessage()
    assert [ui.worklist.status_of(i) for i in ids] == [Status.EDITED] * 3 + [Status.UNLABELED]


def test_a_malformed_file_is_reported_and_imports_nothing(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    xml = tmp_path / "annotations.xml"
    xml.write_text("<annotations><image name='x.jpg' width='512'></image></annotations>")
    monkeypatch.setattr(annotation_ui, "ask_label_source", _choose_in_dialog(xml, tmp_path))

    ui.import_labels_dialog()
    ui.imports.wait()

    told = window.services.error_reporter.errors
    assert [(e.path, e.reason) for e in told] == [(xml, "<image name='x.jpg'>: attribute 'height' must be a number")]
    assert {ui.worklist.status_of(i) for i in ui.worklist.project.ids} == {Status.UNLABELED}
