"""The Export dialog's result message (the status bar's line after an export) names exact duplicates,
the same image file under two names, as `fosp project export` prints them (ExportReport.duplicates):
it said nothing of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from app.annotation.export_dialog import export_summary
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import ExportReport
from tests.gui.annotation_helpers import open_and_wait


def test_the_export_message_names_exact_duplicates(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    jpgs = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    for name, jpg in (("a.jpg", jpgs[0]), ("a copy.jpg", jpgs[0]), ("c.jpg", jpgs[1])):
        shutil.copyfile(jpg, photos / name)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, photos)
    project = window.annotation.controller.project
    assert project is not None
    for image_id in project.ids:
        mask = np.zeros((512, 512), np.uint8)
        mask[100:200, 100:300] = 1
        project.save_mask(image_id, mask, Status.EDITED)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    dialog.dst.setText(str(tmp_path / "out"))
    dialog.ratio_splits.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=20000) as blocker:
        dialog.start()
    report = blocker.args[0]
    assert report.duplicates == [["a", "a copy"]]
    shown = window.statusBar().currentMessage()
    assert shown == export_summary(report)
    assert "exact duplicates" in shown and "a = a copy" in shown  # was: 'Exported 3 images to …' alone


def test_the_export_message_without_duplicates_is_as_before(tmp_path: Path) -> None:
    report = ExportReport(tmp_path, {"train": ["a", "b"]}, [("c", "no mask yet")])
    assert export_summary(report) == f"Exported 2 images to {tmp_path} (train 2); 1 without a mask left out"


def test_the_export_message_names_at_most_a_few_groups(tmp_path: Path) -> None:
    groups = [[f"p{k}", f"p{k} copy"] for k in range(12)]
    report = ExportReport(tmp_path, {"train": [i.replace(" ", "_") for g in groups for i in g]}, duplicates=groups)
    text = export_summary(report)
    assert "p0 = p0 copy" in text and "p7 = p7 copy" in text and "p8 = p8 copy" not in text
    assert "(12 groups)" in text
