"""The Export dialog and ``fosp project export`` agree on splits. Since c3f49953 the command line draws new splits
(0.8 / 0.1 / 0.1, seeded) when a dataset's own splits would leave train empty (the bundled demo lists its 4 images
in val), saying why; the dialog still kept them by default and only noted "No image would be in train": a user who
exported from the app and fine-tuned got "no labelled images". The dialog's default is now new splits by ratio,
with the command line's reason; keeping them is still a choice (then the old note). And a split that leaves val
empty (one image at 0.8 / 0.1 / 0.1, or a val share of 0) was said by neither: it is said under the choice."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.annotation.export_dialog import ExportDialog
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from tests.gui.annotation_helpers import demo_window

NO_VAL = "Val would hold no image: the fine-tune will have nothing to choose its best weights on"


def _dialog(qtbot, tmp_path: Path, entries: list[ImageEntry]) -> ExportDialog:  # noqa: ANN001
    dialog = ExportDialog(SimpleNamespace(entries=entries), tmp_path / "out")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def _demo_entries(status: Status = Status.EDITED) -> list[ImageEntry]:
    return [ImageEntry(f"p{i}", f"p{i}.jpg", status=status, split="val") for i in range(4)]


def test_splits_that_leave_train_empty_are_drawn_anew_by_default(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from fosp_core.annotation.export import no_train_reason

    dialog = _dialog(qtbot, tmp_path, _demo_entries())
    assert dialog.keep_splits.isEnabled(), "keeping them stays a choice"
    assert dialog.ratio_splits.isChecked() and not dialog.keep_splits.isChecked()  # was: kept, train 0
    assert dialog.options().splits == (0.8, 0.1, 0.1)
    assert all(box.isEnabled() for box in (dialog.train, dialog.val, dialog.test, dialog.seed))
    note = dialog.split_note.text()
    reason = no_train_reason("all 4 in val")  # the command line's words (fosp project export)
    assert reason == "the source's splits put all 4 in val: nothing to train on"
    assert reason in note and "Keep the source dataset's splits" in note, note
    assert not dialog.split_note.isHidden() and "\n" not in note
    dialog.keep_splits.setChecked(True)  # the user keeps them: the old warning
    assert dialog.options().splits == "keep"
    assert dialog.split_note.text().startswith("No image would be in train (the source's splits put all 4 in val)")


def test_the_default_follows_reviewed_only_until_the_user_chooses(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """The command line decides over the images it takes (--reviewed-only's too): so does the dialog."""
    entries = [ImageEntry(f"t{i}", f"t{i}.jpg", status=Status.EDITED, split="train") for i in range(6)]
    entries += [ImageEntry(f"v{i}", f"v{i}.jpg", status=Status.REVIEWED, split="val") for i in range(2)]
    dialog = _dialog(qtbot, tmp_path, entries)
    assert dialog.keep_splits.isChecked()  # 6 in train: kept, as the command line keeps them
    dialog.reviewed_only.setChecked(True)  # the reviewed ones are all in val
    assert dialog.ratio_splits.isChecked() and "all 2 in val: nothing to train on" in dialog.split_note.text()
    dialog.reviewed_only.setChecked(False)
    assert dialog.keep_splits.isChecked()
    dialog.ratio_splits.setChecked(True)  # the user's own choice is left alone
    dialog.keep_splits.setChecked(True)
    dialog.reviewed_only.setChecked(True)
    assert dialog.keep_splits.isChecked() and dialog.split_note.text().startswith("No image would be in train")


def test_one_image_leaves_val_empty_and_says_so(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    photo = [ImageEntry("p0", "p0.jpg", status=Status.EDITED)]  # a folder of photos: new splits
    dialog = _dialog(qtbot, tmp_path, photo)
    assert dialog.options().splits == (0.8, 0.1, 0.1)
    note = dialog.split_note.text()  # was: nothing (train 1, val 0)
    assert note.startswith(NO_VAL) and "label more images" in note, note
    assert not dialog.split_note.isHidden()


def test_a_val_share_of_zero_says_so(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, tmp_path, [ImageEntry(f"p{i}", f"p{i}.jpg", status=Status.EDITED) for i in range(60)])
    assert dialog.split_note.text() == ""  # 48 / 6 / 6
    dialog.val.setValue(0.0)
    note = dialog.split_note.text()
    assert note.startswith(NO_VAL) and "give val a share" in note, note


def test_kept_splits_without_val_say_so(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    entries = [ImageEntry(f"p{i}", f"p{i}.jpg", status=Status.EDITED, split=s)
               for i, s in enumerate(["train"] * 8 + ["test"] * 6)]
    dialog = _dialog(qtbot, tmp_path, entries)
    assert dialog.keep_splits.isChecked()
    note = dialog.split_note.text()
    assert note.startswith(NO_VAL) and "New splits by ratio" in note, note


def test_the_demo_window_exports_with_train_images(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                   tmp_path: Path) -> None:
    """The real window on the demo, every image labelled: Export's defaults give train images."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    project = window.annotation.worklist.project
    assert project is not None and [e.split for e in project.entries] == ["val"] * 4
    for entry in project.entries:
        entry.status = Status.EDITED  # as once their labels are imported (by status, nothing read)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    assert dialog.ratio_splits.isChecked() and dialog.options().splits == (0.8, 0.1, 0.1)
    assert "the source's splits put all 4 in val: nothing to train on" in dialog.split_note.text()
    dialog.reject()
