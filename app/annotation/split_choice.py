"""The image Export dialog's split choice (`app.annotation.export_dialog`): keep the source dataset's splits, or new
splits by ratio (train / val / test shares and a seed, offered only for them), and the note under them
(`app.annotation.split_note`).

The default is the one ``fosp project export`` takes: the source's splits when they put an image in train; new
splits by ratio for a folder of photos (keeping is then offered no more: it would put every image in train) and
for a source whose splits would leave train empty among the images exported (the bundled demo lists its 4 in val:
`fosp_core.annotation.export.kept_without_train`), the note then saying why in the command line's words. Until the
user picks one of the two, the default follows Reviewed only (the images it takes decide, as ``--reviewed-only``'s
do); a choice of the user's is left alone, keeping an empty train then said as before.

Under the note, `tally` says how many images each split gets and how many of them are a model's masks nobody
reviewed ("Planned: train 8 (3 a model's, not reviewed), val 2, test 2"), from the export's own planner
(`fosp_core.annotation.export_tally.planned_tally`: the seed counts), as the options change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QHBoxLayout, QLabel, QRadioButton, QSpinBox

from app.annotation.split_note import split_note
from app.theme import HINT_STYLE
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.export import DEFAULT_RATIOS, has_source_splits, kept_without_train
from fosp_core.annotation.export_tally import planned_tally, tally_words

__all__ = ["PLANNED_TIP", "SplitChoice"]

#: the tally's tooltip: what the export may find that no status says
PLANNED_TIP = ("By status, before the export: an image whose mask or file turns out unreadable is left out, and "
               "exact duplicate images are kept in one split; the summary after the export counts what was written")


class _Entries(Protocol):
    """What the choice reads of a project: its entries (split, status; nothing read from disk)."""

    @property
    def entries(self) -> Sequence[ImageEntry]: ...


class SplitChoice(QObject):
    """The split widgets (`keep_splits`, `ratio_splits`, `train`, `val`, `test`, `seed`, `ratios` their row,
    `note`, `tally`) of an Export dialog over `project`'s entries; `reviewed_only` is the dialog's box (the images taken)."""

    def __init__(self, project: _Entries, reviewed_only: QCheckBox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project, self.reviewed_only = project, reviewed_only
        self.chosen = False  # the user picked keep or new splits: the default no longer follows Reviewed only
        self._defaulting = False  # the default being set: not the user's choice
        self.keep_splits = QRadioButton("Keep the source dataset's splits")
        self.ratio_splits = QRadioButton("New splits by ratio")
        self.sourced = has_source_splits(project.entries)
        if self.sourced:
            self.keep_splits.setToolTip("The source's train / val / test lists; images in none go to train")
        else:  # a folder of photos: keeping would put everything in train (no validation to fine-tune with)
            self.keep_splits.setEnabled(False)
            self.keep_splits.setToolTip("The source has no train/val/test splits (a folder of photos): "
                                        "keeping them would put every image in train")
        self.train, self.val, self.test = (QDoubleSpinBox() for _ in range(3))
        self.ratios = QHBoxLayout()
        for box, value, split in zip((self.train, self.val, self.test), DEFAULT_RATIOS, ("train", "val", "test"),
                                     strict=True):
            box.setRange(0.0, 1.0)
            box.setSingleStep(0.05)
            box.setValue(value)
            box.setAccessibleName(f"Share of images in {split}")  # a row of three is nobody's buddy
            self.ratios.addWidget(box)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.note = QLabel()  # train or val empty, val or test under 5 images, why new splits (split_note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(HINT_STYLE)
        self.tally = QLabel()  # the images per split, and the model's unreviewed masks among them (module doc)
        self.tally.setWordWrap(True)
        self.tally.setStyleSheet(HINT_STYLE)
        self.tally.setToolTip(PLANNED_TIP)
        self._set_default()
        for box in (self.train, self.val, self.test, self.seed):  # the seed draws which images go where
            box.valueChanged.connect(self.update_note)
        self.ratio_splits.toggled.connect(self._picked)
        self.reviewed_only.toggled.connect(self._reviewed_toggled)
        self._show_options(self.ratio_splits.isChecked())
        self.update_note()

    def splits(self) -> str | tuple[float, float, float]:
        """"keep", or the (train, val, test) shares chosen."""
        if self.ratio_splits.isChecked():
            return (self.train.value(), self.val.value(), self.test.value())
        return "keep"

    def _empty_train(self) -> str:
        """`kept_without_train`'s words for the images the export takes ("all 4 in val"), or ""."""
        return kept_without_train(self.project.entries, self.reviewed_only.isChecked()) if self.sourced else ""

    def _set_default(self) -> None:
        """The command line's default for the images taken: new splits unless the source's put one in train."""
        self._defaulting = True
        try:
            (self.ratio_splits if not self.sourced or self._empty_train() else self.keep_splits).setChecked(True)
        finally:
            self._defaulting = False

    def _picked(self, by_ratio: bool) -> None:
        """Keep or new splits toggled: the user's choice unless the default set it; ratios and seed follow."""
        self.chosen = self.chosen or not self._defaulting
        self._show_options(by_ratio)
        self.update_note()

    def _reviewed_toggled(self) -> None:
        if not self.chosen:
            self._set_default()
        self.update_note()

    def _show_options(self, by_ratio: bool) -> None:
        """The ratios and the seed count only for new splits."""
        for box in (self.train, self.val, self.test, self.seed):
            box.setEnabled(by_ratio)

    def update_note(self) -> None:
        """Say when train or val would be empty, val or test would hold fewer than 5 images, or why new splits
        are drawn (`split_note`), and the images per split (`tally`); each hidden when there is nothing to say."""
        splits = self.splits()
        tally = planned_tally(self.project.entries, self.reviewed_only.isChecked(), splits, self.seed.value())
        sizes = {name: split.images for name, split in tally.items()}
        kept = splits == "keep"
        self.note.setText(split_note(sizes, kept=kept, drawn_for="" if kept else self._empty_train()))
        self.note.setVisible(bool(self.note.text()))
        self.tally.setText(f"Planned: {tally_words(tally)}" if any(sizes.values()) else "")
        self.tally.setVisible(bool(self.tally.text()))
