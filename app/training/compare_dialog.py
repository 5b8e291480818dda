"""Compare Two Checkpoints: run two models on the same open images and see, image by image, which
one does better and where they disagree (DESIGN, "Retraining").

The comparison itself is `fosp_core.analysis.compare`; here a worker thread loads both checkpoints,
walks the images (cancellable between images) and sends each row with two small JPEG previews
back to the dialog. The table sorts by any column (the change in F_β, the masks' agreement…); a
selected row shows both masks side by side over the image, ground truth outlined in green, and a
double-click opens the image in the main view. The rows can be saved as CSV.
"""

from __future__ import annotations

import html
import math
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, QSettings, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.icons import icon
from app.training.dialog import path_row
from fosp_core.analysis.compare import (
    COLORS,
    CompareRow,
    compare_images,
    preview_pair,
    rows_to_csv,
    summarize,
    summary_lines,
)
from fosp_core.analysis.results import find_label
from fosp_core.analysis.settings import INPUT_CHOICES, KEEP_CHOICES, AnalysisSettings, predictor_input
from fosp_core.io.atomic import write_atomic

__all__ = ["CompareDialog", "CompareRequest"]

LAST_B_KEY = "compare/last_checkpoint_b"
COLUMNS = ("image", "size", "F_β A", "F_β B", "change", "mask agreement", "flagged A", "flagged B")
PREVIEW_SIDE = 480


@dataclass(frozen=True)
class CompareRequest:
    """What to compare: two checkpoints on some images, as the analysis view would run them."""

    paths: tuple[Path, ...]
    checkpoint_a: Path
    checkpoint_b: Path
    device: str = "auto"
    precision: str = "fp32"
    threshold: float = 0.5
    input_size: int = 512
    labelled_only: bool = False
    input: str = "default"  # the Model panel's input choice (fosp_core.analysis.settings.INPUT_CHOICES)
    keep: str = "plain"  # the Model panel's Regions rule (fosp_core.analysis.settings.KEEP_CHOICES)


class _CompareWorker(QObject):
    """Lives on the compare thread; `cancelled` is set from the GUI thread and read between images."""

    row = Signal(object, bytes, bytes)  # CompareRow, JPEG preview A, JPEG preview B
    progress = Signal(int, int)  # images done, images in all
    failed = Signal(str)
    done = Signal(bool)  # cancelled

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = False

    @Slot(object)
    def run(self, request: CompareRequest) -> None:
        try:
            from fosp_core.infer import probability_fn

            fns = [probability_fn(path, device=request.device, precision=request.precision,
                                  **predictor_input(request.input, request.input_size))
                   for path in (request.checkpoint_a, request.checkpoint_b)]
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, never a crash
            self.failed.emit(f"cannot load the checkpoints: {str(exc).strip() or type(exc).__name__}")
            self.done.emit(False)
            return
        previews: dict[Path, tuple[bytes, bytes]] = {}

        def keep(row: CompareRow, rgb: np.ndarray, a: np.ndarray, b: np.ndarray, label: np.ndarray | None) -> None:
            pair = preview_pair(rgb, a, b, label, request.threshold, PREVIEW_SIDE)
            previews[row.path] = tuple(_jpeg(p) for p in pair)  # type: ignore[assignment]

        total = len(request.paths)
        self.progress.emit(0, total)
        try:
            rows = compare_images(request.paths, fns[0], fns[1], request.threshold,
                                  labelled_only=request.labelled_only, on_maps=keep, keep=request.keep)
            for done, row in enumerate(rows, 1):
                pa, pb = previews.pop(row.path, (b"", b""))
                self.row.emit(row, pa, pb)
                self.progress.emit(min(done, total), total)
                if self.cancelled:
                    break
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            self.failed.emit(f"the comparison stopped: {str(exc).strip() or type(exc).__name__}")
        self.done.emit(self.cancelled)


def _settings_text(input: str, threshold: float, keep: str) -> str:
    """The decision settings of a comparison in words: "512 px, as trained, mask threshold 0.50,
    regions: With a core above 0.7"."""
    seen = dict(INPUT_CHOICES).get(input, input)
    regions = dict(KEEP_CHOICES).get(keep, keep)
    return f"{seen}, mask threshold {threshold:.2f}, regions: {regions}"


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88])
    return data.tobytes() if ok else b""


