"""The Export dialog says, before Export, how many of the masks it would take a model made and nobody reviewed
(status predicted; R3 review, session 35: a pre-labelled folder with a few masks corrected exported the model's
unreviewed masks as training labels without a word). Ticking Reviewed images only leaves them out: the note then
counts what it leaves out instead, as before."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.annotation.export_dialog import ExportDialog
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry


def test_the_dialog_counts_the_model_made_masks_before_export(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    statuses = [Status.PREDICTED, Status.PREDICTED, Status.PREDICTED, Status.EDITED, Status.REVIEWED,
                Status.UNLABELED]
    entries = [ImageEntry(f"p{i}", f"p{i}.jpg", status=s) for i, s in enumerate(statuses)]
    dialog = ExportDialog(SimpleNamespace(entries=entries), tmp_path / "out")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    note = dialog.reviewed_note
    assert not note.isHidden(), "every image with a mask: the 3 a model made are said before Export"
    assert "3 of the images to export" in note.text() and "status predicted" in note.text()
    assert "Reviewed images only" in note.text()
    dialog.reviewed_only.setChecked(True)
    assert "status predicted" not in note.text() and "4 images with masks not yet reviewed" in note.text()
    dialog.reviewed_only.setChecked(False)
    assert "3 of the images to export" in note.text()


def test_no_note_without_model_made_masks(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    entries = [ImageEntry(f"p{i}", f"p{i}.jpg", status=Status.EDITED) for i in range(3)]
    dialog = ExportDialog(SimpleNamespace(entries=entries), tmp_path / "out")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.reviewed_note.isHidden() and dialog.reviewed_note.text() == ""
