"""Compare Two Checkpoints: run two models on the same open images and see, image by image, which
one does better and where they disagree (DESIGN, "Retraining").

The comparison itself is `fosp_core.analysis.compare`; a worker thread (`app.training.compare_worker`,
run by `app.training.compare_runner`, which passes on only the current run's events) loads both
checkpoints, walks the images (cancellable between images) and sends each row with two small JPEG
previews back to the dialog. The form (checkpoints A and B, which images) is `app.training.compare_form`;
what the next comparison runs with (the request, the ground truth counted, the status line before a
run) is `app.training.compare_plan`. The table (`app.training.compare_table`) sorts by any column
(the change in F_β, the masks' agreement…); a selected row shows both masks side by side over the
image (`app.training.compare_previews`), ground truth outlined in green, and a double-click opens
the image in the main view. The rows can be saved as CSV that names what was compared
(`fosp_core.analysis.compare_report`). The status line says what the next comparison runs with and
follows the Model panel's settings (their change event) while the dialog is open.

Ground truth (`compare_plan`): an image's dataset label, else its reviewed (or edited) mask in its
annotation project; the status line says how many of each will count before the run; the table's
"ground truth" column and the summary say which each row used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.icons import icon
from app.panels import fit_to_screen
from app.theme import ERROR_COLOR
from app.training.compare_form import CompareForm
from app.training.compare_plan import ComparePlan, ProjectLookup
from app.training.compare_previews import ComparePreviews
from app.training.compare_runner import CompareRunner
from app.training.compare_summary import SummaryLabel, summary_box, summary_html
from app.training.compare_table import CompareTable, trained_cell
from fosp_core.analysis.compare import CompareRow
from fosp_core.analysis.compare_report import CompareRequest, compare_csv, compare_csv_name
from fosp_core.analysis.compare_trained import with_trained_columns
from fosp_core.analysis.compare_truth import ProjectTruth
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.io.atomic import write_atomic

__all__ = ["CompareDialog", "CompareRequest"]

LAST_B_KEY = "compare/last_checkpoint_b"
#: The Model panel's settings the status line names (AnalysisSettings.events.changed's field names).
SHOWN_SETTINGS = frozenset({"checkpoint", "device", "precision", "input", "threshold", "keep", "tau"})


class _WrappedLabel(QLabel):
    """A word-wrapped label whose least height is that of its lines at its width now: the dialog's least
    height counted one line of the status line, wrapped on two, and at that height the previews ran 14 px
    below their pane (a 400 px high screen at 200 %)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        if self.width() > 0:
            hint.setHeight(max(hint.height(), self.heightForWidth(self.width())))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # its lines at the new width


