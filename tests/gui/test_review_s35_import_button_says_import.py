"""Annotate ▸ Import Labels…: a folder selected in the dialog (a SmokeSeg dataset, a folder of masks, a labelme
folder: most sources are folders) turned its Import button into Qt's "Open", though pressing it imports that
folder (`LabelSourceDialog.accept`) and does not open it: the annotator read "Open" and double-clicked into the
dataset instead. The button says "Import" whatever is selected; a double click still opens a folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from app.annotation.import_labels_dialog import LabelSourceDialog


def _accept_text(dialog: LabelSourceDialog) -> str:
    box = dialog.findChild(QDialogButtonBox, "buttonBox")
    button = next(b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
    return button.text().replace("&", "")


def test_the_import_button_says_import_with_a_folder_selected(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "masks").mkdir()
    (tmp_path / "labels.json").write_text("{}", encoding="utf-8")
    dialog = LabelSourceDialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _accept_text(dialog) == "Import"
    for name in ("masks", "labels.json", "masks"):  # a folder, a file, a folder again
        dialog.selectFile(str(tmp_path / name))
        qtbot.wait(50)  # its repaint: Qt set "Open" from a slot that emits nothing after
        qtbot.waitUntil(lambda: _accept_text(dialog) == "Import", timeout=2000)  # it said "Open" for good
    dialog.accept()
    assert dialog.choice() is not None and dialog.choice().source == tmp_path / "masks"  # imported, not opened
