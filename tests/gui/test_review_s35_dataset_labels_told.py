"""A SmokeSeg dataset opened in the app: its ``SegmentationClass/`` masks are the images' ground truth (scores,
Compare), not masks to edit, and every image starts unlabelled. Before, nothing said so: "Opened 30 images",
30 grey dots in the worklist, and an annotator who expected the labels (as CVAT or labelme show a labelled
dataset's) had to find Annotate ▸ Import Labels… alone, in a file dialog that opened beside the dataset with
nothing selected (Import greyed out). Now the opening line says how many labels are ground truth only and
names Import Labels…, and that dialog opens with the dataset itself selected: Import brings them in as
*edited* masks, an image the annotator edited before keeping its own mask (real SmokeSeg samples)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from app.annotation.import_labels_dialog import LabelSourceDialog
from fosp_core.annotation.document import Status
from fosp_core.io.masks import read_mask

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory
from .smokeseg_copy import writable_smokeseg


def _open(qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
          monkeypatch: pytest.MonkeyPatch) -> tuple[object, Path, list[str]]:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    said: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: said.append(text) if text else None)
    open_and_wait(qtbot, window, dataset)
    assert window.opener.wait(30)
    qtbot.waitUntil(lambda: any(text.startswith("Opened 30 images") for text in said), timeout=10000)
    return window, dataset, said


def _import_from_dialog(qtbot, window) -> list[str]:  # noqa: ANN001 - qtbot, MainWindow
    """Annotate ▸ Import Labels…, then Import as the dialog opened (nothing chosen); the dialog's selection."""
    seen: list[str] = []

    def press_import() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, LabelSourceDialog) and w.isVisible()),
                      None)
        if dialog is None:  # not shown yet (a loaded machine): looked for again
            QTimer.singleShot(100, press_import)
            return
        seen.extend(dialog.selectedFiles())
        box = dialog.findChild(QDialogButtonBox, "buttonBox")
        button = next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == "Import")
        if button.isEnabled():
            button.click()
        else:
            dialog.reject()

    QTimer.singleShot(300, press_import)
    window.annotation.actions.import_labels.trigger()
    window.annotation.imports.wait()
    return seen


def test_opening_a_labelled_dataset_says_its_labels_are_ground_truth_only_and_how_to_bring_them_in(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, _dataset, said = _open(qtbot, make_window, shared_data, tmp_path, monkeypatch)
    line = next(text for text in said if text.startswith("Opened 30 images"))
    assert "30 SegmentationClass labels" in line and "ground truth only" in line, line
    assert "Annotate ▸ Import Labels…" in line, line
    assert window.annotation.controller.document.status is Status.UNLABELED  # nothing imported on its own


def test_import_labels_opens_with_the_dataset_selected_and_keeps_the_annotator_s_mask(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, dataset, _said = _open(qtbot, make_window, shared_data, tmp_path, monkeypatch)
    controller = window.annotation.controller
    doc = controller.document
    own = np.zeros(doc.shape, np.uint8)
    own[10:20, 10:30] = 1
    doc.replace_mask(own)  # the annotator's own mask on the first image, before any import
    controller.open_documents.flush()
    first = doc.image_id
    assert window.annotation.worklist.status_of(first) is Status.EDITED

    seen = _import_from_dialog(qtbot, window)
    assert [Path(p) for p in seen] == [dataset], f"the dialog did not open with the dataset selected: {seen}"
    assert window.statusBar().currentMessage().startswith("Imported 29 masks"), window.statusBar().currentMessage()
    worklist = window.annotation.worklist
    project = worklist.project
    assert all(worklist.status_of(i) is Status.EDITED for i in project.ids)
    assert np.array_equal(project.load_mask(first), own)  # the annotator's mask kept, not the dataset's
    second = project.ids[1]
    label = read_mask(dataset / "SegmentationClass" / f"{second}.png")
    assert np.array_equal(project.load_mask(second), label)

    window.close()
    window = make_window(show=True)  # the same dataset opened again: nothing left to bring in, nothing said
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    again: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: again.append(text) if text else None)
    open_and_wait(qtbot, window, dataset)
    qtbot.waitUntil(lambda: any(text.startswith("Opened 30 images") for text in again), timeout=10000)
    assert not any("ground truth only" in text for text in again), again


def test_getting_started_says_how_to_edit_a_dataset_s_own_labels() -> None:
    """Help ▸ Getting Started said to open "a folder or a SmokeSeg dataset", then to draw or correct masks,
    and nothing of the dataset's own labels, which open as ground truth only."""
    from app.help_menu import getting_started_html

    text = " ".join(getting_started_html().split())
    assert "ground truth" in text and "Import Labels…" in text


def test_the_note_counts_the_labels_a_model_s_mask_stands_in_for() -> None:
    """Pre-label All on a dataset whose labels were not brought in: every image *predicted*, a model's mask where
    the dataset has a person's label, and the opening said nothing any more (it counted unlabelled images only).
    An import replaces those model masks (never an edited or reviewed one), so they are counted too."""
    from types import SimpleNamespace

    from app.annotation.opening_notes import labels_not_brought_in
    from fosp_core.annotation.entries import ImageEntry

    def project(*statuses: Status) -> SimpleNamespace:
        return SimpleNamespace(read_only=False, entries=[
            ImageEntry(f"i{n}", f"JPEGImages/i{n}.jpg", status, None, f"SegmentationClass/i{n}.png")
            for n, status in enumerate(statuses)])

    assert labels_not_brought_in(project(Status.PREDICTED, Status.PREDICTED)) == (
        "2 SegmentationClass labels are ground truth only: Annotate ▸ Import Labels… to edit them")
    assert labels_not_brought_in(project(Status.PREDICTED, Status.EDITED, Status.REVIEWED)) == (
        "1 of 3 SegmentationClass labels is ground truth only: Annotate ▸ Import Labels… to edit it")
    assert labels_not_brought_in(project(Status.EDITED, Status.REVIEWED)) is None
    read_only = project(Status.UNLABELED)
    read_only.read_only = True
    assert labels_not_brought_in(read_only) is None
