"""Dialog: export chosen frames of the video (keyframes, every Nth, edited) to a SmokeSeg folder,
split by time into train and val (the end of the video, a gap before it) or everything in train. A
destination holding the video or its masks, or one not empty without Replace, is refused on OK (the first also
when browsed to), before anything is written; so is a blank or relative one (`typed_problem`: it would be the
folder the app was started from). The destination is checked off the GUI thread (the image
Export dialog's words, `app.annotation.export_worker.refusal_words`), one check at a time per parent folder
(`app.video.destination_checks`): the GUI thread reads nothing of it, so a dead network drive holds one thread,
not the window, however often OK or Browse is pressed; OK waits for the answer (`checking`), and one about a
folder or Replace since changed is dropped. The destination suggested (`suggest_free`: the free
one of the plain `<stem>-smokeseg` beside the video, or in the home folder when nobody may write there) is probed
by the image Export dialog's `app.annotation.free_folder.FreeFolderProbe`: one probe thread per parent folder
at a time, so a dead drive holds one thread however often the dialog is opened. The dialog opens at once with
the plain one, replaced by the answer unless the user has typed or browsed to another by then; OK pressed
before it waits for it (`checking`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
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

from app.annotation.export_checks import typed_path, typed_problem
from app.annotation.export_worker import REPLACE_WORDS, refusal_words
from app.annotation.free_folder import FreeFolderProbe
from app.relay import ValueRelay
from app.theme import ERROR_COLOR
from app.video.destination_checks import ask_check
from fosp_core.video.export import FrameChoice
from fosp_core.video.splits import DEFAULT_GAP_S, DEFAULT_VIDEO_RATIOS, VideoSplits

#: the val share's bounds in the dialog: some frames must stay to train on
_VAL_SHARE_RANGE = (0.05, 0.9)
_MAX_GAP_S = 600.0


@dataclass(frozen=True)
class VideoExportChoice:
    """The dialog's answer: which frames (`kind`, N for every Nth), where, resize side or None,
    replace a non-empty destination, the (train, val) ratios or None for everything in train, and
    the gap in seconds between them."""

    kind: FrameChoice
    every: int
    dst: Path
    resize_to: int | None
    overwrite: bool
    splits: VideoSplits
    gap_s: float


class VideoExportDialog(QDialog):
    """Asks which frames, where, how to split them, an optional square resize and whether a non-empty
    destination may be replaced (OK on one without it keeps the dialog open and says so). Read the
    answer with `choice()`."""

    def __init__(self, default_dst: Path, counts: dict[str, int], parent: QWidget | None = None, *,
                 check: Callable[[Path], str | None] | None = None,
                 suggest_free: bool = False) -> None:
        """check(dst): why the frames cannot go to `dst` (it holds the video or its masks; see
        `fosp_core.video.export.destination_problem`), or None; asked on OK and after Browse, on a thread.
        suggest_free: `default_dst` is replaced by its free destination once probed (module doc)."""
        super().__init__(parent)
        self._check = check
        self._shown_dst = str(default_dst)
        self._suggesting = suggest_free  # the suggestion's answer awaited (module doc)
        self._ok_waits_suggestion = False
        self.setWindowTitle("Export Video Frames to SmokeSeg")
        self.keyframes = QRadioButton(f"Keyframes ({counts.get('keyframes', 0)})")
        self.edited = QRadioButton(f"Edited frames ({counts.get('edited', 0)})")
        self.every = QRadioButton("Every Nth frame (those with a mask)")
        self.every_n = QSpinBox()
        self.every_n.setRange(1, 100000)
        self.every_n.setValue(10)
        self.dst = QLineEdit(str(default_dst))
        self.dst.textChanged.connect(self._forget_check)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.resize_to = QSpinBox()
        self.resize_to.setRange(0, 4096)
        self.resize_to.setSpecialValueText("keep size")
        self.resize_to.setSuffix(" px")
        self.by_time = QRadioButton("Split by time: train, then val at the end of the video")
        self.by_time.setToolTip("Neighbouring frames look alike, so val is one block at the end of the video, "
                                "with a gap before it that no frame is taken from")
        self.all_train = QRadioButton("Everything in train (no validation)")
        frames_group, splits_group = QButtonGroup(self), QButtonGroup(self)  # two questions, one answer each
        for button in (self.keyframes, self.edited, self.every):
            frames_group.addButton(button)
        for button in (self.by_time, self.all_train):
            splits_group.addButton(button)
        (self.keyframes if counts.get("keyframes") else self.edited).setChecked(True)
        self.by_time.setChecked(True)
        self.val_share = QDoubleSpinBox()
        self.val_share.setRange(*_VAL_SHARE_RANGE)
        self.val_share.setSingleStep(0.05)
        self.val_share.setValue(DEFAULT_VIDEO_RATIOS[1] / sum(DEFAULT_VIDEO_RATIOS))
        self.val_share.setToolTip("The share of the exported frames that validates (the last ones)")
        self.gap = QDoubleSpinBox()
        self.gap.setRange(0.0, _MAX_GAP_S)
        self.gap.setDecimals(1)
        self.gap.setSuffix(" s")
        self.gap.setValue(DEFAULT_GAP_S)
        self.gap.setToolTip("Frames shown this close before the first val frame are left out")
        self.by_time.toggled.connect(self._show_split_options)
        self.overwrite = QCheckBox(REPLACE_WORDS)
        self.overwrite.toggled.connect(self._forget_check)
        self._answers = ValueRelay()  # the destination checks' (number, refusal), from their threads
        self._answers.done.connect(self._on_checked)
        self._asked = 0  # the number of the latest check: the answers of earlier ones are dropped
        self._ok_check: int | None = None  # the check OK waits for
        self.free_probe = FreeFolderProbe(self)  # the suggested destination, probed off the GUI thread
        self.free_probe.found.connect(self._on_free_folder)
        if suggest_free:
            self.free_probe.start(default_dst)
        self.error_label = QLabel()  # why OK did not export, in words the dialog's user can act on
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")  # #e05050 was 3.6:1 on the window
        self.error_label.setVisible(False)
        self.every_n.setAccessibleName("Every Nth frame: N")  # beside its radio button, nobody's buddy
        self.dst.setAccessibleName("Destination folder")
        self.val_share.setAccessibleName("Val share")
        self.gap.setAccessibleName("Gap before val")
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
        form.addRow("Splits", self.by_time)
        form.addRow("", self.all_train)
        row = QHBoxLayout()
        row.addWidget(self.val_share)
        row.addWidget(QLabel("gap before val"))
        row.addWidget(self.gap)
        form.addRow("Val share", row)
        form.addRow("Resize to", self.resize_to)
        form.addRow("", self.overwrite)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _show_split_options(self, by_time: bool) -> None:
        """The val share and the gap count only for a split by time."""
        self.val_share.setEnabled(by_time)
        self.gap.setEnabled(by_time)

    @property
    def checking(self) -> bool:
        """OK was pressed and the destination's check (or the suggestion it waits for) has not answered yet (OK is
        disabled meanwhile)."""
        return self._ok_check is not None or self._ok_waits_suggestion

    @property
    def suggesting(self) -> bool:
        """The suggested destination is still worked out (on its thread) and nothing else chosen meanwhile."""
        return self._suggesting

    def _on_free_folder(self, _asked: Path, free: Path) -> None:
        """The probe's answer: the free destination of the plain one asked about."""
        self._on_suggested(free)

    def _on_suggested(self, suggested: Path | None) -> None:
        """The suggested destination: shown unless another was chosen by then; an OK waiting for it goes on."""
        if not self._suggesting:
            return
        self._suggesting = False
        waiting, self._ok_waits_suggestion = self._ok_waits_suggestion, False
        if suggested is not None and str(suggested) != self._shown_dst:
            self.dst.setText(str(suggested))
        if waiting:
            self.ok_button.setEnabled(True)
            self.accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", str(Path(self.dst.text()).parent))
        if folder:
            self.dst.setText(folder)
            self._ask(Path(folder), overwrite=True)  # said as soon as known, not only on OK

    def _ask(self, dst: Path, overwrite: bool) -> int:
        """Check `dst` off the GUI thread (`_refusal`, one check at a time per parent folder:
        `app.video.destination_checks`); the check's number."""
        self._asked += 1
        ask_check(self._answers, self._asked, dst, partial(_refusal, self._check, dst, overwrite))
        return self._asked

    def _forget_check(self, *_changed: object) -> None:
        """Another folder, or Replace toggled: the reason shown and the answer OK waits for no longer hold."""
        self.error_label.setVisible(False)
        self._asked += 1  # answers to earlier checks are dropped
        if self._suggesting and self.dst.text() != self._shown_dst:  # typed or browsed to: the one to export to
            self._suggesting = False
        if self._ok_check is not None or self._ok_waits_suggestion:
            self._ok_check, self._ok_waits_suggestion = None, False
            self.ok_button.setEnabled(True)

    def _on_checked(self, answer: tuple[int, str | None]) -> None:
        """A check's answer: the refusal said, or (OK's, no refusal) the dialog closed with OK."""
        number, refusal = answer
        if number != self._asked:
            return
        waited = self._ok_check == number
        if waited:
            self._ok_check = None
            self.ok_button.setEnabled(True)
        if refusal is not None:
            self.error_label.setText(refusal)
            self.error_label.setVisible(True)
        elif waited:
            super().accept()

    def accept(self) -> None:
        """Check the destination on a thread (it holds the video or its masks, or is a non-empty folder not
        to be replaced), then close with OK unless refused; nothing of it is read on the GUI thread."""
        if self.checking:
            return
        self.error_label.setVisible(False)
        self.ok_button.setEnabled(False)
        if self._suggesting:  # the suggested destination first (`_on_suggested` goes on)
            self._ok_waits_suggestion = True
            return
        typed = typed_problem(self.dst.text(), Path(self._shown_dst).parent)  # blank, relative: said, nothing read
        if typed is not None:
            self.error_label.setText(typed)
            self.error_label.setVisible(True)
            self.ok_button.setEnabled(True)
            return
        self._ok_check = self._ask(typed_path(self.dst.text()), self.overwrite.isChecked())

    def reject(self) -> None:
        """Close without exporting; a check still running is forgotten."""
        self._ok_check, self._ok_waits_suggestion, self._suggesting = None, False, False
        self._asked += 1
        self.ok_button.setEnabled(True)
        super().reject()

    def choice(self) -> VideoExportChoice:
        """What the user chose (see :class:`VideoExportChoice`)."""
        kind: FrameChoice = "keyframes" if self.keyframes.isChecked() else \
            "edited" if self.edited.isChecked() else "every"
        val = self.val_share.value()
        return VideoExportChoice(kind, self.every_n.value(), typed_path(self.dst.text()),
                                 self.resize_to.value() or None, self.overwrite.isChecked(),
                                 (1.0 - val, val) if self.by_time.isChecked() else None, self.gap.value())


def _refusal(check: Callable[[Path], str | None] | None, dst: Path, overwrite: bool) -> str | None:
    """On the check's thread: why the frames cannot go to `dst` in the dialog's words, or None. A check that fails
    refuses nothing: the export checks `dst` again and says why."""
    try:
        return refusal_words(dst, check(dst) if check is not None else None, overwrite)
    except Exception:  # noqa: BLE001 - the export's own check (destination_problem, the writer) says why
        return None

