"""The form of Compare Two Checkpoints (`app.training.compare_dialog`): checkpoint A and B, each a path
field with its Browse… button and the colour its mask is drawn in, which images to compare, and which
annotation-project masks are ground truth where an image has no dataset label (`TRUTH_CHOICES`)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.icons import icon
from app.training.compare_previews import KeyLabel
from app.training.path_row import path_row
from fosp_core.analysis.compare_report import SCOPES

__all__ = ["TRUTH_CHOICES", "CompareForm"]

#: The ground-truth choice: its text by `reviewed_only` (`fosp_core.analysis.compare_truth`).
TRUTH_CHOICES: dict[bool, str] = {
    False: "dataset labels, else project masks reviewed or edited (never predicted)",
    True: "dataset labels, else reviewed project masks only",
}


def _swatch(index: int, name: str) -> QLabel:
    label = KeyLabel(index, name)  # in the theme's shade
    label.setToolTip(f"checkpoint {name}'s mask is drawn in this colour")
    return label


class CompareForm(QFormLayout):
    """a_edit/a_button, b_edit/b_button (checkpoints A and B, filled with `a` and `b`), scope (the
    images: `SCOPES`) and truth (its data: reviewed_only, `TRUTH_CHOICES`); `widgets`: those disabled
    while a comparison runs."""

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
        self.truth = QComboBox()
        for reviewed_only, text in TRUTH_CHOICES.items():
            self.truth.addItem(text, reviewed_only)
        self.truth.setToolTip("An image's ground truth is its dataset label (SegmentationClass/, gt/ beside it); "
                              "without one, its mask in the open annotation project when a person reviewed it "
                              "(or edited it). A predicted mask is a model's output: never ground truth.")
        self.addRow("Ground truth", self.truth)
        self.widgets = [self.a_edit, self.a_button, self.b_edit, self.b_button, self.scope, self.truth]

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
