"""The Export dialog's small-split note when the source's splits are kept: the ratio boxes are off
then, so the note does not tell the user to raise a share they cannot set; it points to new splits by
ratio instead (app/annotation/split_note.py). Drawn splits keep their words."""

from __future__ import annotations

from types import SimpleNamespace

from app.annotation.export_dialog import ExportDialog
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry


def test_the_note_for_kept_splits_names_what_can_be_done(qtbot, tmp_path) -> None:  # noqa: ANN001
    entries = [ImageEntry(f"p{i}", f"p{i}.jpg", status=Status.EDITED, split=split)
               for i, split in enumerate(["train"] * 8 + ["val"] * 2)]
    dialog = ExportDialog(SimpleNamespace(entries=entries), tmp_path / "out")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.keep_splits.isChecked() and not dialog.val.isEnabled()
    kept = dialog.split_note.text()
    assert "2 val images of 10" in kept
    assert "raise their share" not in kept and "New splits by ratio" in kept
    dialog.ratio_splits.setChecked(True)  # 10 at 0.8 / 0.1 / 0.1: 1 val, 1 test; the shares can be raised
    assert dialog.val.isEnabled() and "raise their share" in dialog.split_note.text()
