"""Export to SmokeSeg from the app: a dialog for the options and a worker thread that writes.

`ExportDialog` asks for the destination, all vs reviewed-only images (ticked, it says how many images with a mask
it leaves out, and so does the summary after), splits (`app.annotation.split_choice`: keep the source's, offered
only when the source has splits, or train/val/test ratios with a seed, the default for a folder of photos and,
as ``fosp project export``'s, for a source whose splits would leave train empty; under them, how many images
each split gets and how many of those are a model's masks nobody reviewed, from the export's own planner, the
summary after saying what was written: `fosp_core.annotation.export_tally`) and an optional resize to
512 x 512 (off by default: it does not keep the aspect ratio, and training takes any size); `ExportWorker`
(`app.annotation.export_worker`) checks the destination, then runs `fosp_core.annotation.export.export_smokeseg`,
on a QThreadPool thread and reports ``progress(done, total)``, ``finished(report)``, ``failed(message)`` or
``cancelled()``. Cancel (or Esc, or closing the dialog) while it runs stops it after the image being written;
the writer then removes its temporary folder, so the destination is left as it was, which the status bar says
("Export cancelled: nothing written to DST"), with a dead export's copy it had removed first (the worker's
``cleaned``, before any image). Closing the window asks first, then does the same and waits for it
`CLOSE_WAIT_S` at most (`app.annotation.export_close`). What an end says is `app.annotation.export_outcome`'s: a
failure is shown in the dialog (the reason under the
options, the destination box outlined in red) until the user edits the destination or exports again. An export
that left images out for a problem (`ExportReport.problems`) keeps the dialog open, naming them, with Close; so does one
that removed the unfinished copy of an earlier export killed mid-way (`ExportReport.cleaned`, said under the
options); any other closes it. A destination holding the project's own images, labels or masks (which the
export would replace), one holding files of the user's own (Replace would delete them: refused, ticked or not:
`fosp_core.data.export_folder`), the dataset a running fine-tune trains on (the app's own, `app.training.running`,
or a ``fosp train``'s: `fosp_core.annotation.export_reading`), or an earlier export without Replace, is refused
before anything is written: when Export is pressed, and as soon as a folder browsed to has been checked
(`fosp_core.annotation.export_target`). Both checks run off the GUI thread, one at a time per parent folder for
every dialog (`app.destination_checks`, as the video's Export frames): a dead network drive holds one thread,
not the window nor the pool's threads, however often Browse or Export is pressed; the export's worker starts on
the pool once its destination has answered (`app.annotation.export_checks`; a blank or relative destination is
refused from its text, at once). The destination suggested (beside the project, or its first free name) is
probed off the GUI thread (`app.annotation.free_folder`): the dialog opens at once, Export waiting for the
answer unless the user types or browses to a folder. The project is only read while exporting (masks are saved
atomically, so a save during the export cannot tear a file). `export_summary` (`app.annotation.export_words`)
is the status bar's line after an export: what was written, what was left out (images with no mask, and with
reviewed only those whose mask is not reviewed, which the dialog counts under the box as soon as it is
ticked), the exact duplicates among what was written and whether each group was kept in one split, and the
dead exports' copies removed.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.annotation.export_checks import browsed_check, export_refusal, typed_path, typed_problem
from app.annotation.export_close import ExportCloseGuard
from app.annotation.export_outcome import TITLE, ExportOutcome
from app.annotation.export_words import cleaned_words, duplicates_words, export_summary
from app.annotation.export_worker import REPLACE_WORDS, ExportOptions, ExportWorker
from app.annotation.free_folder import FreeFolderProbe
from app.annotation.opening_notes import labels_waiting, labels_words
from app.annotation.split_choice import SplitChoice
from app.destination_checks import ask_check
from app.relay import ValueRelay
from app.theme import ERROR_COLOR, HINT_STYLE
from app.training.running import app_readings
from fosp_core.annotation.export import ExportReport, not_reviewed, not_reviewed_words
from fosp_core.annotation.export_model_made import DIALOG_HINT, model_made, model_made_words
from fosp_core.annotation.project import Project
from fosp_core.data.smokeseg_debris import DeadExport

__all__ = ["ERROR_COLOR", "ExportDialog", "ExportOptions", "ExportWorker", "cleaned_words", "duplicates_words",
           "export_summary"]

#: how often an export waiting for the saves under way looks at them (ms)
SAVES_LOOK_MS = 50
#: how long the window's close waits for a stopped export to end after the image being written (s): one whose
#: write a disk that does not answer holds is left to its thread (`ExportDialog.stop_and_wait`)
CLOSE_WAIT_S = 2.0


class ExportDialog(QDialog):
    """Options, then progress of the running export. ``exported(report)`` when it succeeded."""

    exported = Signal(object)

    def __init__(self, project: Project, default_dst: Path, parent: QWidget | None = None, *,
                 suggest_free: bool = False) -> None:
        """`suggest_free`: `default_dst` is replaced by its free destination once known (probed off the GUI
        thread: :func:`~app.annotation.free_folder.free_destination`), unless the user has edited it by then."""
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.project = project
        self._beside = Path(default_dst).parent  # where a relative name typed is shown as meant (`typed_problem`)
        self.worker: ExportWorker | None = None
        self.report: ExportReport | None = None
        self.cleaned: list[DeadExport] = []  # the running export's dead copies settled (a cancel has no report)
        self.running_dst: Path | None = None  # where the running (or last) export writes
        self.error: str | None = None
        self.dst = QLineEdit(str(default_dst))
        self.dst.textChanged.connect(self._clear_error)  # typed or browsed: the old reason no longer holds
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        dst_row = QHBoxLayout()
        dst_row.addWidget(self.dst, 1)
        dst_row.addWidget(browse)
        self.reviewed_only = QCheckBox("Reviewed images only (else every image with a mask)")
        self.reviewed_note = QLabel()  # ticked: how many masked images it leaves out, while the choice can change
        self.reviewed_note.setWordWrap(True)
        self.reviewed_note.setStyleSheet(HINT_STYLE)
        self.reviewed_only.toggled.connect(self._update_reviewed_note)
        # a dataset's own labels not brought in (ground truth only in the app): not in the export, said before it
        waiting = labels_waiting(project)
        self.labels_note = QLabel("" if waiting is None else labels_words(
            waiting, "not in this export (ground truth only): Annotate ▸ Import Labels… brings "
                     f"{'it' if waiting[0] == 1 else 'them'} in first"))
        self.labels_note.setWordWrap(True)
        self.labels_note.setStyleSheet(HINT_STYLE)
        self.labels_note.setVisible(waiting is not None)
        self.splits = SplitChoice(project, self.reviewed_only, self)  # keep or new splits: the CLI's default
        self.keep_splits, self.ratio_splits, self.split_note, self.split_tally = (
            self.splits.keep_splits, self.splits.ratio_splits, self.splits.note, self.splits.tally)
        self.train, self.val, self.test, self.seed = (self.splits.train, self.splits.val, self.splits.test,
                                                      self.splits.seed)
        # off: the trainer rescales by the long side and the app predicts with the aspect kept, so
        # squashed photos would teach squashed plumes; on only for a dataset that must be 512 x 512
        self.resize_box = QCheckBox("Resize to 512 × 512 (does not keep the aspect ratio: squashes non-square "
                                    "photos)")
        self.resize_box.setToolTip("Off: each photo keeps its own size, which training and fine-tuning take "
                                   "as it is (they rescale by the long side)")
        self.overwrite = QCheckBox(REPLACE_WORDS)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.outcome = ExportOutcome(self)  # what an export's end says under the options (`app.annotation.export_outcome`)
        self.error_label, self.result_label = self.outcome.error_label, self.outcome.result_label
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.dst.setAccessibleName("Destination folder")
        form = QFormLayout(self)
        form.addRow("Destination", dst_row)
        form.addRow("", self.reviewed_only)
        notes = QVBoxLayout()  # one row for both notes: no second row's spacing while they are hidden
        notes.setContentsMargins(0, 0, 0, 0)
        notes.addWidget(self.reviewed_note)
        notes.addWidget(self.labels_note)
        form.addRow("", notes)
        form.addRow("Splits", self.keep_splits)
        form.addRow("", self.ratio_splits)
        form.addRow("Train / val / test", self.splits.ratios)  # sentence case, as the other labels
        form.addRow("", self.split_note)
        form.addRow("Seed", self.seed)
        form.addRow("", self.split_tally)  # images per split, the model's unreviewed among them: under the seed they follow
        form.addRow("", self.resize_box)
        form.addRow("", self.overwrite)
        form.addRow(self.progress)
        form.addRow(self.error_label)
        form.addRow(self.result_label)
        form.addRow(self.buttons)  # as wide as the layout needs: the checkboxes' text never wraps
        self._update_reviewed_note()
        self._checked = ValueRelay()  # a browsed folder's check (`_check_browsed`), answered from its thread
        self._browsed = 0  # the newest browsed folder's check's number (`app.destination_checks`)
        self._export_checks = ValueRelay()  # Export's destination check (`start`), answered from its thread
        self._export_checks.done.connect(self._on_export_checked)
        self._export_asked = 0  # the newest Export's check's number
        self._checked.done.connect(self._on_checked)
        self.free_probe = FreeFolderProbe(self)
        self.free_probe.found.connect(self._on_free_folder)
        self.dst.textChanged.connect(self._end_probe_wait)  # typed or browsed to: the one to export to
        self.probing = suggest_free  # Export waits for the free destination (or the user's own)
        if parent is not None:  # the window closed while exporting: asked first (`app.annotation.export_close`)
            self.close_guard = ExportCloseGuard(self, parent)
        if suggest_free:
            ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
            ok.setEnabled(False)
            ok.setToolTip("Looking for a free destination folder…")
            self.free_probe.start(default_dst)

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt API
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a row shown or hidden, a note's text changed
            self._fit_height()
        return handled

    def _fit_height(self) -> None:
        """Grow to what the rows need at the dialog's width: a note shown after it opened (Reviewed images only's
        count, the split note), the progress bar, a failure's reason. Qt keeps a shown dialog's height, and a
        wrapped note was squeezed into one line's height, half drawn over the row above."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        if need > self.height():
            self.resize(self.width(), need)

    def _on_free_folder(self, asked: Path, free: Path) -> None:
        """The suggested destination's free one: shown unless another has been chosen by then."""
        if self.probing and self.dst.text() == str(asked):
            self.dst.setText(str(free))
        self._end_probe_wait()

    def _end_probe_wait(self, *_typed: object) -> None:
        """The destination shown is the one to export to: Export is offered."""
        if not self.probing:
            return
        self.probing = False
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setToolTip("")
        ok.setEnabled(self.worker is None)

    def _update_reviewed_note(self) -> None:
        """Reviewed only ticked: "12 images with masks not yet reviewed will be left out"; else "3 of the images
        to export are a model's masks nobody reviewed ..." (by status, nothing read): said before Export."""
        if self.reviewed_only.isChecked():
            text = not_reviewed_words(count, will=True) if (count := len(not_reviewed(self.project.entries))) else ""
        else:  # a pre-labelled folder: the model's own masks would train the fine-tune as labels
            text = model_made_words(len(model_made(self.project.entries)), DIALOG_HINT, will=True)
        self.reviewed_note.setText(text)
        self.reviewed_note.setVisible(bool(text))

    def options(self) -> ExportOptions:
        return ExportOptions(typed_path(self.dst.text()), self.reviewed_only.isChecked(), self.splits.splits(),
                             self.seed.value(), 512 if self.resize_box.isChecked() else None,
                             self.overwrite.isChecked())

    def start(self) -> None:
        """Run the export on a worker; the dialog stays open showing progress."""
        if self.worker is not None:
            return
        self._end_probe_wait()  # (a script's start, Export being disabled meanwhile): what is shown
        typed = typed_problem(self.dst.text(), self._beside)
        if typed is not None:  # nothing to check on the disk: said at once
            self._on_failed(typed)
            return
        options = self.options()
        self._clear_error()  # the destination is checked on the worker (a dead drive holds it, not the window)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.cleaned, self.running_dst = [], options.dst
        self.worker = ExportWorker(self.project, options, app_readings())
        self.worker.signals.cleaned.connect(self.cleaned.append)
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.finished.connect(self._on_finished)
        self.worker.signals.failed.connect(self._on_failed)
        self.worker.signals.cancelled.connect(self._on_cancelled)
        # its destination checked first, one check at a time per parent folder (a dead drive holds one thread,
        # not one of the pool's few, however often Export is pressed after Cancel); the worker starts then
        self._export_asked += 1
        ask_check(self._export_checks, self._export_asked, options.dst,
                  partial(export_refusal, self.project, options, self.worker.app_runs))

    def _on_export_checked(self, answer: tuple[int, tuple[str | None] | None]) -> None:
        """Export's destination answered: refused (said), or the export starts on the pool; a check that raised
        (None) lets the worker check again and say why."""
        number, checked = answer
        worker = self.worker
        if number != self._export_asked or worker is None or worker.started:
            return
        if checked is not None and checked[0] is not None:
            self._on_failed(checked[0])
            return
        self._start_saved(number, checked is not None)

    def _start_saved(self, number: int, checked: bool) -> None:
        """The worker starts once every commit's mask file is written before it is read: the saves under way
        looked at every `SAVES_LOOK_MS`, never waited for (a disk that does not answer holds the export, not
        the window; Cancel still cancels)."""
        worker = self.worker
        if number != self._export_asked or worker is None or worker.started:
            return
        if not self.project.saves_settle(0.0):
            QTimer.singleShot(SAVES_LOOK_MS, self, lambda: self._start_saved(number, checked))
            return
        worker.start(checked=checked)

    def reject(self) -> None:
        """Cancel, Esc or closing: stop a running export, then close."""
        waiting = self.worker is not None and not self.worker.started  # for its destination's check: forgotten
        if self.worker is not None and not waiting:
            self.worker.cancel()
        super().reject()
        if waiting:
            self._export_asked += 1
            self._on_cancelled()

    @property
    def exporting(self) -> bool:
        """An export was started (its destination still checked, or writing) and not cancelled."""
        return self.worker is not None and not self.worker.cancelling

    def stop_and_wait(self) -> bool:
        """The window closes: a running export stops after the image being written and is waited for
        `CLOSE_WAIT_S` at most (the writer removes its unfinished copy: the destination is left as it was); one
        waiting for its check is forgotten. False: an export whose image write a disk that does not answer holds,
        left to its thread (it only reads the project, which stays readable once closed; it stops, and removes
        its copy, once that disk answers)."""
        worker = self.worker
        if worker is not None and worker.started:
            worker.cancel()
            return worker.ended.wait(CLOSE_WAIT_S)
        elif worker is not None:
            self._export_asked += 1
            self._on_cancelled()
        return True

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_finished(self, report: ExportReport) -> None:
        self.outcome.finished(report)

    def _on_cancelled(self) -> None:
        self.outcome.cancelled()

    def _on_failed(self, message: str) -> None:
        self.outcome.failed(message)

    def _clear_error(self) -> None:
        self.outcome.clear_error()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export Destination", self.dst.text())
        if folder:
            self.dst.setText(folder)
            self._end_probe_wait()  # the user's choice, even the folder shown (no text changed): kept over the probe's
            self._check_browsed(folder)  # said as soon as known, not only on Export

    def _check_browsed(self, folder: str) -> None:
        """Check the folder browsed to off the GUI thread (`browsed_check`: it holds the project's images, labels
        or masks, which the export would replace, or the user's own files), one check at a time per parent folder
        for every dialog (`app.destination_checks`: a dead drive holds one thread however often Browse is
        pressed); the GUI thread reads none of it."""
        self._browsed += 1
        ask_check(self._checked, self._browsed, Path(folder), partial(browsed_check, self.project, folder, app_readings()))

    def _on_checked(self, answer: tuple[int, tuple[str, str | None] | None]) -> None:
        """A browsed folder's refusal, shown while it is still the destination and no export runs (an export
        checks it itself)."""
        number, checked = answer
        if number != self._browsed or checked is None:
            return
        folder, problem = checked
        if problem is not None and self.worker is None and self.error is None and self.dst.text() == folder:
            self._on_failed(problem)
