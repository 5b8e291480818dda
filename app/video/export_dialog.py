"""Dialog: export chosen frames of the video (keyframes, every Nth, edited) to a SmokeSeg folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from fosp_core.video.export import FrameChoice


class VideoExportDialog(QDialog):
    """Asks which frames, where, and an optional square resize. Read the answer with `choice()`."""

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
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.resize_to = QSpinBox()
        self.resize_to.setRange(0, 4096)
        self.resize_to.setSpecialValueText("keep size")
        self.resize_to.setSuffix(" px")
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", str(Path(self.dst.text()).parent))
        if folder:
            self.dst.setText(folder)

    def choice(self) -> tuple[FrameChoice, int, Path, int | None]:
        """(which frames, N for every Nth, destination, resize side or None)."""
        kind: FrameChoice = "keyframes" if self.keyframes.isChecked() else \
            "edited" if self.edited.isChecked() else "every"
        return kind, self.every_n.value(), Path(self.dst.text()).expanduser(), self.resize_to.value() or None
