"""The annotation worklist on the real window: its filter and sort after edits and model runs, and
the keys (Return, arrows, N, Space) used while it has the focus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import copy_demo, drag, key, open_and_wait
from tests.gui.annotation_qa.helpers import LEFT, wait_image
from tests.gui.run_all_wait import run_all


def test_running_the_model_on_all_images_fills_the_worklist_uncertainty_sort(qtbot, make_window, demo_dir: Path,
                                                                               tmp_path: Path) -> None:
    """Model-assisted labelling: after Run on All Images, "Sort by: Model uncertainty" puts the
    images the model is least sure of first. Nothing stored the predictions' summaries, so the sort
    silently kept name order (and "Error vs label" too); masks and statuses stay as they were."""
    import torch

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.manual_seed(0)
    checkpoint = save_checkpoint(build_model("fosp-s").eval(), tmp_path / "tiny.safetensors")
    win = make_window()
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    analysis = win.analysis
    analysis.worker.set_input_size(64)  # wiring, not accuracy
    with qtbot.waitSignal(analysis.worker.loaded, timeout=20000):
        analysis.settings.set_checkpoint(checkpoint)
    open_and_wait(qtbot, win, copy_demo(demo_dir, tmp_path / "demo"))
    project = win.annotation.controller.project
    request = run_all(qtbot, analysis)
    assert request is not None
    qtbot.waitUntil(lambda: all(e.prediction is not None for e in project.entries), timeout=60000)
    uncertainty = {e.id: e.prediction["uncertainty"] for e in project.entries}
    assert all(e.prediction["error_vs_label"] is not None for e in project.entries)  # the demo has labels
    assert all(e.status == Status.UNLABELED for e in project.entries)
    worklist = win.annotation.worklist
    worklist.sort.setCurrentIndex(worklist.sort.findText("Model uncertainty"))
    shown = [e.id for e in worklist.shown()]
    assert shown == sorted(uncertainty, key=lambda i: -uncertainty[i])
    assert win.annotation.controller.document.mask.sum() == 0  # nothing accepted by itself


def test_return_in_the_worklist_opens_the_row_unless_a_polygon_is_being_drawn(qtbot, window) -> None:
    """Close Polygon's Return/Enter was a window-wide shortcut with every tool: Return on a worklist
    row (or any list) did nothing."""
    from PySide6.QtWidgets import QApplication

    worklist = window.annotation.worklist
    worklist.list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is worklist.list)
    worklist.list.setCurrentIndex(worklist.model.index(2))
    QTest.keyClick(worklist.list, Qt.Key.Key_Return)
    wait_image(qtbot, window, 2)
    key(window, "P")
    assert window.annotation.actions.close_polygon.isEnabled()
    key(window, "B")
    assert not window.annotation.actions.close_polygon.isEnabled()


def test_space_drag_pans_right_after_choosing_an_image_in_the_worklist(qtbot, window) -> None:
    """Space was only seen while the canvas had the keyboard focus: after a click on a worklist row
    (focus in the list), holding Space and dragging painted a stroke instead of panning."""
    from PySide6.QtWidgets import QApplication

    controller, worklist = window.annotation.controller, window.annotation.worklist
    key(window, "B")
    rect = worklist.list.visualRect(worklist.model.index(1))
    qtbot.mouseClick(worklist.list.viewport(), LEFT, pos=rect.center())
    wait_image(qtbot, window, 1)
    focus = QApplication.focusWidget()
    assert focus is not window.canvas
    doc = controller.document
    before, view = doc.mask.copy(), window.canvas.view_box.viewRange()
    QTest.keyPress(focus, Qt.Key.Key_Space)
    drag(window, [(250, 250), (255, 255), (262, 262)])
    QTest.keyRelease(QApplication.focusWidget(), Qt.Key.Key_Space)
    np.testing.assert_array_equal(doc.mask, before)
    assert window.canvas.view_box.viewRange() != view
    drag(window, [(100, 100), (120, 100)])  # Space released: the brush paints again
    assert doc.mask[100, 110] == 1


def test_the_worklist_filter_and_sort_follow_the_edit_just_made(qtbot, window) -> None:
    """With "Show: Edited" the image just painted must be listed, with "Show: Reviewed" it must go
    when its review is undone, and "Sort by: Smoke size" must put a big new stroke first once its image is left: the list
    was rebuilt before the edit was saved, so it showed the project as it was one edit earlier."""
    worklist = window.annotation.worklist
    rows = lambda: [worklist.model.index(i).data() for i in range(worklist.model.rowCount())]  # noqa: E731
    image_id = window.annotation.controller.document.image_id
    worklist.filter.setCurrentIndex(worklist.filter.findText("Edited"))
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    assert rows() == [image_id]
    worklist.filter.setCurrentIndex(worklist.filter.findText("Reviewed"))
    key(window, "R")
    assert rows() == [image_id]
    key(window, "Ctrl+Z")
    assert rows() == []
    worklist.filter.setCurrentIndex(worklist.filter.findText("All images"))
    worklist.sort.setCurrentIndex(worklist.sort.findText("Smoke size"))
    key(window, "PgDown")
    wait_image(qtbot, window, 1)
    second = window.annotation.controller.document.image_id
    drag(window, [(100, 200), (400, 200)])  # more smoke than the first image's stroke
    # the image shown keeps its row while it is edited (worklist_pin, 81d1fb4e); leaving it sorts it
    worklist.go_to(image_id)
    wait_image(qtbot, window, 0)
    assert rows()[:2] == [second, image_id]


def test_next_unreviewed_keeps_to_the_worklist_filter(qtbot, window) -> None:
    """Checking the edited images ("Show: Edited"): R then N went to the next image not reviewed
    of any status (an unlabeled one, not listed), not to the next edited one; Shift+N alike."""
    controller, worklist = window.annotation.controller, window.annotation.worklist
    key(window, "B")
    ids = []
    for index in range(4):
        if index:
            key(window, "PgDown")
            wait_image(qtbot, window, index)
        ids.append(controller.document.image_id)
        if index in (1, 3):
            drag(window, [(100, 100), (150, 100)])
    worklist.go_to(ids[1])
    wait_image(qtbot, window, 1)
    worklist.filter.setCurrentIndex(worklist.filter.findText("Edited"))
    key(window, "R")
    key(window, "N")
    wait_image(qtbot, window, 3)
    key(window, "Shift+N")  # back past the unlabeled image 2 and the reviewed image 1
    wait_image(qtbot, window, 3)
    assert "Show: Edited" in window.statusBar().currentMessage()
    worklist.filter.setCurrentIndex(worklist.filter.findText("All images"))
    key(window, "N")  # with every status shown, the unlabeled images count again
    wait_image(qtbot, window, 0)


def test_up_and_down_in_the_worklist_walk_its_rows_in_its_order(qtbot, window) -> None:
    """Down in the worklist ran the window's Next Image (the Images list's order), so with "Sort by:
    Smoke size" the arrows jumped to an image several rows away instead of the row below."""
    controller, worklist = window.annotation.controller, window.annotation.worklist
    key(window, "B")
    key(window, "PgDown")
    wait_image(qtbot, window, 1)
    drag(window, [(100, 100), (120, 100)])  # a little smoke on image 1, a lot on image 2
    key(window, "PgDown")
    wait_image(qtbot, window, 2)
    drag(window, [(100, 100), (300, 300)])
    worklist.sort.setCurrentIndex(worklist.sort.findText("Smoke size"))
    rows = [worklist.model.index(i).data() for i in range(worklist.model.rowCount())]
    assert rows[:2] == [window.session.paths[2].stem, window.session.paths[1].stem]
    qtbot.mouseClick(worklist.list.viewport(), LEFT, pos=worklist.list.visualRect(worklist.model.index(0)).center())
    assert controller.document.image_id == rows[0]
    QTest.keyClick(worklist.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[1])
    assert worklist.list.currentIndex().row() == 1
    QTest.keyClick(worklist.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[2])
    QTest.keyClick(worklist.list, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[1])
    assert worklist.list.currentIndex().row() == 1