class CompareDialog(QDialog):
    """See the module doc. `image_chosen(path)` asks the main window to show an image."""

    image_chosen = Signal(Path)
    compared = Signal(bool)  # a comparison ended (cancelled or not) and the dialog shows its end

    def __init__(self, settings: QSettings, analysis: AnalysisSettings, paths: Callable[[], Sequence[Path]],
                 parent: QWidget | None = None, input_size: int = 512,
                 projects: ProjectLookup | None = None, project_pass: Callable[[], ProjectLookup] | None = None) -> None:
        """settings: QSettings; analysis: the AnalysisSettings the Model panel edits (checkpoint A,
        device, precision, threshold and τ come from it, and the status line follows its changes);
        paths(): the images open now; projects(path): (annotation project, image id) of an image, or
        None (the window's `ProjectRegistry.lookup`; None: dataset labels only); project_pass(): such a
        lookup for one pass over the images (`ProjectRegistry.lookup_pass`: each folder resolved once),
        used instead of `projects` when given."""
        super().__init__(parent)
        self.setWindowTitle("Compare Two Checkpoints")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.settings = settings
        self.analysis = analysis
        self.rows: list[CompareRow] = []
        self.previews: dict[Path, tuple[bytes, bytes]] = {}
        self.request: CompareRequest | None = None
        self.variants = ("", "")  # the model variants of the request's checkpoints, once loaded
        self.marks: dict[Path, tuple[bool | None, bool | None]] = {}  # image -> (A, B) trained on it
        self.recorded = (True, True)  # whether A and B record their training images (the run's)
        self.started: datetime | None = None
        self._running = False
        self._settings_moved = False  # the Model panel changed a setting during a comparison

        form = CompareForm(str(analysis.checkpoint or ""), str(settings.value(LAST_B_KEY, "") or ""), self)
        self.a_edit, self.a_button, self.b_edit, self.b_button = form.a_edit, form.a_button, form.b_edit, form.b_button
        self.scope, self.truth_choice, self.form_widgets = form.scope, form.truth, form.widgets
        self.truth_choice.currentIndexChanged.connect(lambda _: self.refresh())
        self.plan = ComparePlan(form, analysis, paths, input_size, projects, project_pass)

        self.status = _WrappedLabel()
        self.status.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v / %m images")
        self.summary = SummaryLabel()  # wrapped rich text, in a box of a few lines that scrolls
        self.table = CompareTable()
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.cellDoubleClicked.connect(self._open_row)
        self.preview_pane = ComparePreviews()
        self.preview_a, self.preview_b = self.preview_pane.preview_a, self.preview_pane.preview_b
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.preview_pane)
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
        layout.addWidget(summary_box(self.summary))  # scrolls past a few lines: the table keeps its rows
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 980, 820)  # Compare and Close stay on a 1280 x 800 screen

        self.runner = CompareRunner(self)  # the thread; only the current run's events come through
        self.worker = self.runner.worker
        self.runner.device.connect(self._on_device)
        self.runner.loaded.connect(self._on_loaded)
        self.runner.recorded.connect(self._on_recorded)
        self.runner.trained.connect(self._on_trained)
        self.runner.row.connect(self._on_row)
        self.runner.progress.connect(self._on_progress)
        self.runner.failed.connect(self._show_problem)
        self.runner.done.connect(self._on_done)
        analysis.events.changed.connect(self._on_settings_changed)
        self.refresh()

    # --- user actions ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Take the Model panel's checkpoint as A (unless one was typed) and recount the images."""
        if not self._running:
            self.plan.follow_checkpoint()
            self.plan.recount()  # the one pass over the images' files
            self._show_plan()
        self._update_buttons()

    @property
    def input_size(self) -> int:
        """The network input's long side the comparison runs at (the app's Input)."""
        return self.plan.input_size

    def plan_text(self, lead: str = "Both checkpoints run on") -> str:
        """What the next comparison runs with (`ComparePlan.text`)."""
        return self.plan.text(lead)

    def project_truth(self, paths: Sequence[Path]) -> ProjectTruth | None:
        """The project masks that are ground truth for `paths` now (`ComparePlan.project_truth`)."""
        return self.plan.project_truth(paths)

    def make_request(self) -> CompareRequest | str:
        """The request the form describes, or why there is none (`ComparePlan.make_request`)."""
        return self.plan.make_request()

    def _show_plan(self) -> None:
        self.status.setStyleSheet("")
        self.status.setText(self.plan.status_text())

    def _on_settings_changed(self, name: str) -> None:
        """The Model panel changed setting `name`: the status line says the new one (a comparison
        running keeps its request's; its end says the next one's). No image is recounted."""
        if name not in SHOWN_SETTINGS:
            return
        if self._running:
            self._settings_moved = True
            return
        if name == "checkpoint":
            self.plan.follow_checkpoint()
        self._show_plan()

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
        self.marks.clear()
        self.recorded = (True, True)
        self.previews.clear()
        self.table.clear_rows()
        self.preview_pane.clear()
        self.summary.clear()
        self.progress_bar.setRange(0, len(request.paths))
        self.progress_bar.setValue(0)
        self.status.setStyleSheet("")
        self.status.setText(f"Loading {request.checkpoint_a.name} and {request.checkpoint_b.name}…")
        self._running, self._settings_moved = True, False
        self._update_buttons()
        self.worker.label_side = self.preview_pane.device_side()  # previews made at the labels' size
        self.runner.start(request)
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
            self.runner.cancel()
            self.status.setText("Cancelling after this image…")

    def save_csv(self, path: Path) -> None:
        """The rows as CSV, each naming the checkpoints and settings of the run (not of the form now)."""
        if self.request is None:
            raise ValueError("nothing compared yet")
        text = with_trained_columns(compare_csv(self.rows, self.request, self.variants, self.started), self.marks)
        write_atomic(path, text.encode("utf-8"))

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

    def _on_recorded(self, recorded: tuple[bool, bool]) -> None:
        self.recorded = recorded

    def _on_trained(self, path: Path, pair: tuple[bool | None, bool | None]) -> None:
        self.marks[path] = pair

    def _on_row(self, row: CompareRow, preview_a: bytes, preview_b: bytes) -> None:
        self.rows.append(row)
        if preview_a:
            self.previews[row.path] = (preview_a, preview_b)
        self.table.add_row(row, trained_cell(self.marks.get(row.path), self.recorded))
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
                                    "(or select it and press Enter) to open the image in the main view.")
            if self._settings_moved:
                self.status.setText(f"{self.status.text()} {self.plan_text('The next comparison runs on')}")
        self._update_summary()
        self._update_buttons()
        self.compared.emit(cancelled)

    def _update_summary(self) -> None:
        """The rows' account, their settings and the scores over held-out images (`compare_summary`)."""
        self.summary.setText(summary_html(self.rows, self.request, self.marks))

    # --- preview --------------------------------------------------------------------------------
    def _selected_row(self) -> CompareRow | None:
        path = self.table.selected_path()
        return next((r for r in self.rows if r.path == path), None) if path else None

    def _show_selected(self) -> None:
        row = self._selected_row()
        pair = self.previews.get(row.path) if row else None
        if row is None or pair is None:
            self.preview_pane.clear()
            return
        names = (self.request.checkpoint_a.name, self.request.checkpoint_b.name) if self.request else ("", "")
        self.preview_pane.show_row(row, pair, names)

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt's signature
        super().resizeEvent(event)
        self._show_selected()

    def _open_row(self, row: int, _col: int) -> None:
        path = self.table.path_at(row)
        if path is not None:
            self.image_chosen.emit(path)

    # --- state ----------------------------------------------------------------------------------
    def _show_problem(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};")  # the theme's error colour
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
        self.analysis.events.changed.disconnect(self._on_settings_changed)
        self.runner.shutdown()

    def reject(self) -> None:
        """Escape, Close, the window's close (QDialog's closeEvent rejects): a comparison under way is
        cancelled; Escape alone only hid the dialog and the comparison went on unseen."""
        self.cancel()
        super().reject()
