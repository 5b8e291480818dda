"""Annotate ▸ Export to SmokeSeg… with a handful of photos: the default 0.8 / 0.1 / 0.1 split of 6
draws 1 val and 1 test image. A one-line note under the split says so when val or test would hold
fewer than 5 images (what it means for the fine-tune's scores, how to get more); the default split
is not changed."""

from __future__ import annotations

from types import SimpleNamespace

from app.annotation.export_dialog import ExportDialog
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry


def _dialog(qtbot, tmp_path, statuses: list[Status], split: str | None = None) -> ExportDialog:  # noqa: ANN001
    entries = [ImageEntry(f"p{i}", f"p{i}.jpg", status=s, split=split) for i, s in enumerate(statuses)]
    dialog = ExportDialog(SimpleNamespace(entries=entries), tmp_path / "out")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def test_six_photos_get_a_note_and_keep_the_default_split(qtbot, tmp_path) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, tmp_path, [Status.EDITED] * 6 + [Status.UNLABELED] * 3)  # unlabeled: not exported
    assert (dialog.train.value(), dialog.val.value(), dialog.test.value()) == (0.8, 0.1, 0.1)
    note = dialog.split_note.text()
    assert not dialog.split_note.isHidden() and "\n" not in note
    assert "1 val" in note and "1 test" in note and "of 6" in note
    assert "fine-tune" in note and "more" in note
    dialog.val.setValue(0.5)  # 6 at 0.8/0.5/0.1 (any scale): 2 val, still fewer than 5
    assert "2 val" in dialog.split_note.text()


def test_enough_images_no_note(qtbot, tmp_path) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, tmp_path, [Status.EDITED] * 54 + [Status.REVIEWED] * 6)
    assert dialog.split_note.isHidden() and dialog.split_note.text() == ""  # 48 / 6 / 6
    dialog.reviewed_only.setChecked(True)  # only the 6 reviewed ones
    assert not dialog.split_note.isHidden() and "of 6" in dialog.split_note.text()
    dialog.test.setValue(0.0)
    dialog.val.setValue(1.0)  # 6 at 0.8 / 1.0 / 0: 3 train, 3 val, no test asked for
    assert "3 val" in dialog.split_note.text() and "test" not in dialog.split_note.text()


def test_kept_source_splits_are_counted_too(qtbot, tmp_path) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, tmp_path, [Status.EDITED] * 2, split="val")
    # both in val, none in train: new splits by default since s33 (as fosp project export), and kept on the
    # user's choice the note says that first (tests/gui/test_export_second_and_no_train.py)
    assert dialog.ratio_splits.isChecked() and "all 2 in val" in dialog.split_note.text()
    dialog.keep_splits.setChecked(True)
    assert "all 2 in val" in dialog.split_note.text() and dialog.split_note.text().startswith("No image")
