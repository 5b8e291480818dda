"""The worklist tells what the Annotate dock tells of an image with a label of its dataset and no mask of the project.

Session 36 made the Annotate dock say "dataset label only: Annotate ▸ Import Labels… to edit it" of such an image
(`app.annotation.status_words.image_status_words`), but the worklist still said "status: unlabelled" in its row's
tooltip, counted it in "N unlabelled", and listed it under Show: Unlabelled, the list of what has no label at all.
Now its rows, counts and Show box tell it by the dock's rule (`status_words.dataset_label_only`): Show: Unlabelled
lists the images with no label of any kind, Show: Dataset label only the others (each choice says so in its
tooltip), and an image the annotator edits leaves "dataset label only" as it does in the dock.

The core tests make a SmokeSeg-layout folder (JPEGImages/ + SegmentationClass/ for two of its three images); the
last ones open a copy of the 30 real SmokeSeg samples (skipped where ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from app.annotation.status_words import image_status_words
from fosp_core.annotation.document import Status

from .annotation_helpers import key, open_and_wait
from .conftest import WindowFactory
from .smokeseg_copy import writable_smokeseg

_DATASET_ONLY = "dataset label only: Annotate ▸ Import Labels… to edit it"


def _made_dataset(root: Path) -> Path:
    """A SmokeSeg-layout folder: a, b and c in JPEGImages/, a's and b's labels in SegmentationClass/ (c has none)."""
    rng = np.random.default_rng(36)
    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    for name in "abc":
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), np.uint8)).save(root / "JPEGImages" / f"{name}.jpg")
    for name in "ab":
        label = np.zeros((48, 64), np.uint8)
        label[10:30, 20:40] = 1
        Image.fromarray(label).save(root / "SegmentationClass" / f"{name}.png")
    return root


def _window(qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path):  # noqa: ANN001, ANN202 - qtbot
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    assert window.opener.wait(30)
    return window


def _tooltip(panel, image_id: str) -> str:  # noqa: ANN001 - the worklist panel
    model = panel.model
    return str(model.data(model.index(model.row_of(image_id)), Qt.ItemDataRole.ToolTipRole))


def _rows(panel) -> list[str]:  # noqa: ANN001 - the worklist panel
    return [panel.model.index(row).data() for row in range(panel.model.rowCount())]


def _show(panel, text: str) -> None:  # noqa: ANN001 - the worklist panel
    at = panel.filter.findText(text)
    assert at >= 0, [panel.filter.itemText(i) for i in range(panel.filter.count())]
    panel.filter.setCurrentIndex(at)


@pytest.fixture()
def made(qtbot, make_window: WindowFactory, tmp_path: Path):  # noqa: ANN001, ANN201 - qtbot
    window = _window(qtbot, make_window, tmp_path, _made_dataset(tmp_path / "made"))
    labels = {entry.id: entry.label for entry in window.annotation.controller.project.entries}
    assert labels == {"a": "SegmentationClass/a.png", "b": "SegmentationClass/b.png", "c": None}, labels
    return window


def test_words2_s36_a_row_s_tooltip_says_what_the_dock_says(made, qtbot) -> None:  # noqa: ANN001
    panel, dock = made.annotation.worklist, made.annotation.tool_dock
    shown = made.annotation.controller.document.image_id
    assert shown == "a"
    assert _DATASET_ONLY in dock.status_label.text()
    for image_id in "ab":
        tip = _tooltip(panel, image_id)
        assert tip.endswith(f"\nstatus: {_DATASET_ONLY}"), tip
        assert "unlabelled" not in tip, tip
    assert _tooltip(panel, "c").endswith("\nstatus: unlabelled")
    assert panel.model.index(panel.model.row_of("a")).data(Qt.ItemDataRole.DecorationRole).cacheKey() != (
        panel.model.dots()[Status.UNLABELED].cacheKey())  # not the dot of an image with no label at all
    assert panel.model.index(panel.model.row_of("c")).data(Qt.ItemDataRole.DecorationRole).cacheKey() == (
        panel.model.dots()[Status.UNLABELED].cacheKey())

    made.annotation.controller.document.replace_mask(np.ones(made.annotation.controller.document.shape, np.uint8))
    qtbot.waitUntil(lambda: ": edited" in dock.status_label.text(), timeout=5000)
    assert _tooltip(panel, "a").endswith("\nstatus: edited")  # the live status: as the dock, no word of the dataset


def test_words2_s36_the_counts_tell_dataset_labels_apart_from_unlabelled(made, qtbot) -> None:  # noqa: ANN001
    panel = made.annotation.worklist
    counts = panel.counts.text()
    assert "&nbsp;1&nbsp;unlabelled" in counts and "&nbsp;2&nbsp;dataset label only" in counts, counts

    doc = made.annotation.controller.document
    doc.replace_mask(np.ones(doc.shape, np.uint8))  # a's own mask: edited, no longer "dataset label only"
    qtbot.waitUntil(lambda: "&nbsp;1&nbsp;edited" in panel.counts.text(), timeout=5000)
    counts = panel.counts.text()
    assert "&nbsp;1&nbsp;unlabelled" in counts and "&nbsp;1&nbsp;dataset label only" in counts, counts


def test_words2_s36_show_unlabelled_lists_images_with_no_label_of_any_kind(made, qtbot) -> None:  # noqa: ANN001
    panel = made.annotation.worklist
    items = [panel.filter.itemText(i) for i in range(panel.filter.count())]
    assert items.index("Dataset label only") == items.index("Unlabelled") + 1, items
    tips = {text: panel.filter.itemData(i, Qt.ItemDataRole.ToolTipRole) for i, text in enumerate(items)}
    assert "no label of its dataset" in tips["Unlabelled"], tips
    assert "Import Labels" in tips["Dataset label only"], tips

    _show(panel, "Unlabelled")
    assert _rows(panel) == ["c"]
    _show(panel, "Dataset label only")
    assert _rows(panel) == ["a", "b"]
    _show(panel, "Not reviewed")
    assert _rows(panel) == ["a", "b", "c"]

    _show(panel, "Unlabelled")  # N goes to the images listed: c, not b (a dataset label only)
    key(made, "N")
    controller = made.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == "c", timeout=5000)
    _show(panel, "Dataset label only")
    key(made, "N")
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == "a", timeout=5000)
    key(made, "N")
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == "b", timeout=5000)


def test_words2_s36_a_choice_of_an_earlier_session_is_kept(made) -> None:  # noqa: ANN001
    panel = made.annotation.worklist
    panel.restore("Reviewed", "name")
    assert panel.filter.currentText() == "Reviewed"
    panel.restore("Dataset label only", "name")
    assert panel.filter.currentText() == "Dataset label only"
    panel.restore("Unlabeled", "name")  # as stored before session 33
    assert panel.filter.currentText() == "Unlabelled"


def test_words2_s36_the_rule_is_the_dock_s() -> None:
    from app.annotation.status_words import dataset_label_only

    assert dataset_label_only(Status.UNLABELED, True)
    assert not dataset_label_only(Status.UNLABELED, False)
    assert not any(dataset_label_only(status, True) for status in Status if status is not Status.UNLABELED)
    assert image_status_words(Status.UNLABELED, True) == _DATASET_ONLY


def test_words2_s36_real_smokeseg_samples_in_the_worklist(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    window = _window(qtbot, make_window, tmp_path, dataset)
    panel, controller = window.annotation.worklist, window.annotation.controller
    entries = controller.project.entries
    assert len(entries) == 30 and all(entry.label is not None for entry in entries)
    counts = panel.counts.text()
    assert "&nbsp;0&nbsp;unlabelled" in counts and "&nbsp;30&nbsp;dataset label only" in counts, counts
    shown = controller.document.image_id
    assert _DATASET_ONLY in window.annotation.tool_dock.status_label.text()
    assert _tooltip(panel, shown).endswith(f"\nstatus: {_DATASET_ONLY}")
    assert not [e.id for e in entries if "unlabelled" in _tooltip(panel, e.id)]

    _show(panel, "Unlabelled")  # nothing listed: the note says where they are
    assert _rows(panel) == []
    note = panel.empty_note.text()
    assert "30 have a dataset label only" in note and "Show: Dataset label only" in note, note
    _show(panel, "Dataset label only")
    assert len(_rows(panel)) == 30


def test_words2_s36_a_read_only_project_s_row_names_no_import(qapp) -> None:  # noqa: ANN001 - pytest-qt's qapp
    """Nothing may be imported into a read-only project: its row says what the dock says there. The ring is drawn
    once per theme, as the dots (a paint copies pixmaps)."""
    from types import SimpleNamespace

    from app.annotation.worklist_model import WorklistModel
    from fosp_core.annotation.entries import ImageEntry

    model = WorklistModel()
    model.set_rows([ImageEntry("a", "JPEGImages/a.jpg", Status.UNLABELED, None, "SegmentationClass/a.png")], {}, None)
    model.project = SimpleNamespace(read_only=True)
    tip = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert tip == f"JPEGImages/a.jpg\nstatus: {image_status_words(Status.UNLABELED, True, read_only=True)}", tip
    assert "Import Labels" not in tip
    first = model.data(model.index(0), Qt.ItemDataRole.DecorationRole).cacheKey()
    assert model.data(model.index(0), Qt.ItemDataRole.DecorationRole).cacheKey() == first == model.ring().cacheKey()
