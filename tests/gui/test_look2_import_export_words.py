"""The export and import dialogs follow the app's case: form labels in sentence case ("Destination",
"Splits", "Seed"; the export's ratio row read "train / val / test"), window titles in title case as
the menu items and the other dialogs' titles ("Export to SmokeSeg", "Compare Two Checkpoints"; the
import's read "Import Labels: a folder or a labels file")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QLabel

from app.annotation.import_labels_dialog import LabelSourceDialog
from tests.gui.annotation_helpers import demo_window

SMALL = {"a", "an", "the", "to", "of", "on", "or", "and", "from", "for", "in", "by", "with"}


def _title_case(title: str) -> bool:
    words = title.replace(":", "").split()
    return all(w[:1].isupper() or (i > 0 and w in SMALL) for i, w in enumerate(words))


def test_the_export_form_labels_are_in_sentence_case(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                      tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    form = dialog.findChild(QFormLayout)
    labels = [form.labelForField(form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
                                 or form.itemAt(row, QFormLayout.ItemRole.FieldRole).layout())
              for row in range(form.rowCount()) if form.itemAt(row, QFormLayout.ItemRole.FieldRole) is not None]
    texts = [label.text() for label in labels if isinstance(label, QLabel) and label.text()]
    assert "Destination" in texts
    assert [t for t in texts if not t[:1].isupper()] == []
    assert _title_case(dialog.windowTitle())


def test_the_import_labels_title_is_in_title_case(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = LabelSourceDialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.windowTitle().startswith("Import Labels")
    assert _title_case(dialog.windowTitle()), dialog.windowTitle()
