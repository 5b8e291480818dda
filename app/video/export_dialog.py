"""Dialog: export chosen frames of the video (keyframes, every Nth, edited) to a SmokeSeg folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from fosp_core.video.export import FrameChoice


class VideoExportDialog(QDialog):
    """Asks which frames, where, an optional square resize and whether a non-empty destination may be
    replaced (OK on one without it keeps the dialog open and says so). Read the answer with `choice()`."""

    def __init__(self, default_dst: Path, counts: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Video Frames to SmokeSeg")
        self.keyframes = QRadioButton(f"Keyframes ({counts.get('keyframes', 0)})")
        self.edited = QRadioButton(f"Edited frames ({counts.get('edited', 0)})")
        self.every = QRadioButton("Every Nth frame (those with a mask)")
        self.every_n = QSpinBox()
        self.every_n.setRange(1, 100000)
        self.every_n.setValue(10)
        (self.keyframes if counts.get("keyframes") else self.edited).setChecked(True)
        self.dst = QLineEdit(str(default_dst))
        self.dst.textChanged.connect(lambda _text: self.error_label.setVisible(False))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.resize_to = QSpinBox()
        self.resize_to.setRange(0, 4096)
        self.resize_to.setSpecialValueText("keep size")
        self.resize_to.setSuffix(" px")
        self.overwrite = QCheckBox("Replace the destination if it is not empty")
        self.overwrite.toggled.connect(lambda _on: self.error_label.setVisible(False))
        self.error_label = QLabel()  # why OK did not export, in words the dialog's user can act on
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e05050;")
        self.error_label.setVisible(False)
        form = QFormLayout(self)
        form.addRow(self.keyframes)
        form.addRow(self.edited)
        row = QHBoxLayout()
        row.addWidget(self.every)
        row.addWidget(self.every_n)
        form.addRow(row)
        row = QHBoxLayout()
        row.addWidget(self.dst, 1)
        row.addWidget(browse)
        form.addRow("Destination", row)
        form.addRow("Resize to", self.resize_to)
        form.addRow("", self.overwrite)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", str(Path(self.dst.text()).parent))
        if folder:
            self.dst.setText(folder)

    def accept(self) -> None:
        """Close with OK unless the destination is a non-empty folder not to be replaced."""
        dst = Path(self.dst.text()).expanduser()
        if not self.overwrite.isChecked() and dst.is_dir() and any(dst.iterdir()):
            self.error_label.setText(f"{dst} is not empty: choose another folder or tick "
                                     f"\u201c{self.overwrite.text()}\u201d")
            self.error_label.setVisible(True)
            return
        super().accept()

    def choice(self) -> tuple[FrameChoice, int, Path, int | None, bool]:
        """(which frames, N for every Nth, destination, resize side or None, replace a non-empty destination)."""
        kind: FrameChoice = "keyframes" if self.keyframes.isChecked() else \
            "edited" if self.edited.isChecked() else "every"
        return (kind, self.every_n.value(), Path(self.dst.text()).expanduser(), self.resize_to.value() or None,
                self.overwrite.isChecked())
