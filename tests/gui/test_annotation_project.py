"""Projects in the app: autosave and reopen, read-only second window, failed saves, import labels,
worklist navigation and status, export to SmokeSeg on a worker."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import copy_demo, drag, key, open_and_wait


@pytest.fixture()
def dataset(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path / "demo")


def test_edits_are_saved_and_reopen(qtbot, make_window, dataset: Path) -> None:
    win = make_window(show=True)
    open_and_wait(qtbot, win, dataset)
    controller = win.annotation.controller
    image_id = controller.document.image_id
    win.annotation.controller.state.set_radius(6)
    key(win, "I")
    drag(win, [(30, 30), (90, 30)])
    saved = read_mask(dataset / ".fosp" / "masks" / f"{image_id}.png")
    assert (saved[30, 30:91] == 255).all()
    key(win, "R")
    win.close()
    project = Project.open(dataset)
    try:
        assert project.entry(image_id).status == Status.REVIEWED
        np.testing.assert_array_equal(project.load_mask(image_id), saved)
    finally:
        project.close()
    again = make_window(show=True)
    open_and_wait(qtbot, again, dataset)
    doc = again.annotation.controller.document
    assert doc.image_id == image_id and doc.status == Status.REVIEWED
    assert (doc.mask[30, 30:91] == 255).all()
    assert again.annotation.controller.layer.pixel_rgba(60, 30)[3] == 255


def test_second_window_opens_read_only_and_warns(qtbot, make_window, dataset: Path) -> None:
    first = make_window(show=True)
    open_and_wait(qtbot, first, dataset)
    second = make_window(show=True)
    open_and_wait(qtbot, second, dataset)
    assert second.annotation.controller.project.read_only
    errors = second.services.error_reporter.errors
    assert any("read-only" in e.reason and f"pid {os.getpid()}" in e.reason for e in errors)
    doc = second.annotation.controller.document
    before = doc.mask.copy()
    key(second, "B")
    drag(second, [(100, 100), (200, 100)])
    np.testing.assert_array_equal(doc.mask, before)
    assert "Read-only" in second.statusBar().currentMessage()
    assert "read-only" in second.annotation.tool_dock.status_label.text()


def test_failed_save_is_shown_and_edit_kept(qtbot, make_window, dataset: Path) -> None:
    win = make_window(show=True)
    open_and_wait(qtbot, win, dataset)
    doc = win.annotation.controller.document
    target = dataset / ".fosp" / "masks" / f"{doc.image_id}.png"
    target.unlink(missing_ok=True)
    target.mkdir()  # a directory where the mask goes: the atomic replace fails (also as root)
    key(win, "B")
    drag(win, [(100, 300), (200, 300)])
    assert doc.mask[300, 150] == 1  # the edit stays in the document
    assert "Could not save" in win.statusBar().currentMessage()
    assert [p.image for p in win.services.error_reporter.save_problems] == [doc.image_id]
    target.rmdir()
    drag(win, [(100, 320), (200, 320)])  # the next commit saves everything
    saved = read_mask(target)
    assert saved[300, 150] == 1 and saved[320, 150] == 1


def test_import_labels_from_dataset_then_worklist(qtbot, make_window, dataset: Path) -> None:
    win = make_window(show=True)
    open_and_wait(qtbot, win, dataset)
    ui = win.annotation
    assert ui.import_labels(dataset) == 4
    doc = ui.controller.document
    expected = read_mask(dataset / "SegmentationClass" / f"{doc.image_id}.png")
    np.testing.assert_array_equal(doc.mask, expected)
    assert doc.status == Status.EDITED
    assert ui.worklist.status_of(doc.image_id) == Status.EDITED
    first = doc.image_id
    assert ui.worklist.progress.format() == "0 of 4 reviewed"
    key(win, "R")
    assert ui.worklist.status_of(first) == Status.REVIEWED
    assert ui.worklist.progress.format() == "1 of 4 reviewed" and ui.worklist.progress.value() == 1
    assert "1&nbsp;reviewed" in ui.worklist.counts.text() and "3&nbsp;edited" in ui.worklist.counts.text()
    key(win, "N")
    qtbot.waitUntil(lambda: ui.controller.document is not None and ui.controller.document.image_id != first)
    second = ui.controller.document.image_id
    key(win, "Shift+N")  # previous unreviewed skips the reviewed first image (wraps around)
    qtbot.waitUntil(lambda: ui.controller.document is not None and ui.controller.document.image_id != second)
    assert ui.controller.document.image_id != first
    ui.worklist.filter.setCurrentIndex(ui.worklist.filter.findText("Reviewed"))
    assert ui.worklist.model.rowCount() == 1


def test_worklist_rows_follow_the_current_image_and_a_click_opens_one(qtbot, make_window, dataset: Path) -> None:
    win = make_window(show=True)
    open_and_wait(qtbot, win, dataset)
    ui = win.annotation
    view, model = ui.worklist.list, ui.worklist.model
    first = ui.controller.document.image_id
    assert model.rowCount() == 4 and view.currentIndex().row() == model.row_of(first)
    assert model.index(model.row_of(first)).data(Qt.ItemDataRole.ForegroundRole).name() == "#ffffff"
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    key(win, "B")
    drag(win, [(100, 100), (200, 100)])  # the stroke's commit refreshes the rows: now edited
    assert ui.worklist.status_of(first) == Status.EDITED
    assert "status: edited" in model.index(model.row_of(first)).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(model.row_of(first)).data(Qt.ItemDataRole.DecorationRole).cacheKey() == (
        model.dots()[Status.EDITED].cacheKey())  # the theme of the moment's dots
    assert not resets  # the same rows: repainted, not laid out again (a big project's rows cost 0.25 s)
    target = next(i for i in (model.index(r).data() for r in range(4)) if i != first)
    rect = view.visualRect(model.index(model.row_of(target)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: ui.controller.document is not None and ui.controller.document.image_id == target)
    assert view.currentIndex().row() == model.row_of(target)
    assert model.index(model.row_of(target)).data(Qt.ItemDataRole.ForegroundRole).name() == "#ffffff"
    assert model.index(model.row_of(first)).data(Qt.ItemDataRole.ForegroundRole).name() != "#ffffff"
    ui.worklist.filter.setCurrentIndex(next(i for i in range(ui.worklist.filter.count())
                                            if ui.worklist.filter.itemText(i) == "Edited"))
    assert [model.index(r).data() for r in range(model.rowCount())] == [first]  # other rows: reset
    assert resets


def test_export_from_the_app_round_trip(qtbot, make_window, dataset: Path, tmp_path: Path) -> None:
    win = make_window(show=True)
    open_and_wait(qtbot, win, dataset)
    ui = win.annotation
    key(win, "B")
    ui.controller.state.set_radius(10)
    drag(win, [(100, 100), (300, 100)])
    key(win, "R")
    edited_id = ui.controller.document.image_id
    dialog = ui.open_export_dialog()
    dialog.dst.setText(str(tmp_path / "export"))
    dialog.reviewed_only.setChecked(True)
    dialog.ratio_splits.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=20000) as blocker:
        dialog.start()
    report = blocker.args[0]
    assert report.count == 1
    out = tmp_path / "export"
    exported = read_mask(out / "SegmentationClass" / f"{edited_id}.png")
    assert exported.shape == (512, 512)
    np.testing.assert_array_equal(exported, ui.controller.document.mask)
    assert (out / "JPEGImages" / f"{edited_id}.jpg").is_file()
    lists = "".join((out / "ImageSets" / "Segmentation" / f"{s}.txt").read_text()
                    for s in ("train", "val", "test") if (out / "ImageSets" / "Segmentation" / f"{s}.txt").exists())
    assert edited_id in lists
