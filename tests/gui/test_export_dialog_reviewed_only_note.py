"""The Export dialog's "Reviewed images only" left out the masked images not yet reviewed without a word
(a sweep: 12 of 20 gone from the export, unsaid). Ticked, it now says how many it will leave out, before
exporting, while the user can untick it; the summary after says how many were left out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.annotation.export_dialog import export_summary
from fosp_core.annotation.document import Status
from fosp_core.io.images import read_image
from tests.gui.annotation_helpers import demo_window


def test_ticking_reviewed_only_says_how_many_masked_images_it_leaves_out(qtbot, make_window,  # noqa: ANN001
                                                                          demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    project = window.annotation.controller.project
    for image_id, status in zip(project.ids[:3], (Status.REVIEWED, Status.EDITED, Status.PREDICTED), strict=True):
        mask = np.zeros(read_image(project.image_path(image_id)).rgb.shape[:2], np.uint8)
        mask[10:60, 10:60] = 1
        project.save_mask(image_id, mask, status)
    unreviewed = sum(e.status not in (Status.UNLABELED, Status.REVIEWED) for e in project.entries)
    assert unreviewed >= 2
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.probing)
    unticked = dialog.reviewed_note.text()  # every image with a mask: nothing left out; the model's mask is said
    assert unticked.startswith("1 of the images to export is a model's mask") and "status predicted" in unticked
    dialog.reviewed_only.setChecked(True)
    said = f"{unreviewed} images with masks not yet reviewed will be left out"
    assert dialog.reviewed_note.isVisibleTo(dialog) and dialog.reviewed_note.text() == said
    dialog.reviewed_only.setChecked(False)
    assert dialog.reviewed_note.text() == unticked
    dialog.reviewed_only.setChecked(True)
    dialog.dst.setText(str(tmp_path / "out"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=20000)
    assert dialog.error is None, dialog.error
    assert f"{unreviewed} images with masks not yet reviewed were left out" in export_summary(dialog.report)
    assert "not yet reviewed were left out" in window.statusBar().currentMessage()
