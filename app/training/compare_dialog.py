"""Compare Two Checkpoints: run two models on the same open images and see, image by image, which
one does better and where they disagree (DESIGN, "Retraining").

The comparison itself is `fosp_core.analysis.compare`; a worker thread (`app.training.compare_worker`)
loads both checkpoints, walks the images (cancellable between images) and sends each row with two
small JPEG previews back to the dialog. The table (`app.training.compare_table`) sorts by any column
(the change in F_β, the masks' agreement…); a selected row shows both masks side by side over the
image, ground truth outlined in green, and a double-click opens the image in the main view. The rows
can be saved as CSV that names what was compared (`fosp_core.analysis.compare_report`).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThread, Signal
from PySide6.QtGui import QCloseEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.icons import icon
from app.panels import fit_to_screen
from app.training.compare_table import CompareTable
from app.training.compare_worker import CompareWorker, planned_device
from app.training.dialog import path_row
from fosp_core.analysis.compare import COLORS, CompareRow, summarize, summary_lines
from fosp_core.analysis.compare_report import (
    SCOPES,
    CompareRequest,
    compare_csv,
    compare_csv_name,
    settings_text,
)
from fosp_core.analysis.results import find_label
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.io.atomic import write_atomic

__all__ = ["CompareDialog", "CompareRequest"]

LAST_B_KEY = "compare/last_checkpoint_b"


class CompareDialog(QDialog):
    """See the module doc. `image_chosen(path)` asks the main window to show an image."""

    image_chosen = Signal(Path)
    compared = Signal(bool)  # a comparison ended (cancelled or not) and the dialog shows its end
    _start = Signal(object)

    def __init__(self, settings: QSettings, analysis: AnalysisSettings, paths: Callable[[], Sequence[Path]],
                 parent: QWidget | None = None, input_size: int = 512) -> None:
        """settings: QSettings; analysis: the AnalysisSettings the Model panel edits (checkpoint A,
        device, precision and threshold come from it); paths(): the images open now."""
        super().__init__(parent)
        self.setWindowTitle("Compare Two Checkpoints")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.settings = settings
        self.analysis = analysis
        self.paths = paths
        self.input_size = input_size
        self.rows: list[CompareRow] = []
        self.previews: dict[Path, tuple[bytes, bytes]] = {}
        self.request: CompareRequest | None = None
        self.variants = ("", "")  # the model variants of the request's checkpoints, once loaded
        self.started: datetime | None = None
        self._running = False

        self.a_edit = QLineEdit(str(analysis.checkpoint or ""))
        self.a_edit.setPlaceholderText("checkpoint A (.safetensors): the Model panel's by default")
        self.a_button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        self.a_button.setToolTip("Choose checkpoint A (.safetensors)")
        self.a_button.clicked.connect(lambda: self._browse(self.a_edit, "Checkpoint A"))
        self.b_edit = QLineEdit(str(settings.value(LAST_B_KEY, "") or ""))
        self.b_edit.setPlaceholderText("checkpoint B (.safetensors), e.g. a fine-tune's <run name>.safetensors")
        self.b_button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        self.b_button.setToolTip("Choose checkpoint B (.safetensors)")
        self.b_button.clicked.connect(lambda: self._browse(self.b_edit, "Checkpoint B"))
        self.scope = QComboBox()
        for labelled_only, text in SCOPES.items():
            self.scope.addItem(text, labelled_only)
        form = QFormLayout()
        form.addRow(self._swatch(0, "A"), path_row(self.a_edit, self.a_button))
        form.addRow(self._swatch(1, "B"), path_row(self.b_edit, self.b_button))
        form.addRow("Images", self.scope)
        self.form_widgets = [self.a_edit, self.a_button, self.b_edit, self.b_button, self.scope]

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v / %m images")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = CompareTable()
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.cellDoubleClicked.connect(self._open_row)
        self.preview_a = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview_b = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.caption_a = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.caption_b = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        previews = QWidget()
        pl = QGridLayout(previews)
        pl.setContentsMargins(0, 0, 0, 0)
        for col, (caption, label) in enumerate(((self.caption_a, self.preview_a), (self.caption_b, self.preview_b))):
            label.setMinimumSize(240, 160)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            label.setStyleSheet("background: #202020; color: #9a9a9a;")
            caption.setTextFormat(Qt.TextFormat.RichText)
            pl.addWidget(caption, 0, col)
            pl.addWidget(label, 1, col)
            pl.setColumnStretch(col, 1)
        pl.setRowStretch(1, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(previews)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 420])
        self.splitter = split

        self.compare_button = QPushButton(icon("fa6s.play"), "Compare")
        self.compare_button.setDefault(True)
        self.compare_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(icon("fa6s.stop"), "Cancel")
        self.cancel_button.setToolTip("stop after the image being compared; the rows so far stay")
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = QPushButton(icon("fa6s.floppy-disk"), "Save CSV…")
        self.save_button.clicked.connect(self._save_dialog)
        buttons = QDialogButtonBox()
        for button in (self.compare_button, self.cancel_button, self.save_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 980, 820)  # Compare and Close stay on a 1280 x 800 screen

        self.thread = QThread(self)
        self.thread.setObjectName("compare-checkpoints")
        self.worker = CompareWorker()
        self.worker.moveToThread(self.thread)
        self._start.connect(self.worker.run)
        self.worker.device.connect(self._on_device)
        self.worker.loaded.connect(self._on_loaded)
        self.worker.row.connect(self._on_row)
        self.worker.progress.connect(self._on_progress)
        self.worker.failed.connect(self._show_problem)
        self.worker.done.connect(self._on_done)
        self.thread.start()
        self.refresh()

    @staticmethod
    def _swatch(index: int, name: str) -> QLabel:
        r, g, b = COLORS[index]
        label = QLabel(f"<span style='color: rgb({r},{g},{b}); font-size: 14pt;'>■</span> {name}")
        label.setToolTip(f"checkpoint {name}'s mask is drawn in this colour")
        return label

    # --- user actions ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Take the Model panel's checkpoint as A (unless one was typed) and recount the images."""
        if not self._running and not self.a_edit.text().strip() and self.analysis.checkpoint:
            self.a_edit.setText(str(self.analysis.checkpoint))
        if not self._running:
            paths = list(self.paths())
            labelled = sum(1 for p in paths if find_label(p) is not None)
            self.status.setStyleSheet("")
            s = self.analysis
            self.status.setText(f"{len(paths)} images open, {labelled} with a ground truth. Both checkpoints run on "
                                f"{planned_device(s.device)}, {settings_text(s.input, self.input_size, s.threshold, s.keep)} "
                                "(the Model panel's settings).")
        self._update_buttons()

    def _browse(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title, edit.text(), "FoSp checkpoints (*.safetensors)")
        if path:
            edit.setText(path)

    def make_request(self) -> CompareRequest | str:
        """The request the form describes, or why there is none."""
        a, b = Path(self.a_edit.text().strip()), Path(self.b_edit.text().strip())
        for name, path in (("A", a), ("B", b)):
            if not str(path) or str(path) == ".":
                return f"Choose checkpoint {name}."
            if not path.is_file():
                return f"Checkpoint {name} does not exist: {path}"
        paths = tuple(self.paths())
        if not paths:
            return "Open some images first (File ▸ Open…): the checkpoints are compared on the open images."
        labelled_only = bool(self.scope.currentData())
        if labelled_only and not any(find_label(p) is not None for p in paths):
            return ("None of the open images has a ground truth (a mask in SegmentationClass/ or gt/ next to "
                    "the images); compare on all open images to see where the masks disagree.")
        return CompareRequest(paths, a, b, self.analysis.device, self.analysis.precision, self.analysis.threshold,
                              self.input_size, labelled_only, self.analysis.input, self.analysis.keep)

    def start(self) -> bool:
        if self._running:
            return False
        request = self.make_request()
        if isinstance(request, str):
            self._show_problem(request)
            return False
        self.settings.setValue(LAST_B_KEY, str(request.checkpoint_b))
        self.request = request
        self.variants = ("", "")
        self.started = datetime.now().astimezone()
        self.rows.clear()
        self.previews.clear()
        self.table.clear_rows()
        self.preview_a.clear()
        self.preview_b.clear()
        self.summary.clear()
        self.progress_bar.setRange(0, len(request.paths))
        self.progress_bar.setValue(0)
        self.status.setStyleSheet("")
        self.status.setText(f"Loading {request.checkpoint_a.name} and {request.checkpoint_b.name}…")
        self.worker.cancelled = False
        self._running = True
        self._update_buttons()
        self._start.emit(request)
        return True

    def set_checkpoints(self, a: Path | None, b: Path | None) -> None:
        """Fill the two checkpoint fields (e.g. a fine-tune's start and result)."""
        if self._running:
            return
        if a is not None:
            self.a_edit.setText(str(a))
        if b is not None:
            self.b_edit.setText(str(b))

    def cancel(self) -> None:
        if self._running:
            self.worker.cancelled = True
            self.status.setText("Cancelling after this image…")

    def save_csv(self, path: Path) -> None:
        """The rows as CSV, each naming the checkpoints and settings of the run (not of the form now)."""
        if self.request is None:
            raise ValueError("nothing compared yet")
        write_atomic(path, compare_csv(self.rows, self.request, self.variants, self.started).encode("utf-8"))

    def _save_dialog(self) -> None:
        name = compare_csv_name(self.request) if self.request else "compare.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Save the Comparison", name, "CSV (*.csv)")
        if path:
            try:
                self.save_csv(Path(path))
            except OSError as exc:
                self._show_problem(f"Cannot save {path}: {exc.strerror or exc}")
                return
            self.status.setText(f"Saved {len(self.rows)} rows to {path}.")

    # --- worker events --------------------------------------------------------------------------
    def _on_loaded(self, variants: tuple[str, str]) -> None:
        self.variants = variants

    def _on_device(self, device: str) -> None:
        """The device the checkpoints were loaded on ("cpu", "cuda:0"): the summary and the CSV say it,
        not the Model panel's "auto"."""
        if self.request is not None:
            self.request = dataclasses.replace(self.request, device=device)

    def _on_row(self, row: CompareRow, preview_a: bytes, preview_b: bytes) -> None:
        self.rows.append(row)
        if preview_a:
            self.previews[row.path] = (preview_a, preview_b)
        self.table.add_row(row)
        self._update_summary()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        if self._running and not self.worker.cancelled and done:
            self.status.setText(f"Comparing: {done} / {total} images")

    def _on_done(self, cancelled: bool) -> None:
        self._running = False
        self.table.setSortingEnabled(True)
        if not self.status.styleSheet():  # a failure showing stays
            if cancelled:
                self.status.setText(f"Cancelled after {len(self.rows)} images; the rows so far are below.")
            else:
                r = self.request
                left_out = len(r.paths) - len(self.rows) if r is not None and r.labelled_only else 0
                skipped = (f", {left_out} image{'s' * (left_out != 1)} without a ground truth left out"
                           if left_out > 0 else "")
                self.status.setText(f"Done: {len(self.rows)} images{skipped}. Sort by a column; double-click a row "
                                    "to open the image in the main view.")
        self._update_summary()
        self._update_buttons()
        self.compared.emit(cancelled)

    def _update_summary(self) -> None:
        if not self.rows:
            self.summary.clear()
            return
        lines = [html.escape(line).replace("F_beta", "F<sub>β</sub>") for line in summary_lines(summarize(self.rows))]
        if self.request is not None:  # the settings these rows were run with, whatever the panel says now
            r = self.request
            lines.append(html.escape(f"Run on {r.device}, {settings_text(r.input, r.input_size, r.threshold, r.keep)}."))
        self.summary.setText("<br>".join(lines))

    # --- preview --------------------------------------------------------------------------------
    def _selected_row(self) -> CompareRow | None:
        path = self.table.selected_path()
        return next((r for r in self.rows if r.path == path), None) if path else None

    def _show_selected(self) -> None:
        row = self._selected_row()
        pair = self.previews.get(row.path) if row else None
        widgets = ((self.preview_a, self.caption_a), (self.preview_b, self.caption_b))
        if row is None or pair is None:
            for label, caption in widgets:
                label.clear()
                caption.clear()
            return
        names = (self.request.checkpoint_a.name, self.request.checkpoint_b.name) if self.request else ("", "")
        for i, ((label, caption), data, name) in enumerate(zip(widgets, pair, names, strict=True)):
            pixmap = QPixmap.fromImage(QImage.fromData(data, "JPG"))
            label.setPixmap(pixmap.scaled(label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))
            label.setToolTip(f"{name}: {row.path.name}")
            score = f" — F<sub>β</sub> {100 * row.scores[i].f_beta:.1f}" if row.scores else ""
            caption.setText(f"{self._swatch(i, 'AB'[i]).text()}: {html.escape(name)}{score}")

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt's signature
        super().resizeEvent(event)
        self._show_selected()

    def _open_row(self, row: int, _col: int) -> None:
        path = self.table.path_at(row)
        if path is not None:
            self.image_chosen.emit(path)

    # --- state ----------------------------------------------------------------------------------
    def _show_problem(self, text: str) -> None:
        self.status.setStyleSheet("color: #ff6b6b;")
        self.status.setText(text)

    def _update_buttons(self) -> None:
        self.compare_button.setEnabled(not self._running)
        self.cancel_button.setEnabled(self._running)
        self.save_button.setEnabled(not self._running and bool(self.rows))
        for widget in self.form_widgets:
            widget.setEnabled(not self._running)

    def running(self) -> bool:
        return self._running

    def shutdown(self) -> None:
        """Cancel a comparison and stop the thread (window close)."""
        self.worker.cancelled = True
        self.thread.quit()
        self.thread.wait(30_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()
        super().closeEvent(event)
