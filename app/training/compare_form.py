"""The form of Compare Two Checkpoints (`app.training.compare_dialog`): checkpoint A and B, each a path
field with its Browse… button and the colour its mask is drawn in, and which images to compare."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.icons import icon
from app.training.compare_previews import swatch_text
from app.training.path_row import path_row
from fosp_core.analysis.compare_report import SCOPES

__all__ = ["CompareForm"]


def _swatch(index: int, name: str) -> QLabel:
    label = QLabel(swatch_text(index, name))
    label.setToolTip(f"checkpoint {name}'s mask is drawn in this colour")
    return label


class CompareForm(QFormLayout):
    """a_edit/a_button, b_edit/b_button (checkpoints A and B, filled with `a` and `b`) and scope (the
    images: `SCOPES`); `widgets`: those disabled while a comparison runs."""

    def __init__(self, a: str, b: str, dialog_parent: QWidget) -> None:
        super().__init__()
        self._dialog_parent = dialog_parent
        self.a_edit, self.a_button = self._checkpoint_row(
            0, "A", a, "checkpoint A (.safetensors): the Model panel's by default")
        self.b_edit, self.b_button = self._checkpoint_row(
            1, "B", b, "checkpoint B (.safetensors), e.g. a fine-tune's <run name>.safetensors")
        self.scope = QComboBox()
        for labelled_only, text in SCOPES.items():
            self.scope.addItem(text, labelled_only)
        self.addRow("Images", self.scope)
        self.widgets = [self.a_edit, self.a_button, self.b_edit, self.b_button, self.scope]

    def _checkpoint_row(self, index: int, name: str, path: str, placeholder: str) -> tuple[QLineEdit, QToolButton]:
        edit = QLineEdit(path)
        edit.setPlaceholderText(placeholder)
        button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        button.setToolTip(f"Choose checkpoint {name} (.safetensors)")
        button.clicked.connect(lambda: self._browse(edit, f"Checkpoint {name}"))
        self.addRow(_swatch(index, name), path_row(edit, button, f"Checkpoint {name}"))
        return edit, button

    def _browse(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self._dialog_parent, title, edit.text(),
                                              "FoSp checkpoints (*.safetensors)")
        if path:
            edit.setText(path)