class _SortItem(QTableWidgetItem):
    """Sorts by the number in UserRole when it has one (cells shown as "–")."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a = self.data(Qt.ItemDataRole.UserRole)
        b = other.data(Qt.ItemDataRole.UserRole)
        if a is not None and b is not None:
            return float(a) < float(b)
        return super().__lt__(other)


def _cell(value: float, signed: bool = False) -> QTableWidgetItem:
    item = _SortItem("–" if math.isnan(value) else (f"{100 * value:+.1f}" if signed else f"{100 * value:.1f}"))
    item.setData(Qt.ItemDataRole.UserRole, -1e9 if math.isnan(value) else float(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


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
        self._running = False

        self.a_edit = QLineEdit(str(analysis.checkpoint or ""))
        self.a_edit.setPlaceholderText("checkpoint A (.safetensors): the Model panel's by default")
        self.a_button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        self.a_button.clicked.connect(lambda: self._browse(self.a_edit, "Checkpoint A"))
        self.b_edit = QLineEdit(str(settings.value(LAST_B_KEY, "") or ""))
        self.b_edit.setPlaceholderText("checkpoint B (.safetensors), e.g. a fine-tuned model.safetensors")
        self.b_button = QToolButton(text="Browse…", icon=icon("fa6s.folder-open"))
        self.b_button.clicked.connect(lambda: self._browse(self.b_edit, "Checkpoint B"))
        self.scope = QComboBox()
        self.scope.addItem("all open images", False)
        self.scope.addItem("only images with a ground truth", True)
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
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("compare_table")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip("F_β per image at the Model panel's threshold and Regions rule (smokeseg protocol); "
                              "change = B − A; "
                              "mask agreement = IoU of the two masks. Double-click opens the image.")
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
        self.resize(980, 820)

        self.thread = QThread(self)
        self.thread.setObjectName("compare-checkpoints")
        self.worker = _CompareWorker()
        self.worker.moveToThread(self.thread)
        self._start.connect(self.worker.run)
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
                                f"{s.device}, {_settings_text(s.input, s.threshold, s.keep)} "
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
        self.rows.clear()
        self.previews.clear()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(0)
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
        write_atomic(path, rows_to_csv(self.rows).encode("utf-8"))

    def _save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the Comparison", "compare.csv", "CSV (*.csv)")
        if path:
            try:
                self.save_csv(Path(path))
            except OSError as exc:
                self._show_problem(f"Cannot save {path}: {exc.strerror or exc}")
                return
            self.status.setText(f"Saved {len(self.rows)} rows to {path}.")

    # --- worker events --------------------------------------------------------------------------
    def _on_row(self, row: CompareRow, preview_a: bytes, preview_b: bytes) -> None:
        self.rows.append(row)
        if preview_a:
            self.previews[row.path] = (preview_a, preview_b)
        r = self.table.rowCount()
        self.table.insertRow(r)
        name = QTableWidgetItem(row.path.name)
        name.setData(Qt.ItemDataRole.UserRole + 1, str(row.path))
        name.setToolTip(row.error or str(row.path))
        if row.error:
            name.setText(f"{row.path.name} — {row.error}")
        self.table.setItem(r, 0, name)
        self.table.setItem(r, 1, QTableWidgetItem(row.bucket or ("–" if not row.error else "")))
        s = row.scores
        nan = math.nan
        cells = [s[0].f_beta if s else nan, s[1].f_beta if s else nan]
        for col, value in enumerate(cells, 2):
            self.table.setItem(r, col, _cell(value))
        self.table.setItem(r, 4, _cell(row.f_beta_change, signed=True))
        for col, value in enumerate((row.agreement, row.flagged[0], row.flagged[1]), 5):
            self.table.setItem(r, col, _cell(value))
        if r == 0:
            self.table.selectRow(0)
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
                self.status.setText(f"Done: {len(self.rows)} images. Sort by a column; double-click a row to open "
                                    "the image in the main view.")
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
            lines.append(html.escape(f"Run on {r.device}, {_settings_text(r.input, r.threshold, r.keep)}."))
        self.summary.setText("<br>".join(lines))

    # --- preview --------------------------------------------------------------------------------
    def _selected_path(self) -> Path | None:
        items = self.table.selectedItems()
        if not items:
            return None
        name = self.table.item(items[0].row(), 0)
        return Path(name.data(Qt.ItemDataRole.UserRole + 1)) if name else None

    def _selected_row(self) -> CompareRow | None:
        path = self._selected_path()
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
        name = self.table.item(row, 0)
        if name is not None:
            self.image_chosen.emit(Path(name.data(Qt.ItemDataRole.UserRole + 1)))

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
