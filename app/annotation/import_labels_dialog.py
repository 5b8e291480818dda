"""Annotate ▸ Import Labels…: where the labels are (one dialog for a folder or a file) and, for a
labelme/COCO/CVAT source whose smoke labels cannot be told, a list of its labels to tick.

`LabelSourceDialog` is Qt's own file dialog (the same on every desktop) in which Import takes what
is selected: a folder (a SmokeSeg/SMOKE5K dataset, a folder of PNG masks, a labelme folder, a CVAT
or COCO export) or a file (a COCO ``.json``, a CVAT ``.xml``, one labelme ``.json``); a double
click opens a folder. Its title is short (the formats are in its file-type filter) and its Size, Type
and Date Modified columns are as wide as what they show, the Name column taking the rest: at its
default 632 x 408 Qt's own widths elided the Type column (64 px for 100 of text). Below the files it
asks who made the labels, "These labels are: made by people / a model's predictions" (people by
default: status edited, ground truth for Compare; a model's, another tool's output: status predicted,
to review like the app's own); `ask_label_source` answers both as an `ImportChoice`. Another copy of the
project selected (a teammate's images folder holding its ``.fosp``, or that project folder:
`fosp_core.annotation.project_merge.other_project`) brings each image with its status there, the choice
unused: it is taken away while such a copy is selected, a line below it saying so, and the status bar's
summary says the copy's statuses were kept (it said "as a model's predictions" when that was chosen).
`SmokeLabelsDialog` lists the labels with checkboxes.

A dataset's project (its images opened unlabelled, its own labels ground truth only) starts the dialog on the
dataset itself (`start_folder`): shown selected in its parent folder, so that Import brings its labels in at
once; before, it opened in the parent with nothing selected (Import greyed out) and the annotator had to find
the dataset there. The import keeps every mask edited or reviewed since (`fosp_core.annotation.project_import`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFileSystemModel,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from fosp_core.annotation.document import Status
from fosp_core.annotation.foreign_import import ForeignImportReport
from fosp_core.annotation.foreign_labels import FORMAT_NAMES
from fosp_core.annotation.labels import ImportReport
from fosp_core.annotation.project_merge import ProjectImportReport, other_project

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["ImportChoice", "LabelSourceDialog", "SmokeLabelsDialog", "ask_label_source", "ask_smoke_labels",
           "import_summary", "nothing_matched_words", "start_folder"]

SOURCE_TITLE = "Import Labels from a Folder or a File"  # title case, as the other dialogs' titles
IMPORT_WORD = "Import"  #: the accept button's words, a folder selected or a file (`_keep_import_words`)
SOURCE_FILTERS = ["Folders, COCO or labelme .json, CVAT .xml (*.json *.xml)", "All files (*)"]
#: the line below the choice while another copy of the project is selected (the choice unused then)
COPY_NOTE = ("A copy of a project: each image comes with its status there (edited, reviewed, a model's), "
             "so who made the labels is not asked.")
#: the widest each column shows, beside what the rows loaded show: a size, a file type, a date
_COLUMN_SAMPLES = {1: "1023.9 KiB", 2: "File Folder", 3: "2026-12-31 23:59"}


class ImportChoice(NamedTuple):
    """What Import Labels imports: `source` (a folder or a labels file) and the `status` its masks get
    (EDITED: made by people; PREDICTED: a model's predictions)."""

    source: Path
    status: Status


def start_folder(project: Project) -> str:
    """Where Annotate ▸ Import Labels… starts for `project`: a dataset's own folder when some of its images have
    a label of the dataset (`LabelSourceDialog` shows it selected), else the folder that holds the images'."""
    root = project.images_root
    return str(root if any(e.label is not None for e in project.entries) else root.parent)


def _dataset_folder(directory: str) -> Path | None:
    """`directory` when it is a SmokeSeg (``JPEGImages/``) or SMOKE5K (``img/`` and ``gt/``) dataset, else None."""
    if not directory:
        return None
    root = Path(directory)
    found = (root / "JPEGImages").is_dir() or ((root / "img").is_dir() and (root / "gt").is_dir())
    return root if found else None


class LabelSourceDialog(QFileDialog):
    """Choose a folder or a labels file, and who made the labels; `chosen` holds the source once
    accepted, `choice()` both. `directory`: the folder shown; a dataset's folder is shown selected in
    its parent's (`start_folder`)."""

    def __init__(self, parent: QWidget | None = None, directory: str = "") -> None:
        dataset = _dataset_folder(directory)
        super().__init__(parent, SOURCE_TITLE, directory if dataset is None else str(dataset.parent))
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # native ones choose a file or a folder
        self.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.setNameFilters(SOURCE_FILTERS)
        self.setLabelText(QFileDialog.DialogLabel.Accept, IMPORT_WORD)
        self.setAccessibleName("Import Labels")
        self.setAccessibleDescription("Select a folder or a labels file, then Import; a double click opens a folder.")
        self.chosen: Path | None = None
        self.files = self.findChild(QTreeView, "treeView")
        if self.files is not None:
            header = self.files.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # Name: what is left
            model = self.files.model()
            if isinstance(model, QFileSystemModel):
                model.directoryLoaded.connect(lambda _path: self.fit_columns())
        self._add_made_by()
        name = self.findChild(QLineEdit, "fileNameEdit")  # the selection's name: a click, typing, selectFile
        if name is not None:
            name.textChanged.connect(lambda _text: self._selection_changed())
        self.currentChanged.connect(lambda _path: self._selection_changed())
        self.directoryEntered.connect(lambda _path: self._selection_changed())
        if (accept := self._accept_button()) is not None:
            accept.installEventFilter(self)  # its words kept "Import" (`_keep_import_words`)
        if dataset is not None:  # its own labels: Import takes them at once
            self.selectFile(str(dataset))

    def _add_made_by(self) -> None:
        """The row "These labels are: (o) made by people  ( ) a model's predictions" below the files."""
        self.made_by_label = QLabel("These labels are:")
        self.made_by_people = QRadioButton("made by people")
        self.made_by_people.setAccessibleName("Labels made by people (imported as edited)")
        self.made_by_model = QRadioButton("a model's predictions")
        self.made_by_model.setAccessibleName("Labels that are a model's predictions (imported as predicted)")
        self.made_by_people.setChecked(True)
        row = QHBoxLayout()
        row.addWidget(self.made_by_people)
        row.addWidget(self.made_by_model)
        row.addStretch(1)
        self.copy_note = QLabel(COPY_NOTE)  # shown while another copy of the project is selected
        self.copy_note.setWordWrap(True)
        self.copy_note.setVisible(False)
        grid = self.layout()  # Qt's own dialog (not native): a grid of Look in, files, File name, Files of type
        if isinstance(grid, QGridLayout):
            at = grid.rowCount()
            grid.addWidget(self.made_by_label, at, 0)
            grid.addLayout(row, at, 1, 1, max(1, grid.columnCount() - 1))
            grid.addWidget(self.copy_note, at + 1, 1, 1, max(1, grid.columnCount() - 1))

    def _selected(self) -> Path:
        """What Import would take now: the selected folder or file, else the folder shown."""
        files = self.selectedFiles()
        return Path(files[0]) if files else Path(self.directory().absolutePath())

    def _selection_changed(self) -> None:
        """After Qt's own update of the Import button (connected before): its words kept, the choice shown."""
        self._keep_import_words()
        self._show_copy()

    def _keep_import_words(self) -> None:
        """Qt names the accept button "Open" while a folder is selected (it would open it), from its own
        slots, some of which emit nothing after; Import takes the folder (`accept`), so the button keeps
        saying "Import": set back at once, and before each paint of the button (`eventFilter`)."""
        button = self._accept_button()
        if button is not None and button.text() != IMPORT_WORD:
            button.setText(IMPORT_WORD)

    def _accept_button(self) -> QPushButton | None:
        box = self.findChild(QDialogButtonBox, "buttonBox")
        buttons = [] if box is None else box.buttons()
        return next((b for b in buttons if isinstance(b, QPushButton)
                     and box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and watched is self._accept_button():
            self._keep_import_words()
        return super().eventFilter(watched, event)

    def _show_copy(self) -> None:
        """Take the made-by choice away, saying why, while another copy of the project is selected."""
        path = self._selected()
        copy = path.is_dir() and other_project(path) is not None
        for widget in (self.made_by_label, self.made_by_people, self.made_by_model):
            widget.setEnabled(not copy)
        self.copy_note.setVisible(copy)

    @property
    def status(self) -> Status:
        """The status the imported masks get: EDITED (made by people) or PREDICTED (a model's)."""
        return Status.PREDICTED if self.made_by_model.isChecked() else Status.EDITED

    def choice(self) -> ImportChoice | None:
        """The source and the status chosen, once accepted (None before, or cancelled)."""
        return None if self.chosen is None else ImportChoice(self.chosen, self.status)

    def fit_columns(self) -> None:
        """Size, Type and Date Modified as wide as their header, the rows shown and `_COLUMN_SAMPLES`."""
        if self.files is None:
            return
        header, metrics = self.files.header(), self.files.fontMetrics()
        pad = 2 * self.files.style().pixelMetric(self.files.style().PixelMetric.PM_FocusFrameHMargin) + 12
        for column, sample in _COLUMN_SAMPLES.items():
            if column < header.count():
                header.resizeSection(column, max(header.sectionSizeHint(column), self.files.sizeHintForColumn(column),
                                                 metrics.horizontalAdvance(sample) + pad))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.fit_columns()
        self._keep_import_words()

    def accept(self) -> None:
        """Take the selected folder or file (QFileDialog would open a folder instead)."""
        path = self._selected()
        if path.is_dir() or path.is_file():
            self.chosen = path
            QDialog.accept(self)
            return
        super().accept()


def ask_label_source(parent: QWidget | None, directory: str = "") -> ImportChoice | None:
    """The folder or file the user chose in a `LabelSourceDialog` and who made its labels, None
    when cancelled."""
    dialog = LabelSourceDialog(parent, directory)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class SmokeLabelsDialog(QDialog):
    """The labels of a source, to tick those that are smoke; OK once one is ticked."""

    def __init__(self, source: str, labels: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose the Smoke Labels")
        layout = QVBoxLayout(self)
        text = QLabel(f"No label of {Path(source).name} is named like “smoke”, and it has {len(labels)}. "
                      "Tick those that are smoke; the others are left out (a label named like “ignore” "
                      "becomes ignore, 255, unless ticked).")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget()
        self.list.setAccessibleName("Labels of the source")
        for name in labels:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.itemChanged.connect(lambda _item: self._update_ok())
        self._update_ok()

    def chosen(self) -> list[str]:
        """The labels ticked, in the source's order."""
        items = (self.list.item(i) for i in range(self.list.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.chosen()))


def ask_smoke_labels(parent: QWidget | None, source: str, labels: Sequence[str]) -> list[str] | None:
    """The labels ticked in a `SmokeLabelsDialog`, None when cancelled."""
    dialog = SmokeLabelsDialog(source, labels, parent)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def import_summary(report: ImportReport, status: Status = Status.EDITED) -> str:
    """One line for the status bar: masks imported (`status` PREDICTED: said to be a model's
    predictions; another copy of the project's: with their statuses there, `status` unused), and what was
    not (kept, failed, not in the project)."""
    copy = isinstance(report, ProjectImportReport)
    parts = [f"Imported {len(report.imported)} masks"
             + (" from another copy of the project, each with its status there" if copy
                else " as a model's predictions" if status == Status.PREDICTED else "")]
    if copy and report.unmatched:
        parts.append(f"{len(report.unmatched)} images of that copy not in this project "
                     f"({', '.join(report.unmatched[:3])}{', …' if len(report.unmatched) > 3 else ''})")
    if isinstance(report, ForeignImportReport):
        parts[0] += (f" from {FORMAT_NAMES.get(report.format, report.format)} labels "
                     f"(smoke: {', '.join(report.smoke_labels) or 'none'})")
        if report.unmatched:
            parts.append(f"{len(report.unmatched)} images of the file not in the project "
                         f"({', '.join(report.unmatched[:3])}{', …' if len(report.unmatched) > 3 else ''})")
    if report.kept:
        parts.append(f"{len(report.kept)} kept (already edited or reviewed)")
    if report.failed:
        first_id, reason = report.failed[0]
        parts.append(f"{len(report.failed)} not taken ({first_id}: {reason}"
                     f"{'; …' if len(report.failed) > 1 else ''})")
    return "; ".join(parts)


def nothing_matched_words(source: str, example: str | None) -> str:
    """The status bar's line for an import of masks that matched no image of the project (`source`: the folder's
    name; `example`: an image id of the project), as ``fosp project import`` says it: what a mask's name must be."""
    hint = "" if example is None else (f" (a mask matches by the image's name: {example}.png, in the folder or its "
                                       "SegmentationClass/)")
    return f"Nothing imported: no mask in {source} is named after an image of this project{hint}"
