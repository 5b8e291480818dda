"""The Export dialog on the demo: a second export suggested the first one's folder again, now full
(Export then refused it unless told to replace it); it now suggests a free one beside it
(`demo-smokeseg-2`). And keeping the demo's source splits puts all 4 images in val, none in train:
the split note only said the val split was small; it now says first that no image is in train (keeping them is
no longer the default there: tests/gui/test_export_s33_dialog_splits.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.annotation.export_dialog import ExportDialog
from app.annotation.free_folder import free_folder
from app.annotation.split_note import split_note
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from tests.gui.annotation_helpers import demo_window


def test_a_second_export_suggests_a_free_folder(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    first = window.annotation.open_export_dialog()
    assert first is not None
    proposed = Path(first.dst.text())
    assert proposed.name == "demo-smokeseg"
    first.reject()
    (proposed / "images").mkdir(parents=True)  # as the first export left it: full
    (proposed / "images" / "a.jpg").write_bytes(b"x")
    second = window.annotation.open_export_dialog()
    assert second is not None
    free = proposed.with_name("demo-smokeseg-2")  # was: demo-smokeseg again
    qtbot.waitUntil(lambda: Path(second.dst.text()) == free)  # probed off the GUI thread
    second.reject()


def test_free_folder_takes_an_empty_one_and_skips_full_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert free_folder(out) == out
    out.mkdir()
    assert free_folder(out) == out  # empty: free
    (out / "x").write_text("x")
    (tmp_path / "out-2").mkdir()
    (tmp_path / "out-2" / "y").write_text("y")
    assert free_folder(out) == tmp_path / "out-3"


def test_keeping_the_demo_splits_warns_that_train_is_empty(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    # the demo's 4 images, all in its val list, with masks (as once their labels are imported)
    project = window.annotation.worklist.project
    assert project is not None
    entries = [ImageEntry(e.id, e.image, status=Status.EDITED, split=e.split) for e in project.entries]
    assert [e.split for e in entries] == ["val"] * 4
    dialog = ExportDialog(SimpleNamespace(entries=entries), tmp_path / "out")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    # new splits by default since s33, as `fosp project export` draws them (test_export_s33_dialog_splits.py);
    # keeping them is the user's choice, and then the note warns
    assert dialog.ratio_splits.isChecked() and dialog.keep_splits.isEnabled()
    dialog.keep_splits.setChecked(True)
    note = dialog.split_note.text()
    # was: '4 val images of 4: …', nothing said of train
    assert note.startswith("No image would be in train (the source's splits put all 4 in val)"), note
    assert "nothing to learn from" in note and "New splits by ratio" in note
    dialog.ratio_splits.setChecked(True)  # 4 at 0.8 / 0.1 / 0.1: train has images; the note is the small-split one
    assert not dialog.split_note.text().startswith("No image")
    assert split_note({"train": 0, "val": 3, "test": 1}).startswith("No image would be in train (3 in val and 1 in test)")
    assert not split_note({"train": 8, "val": 5, "test": 5}) and not split_note({})
