"""An annotator's day on the real window: quick dabs, gestures cut short by other keys, undo after
switching images, model-assisted sorting and export errors. Each test pins a defect found by using
the app as an annotator would (see the commit that added it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import (
    blank_demo_window,
    copy_demo,
    drag,
    key,
    open_and_wait,
    viewport_pos,
)

_LEFT, _NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    return blank_demo_window(qtbot, make_window, demo_dir, tmp_path)


def _wait_image(qtbot, window, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None
                    and controller.image_path == window.session.paths[index], timeout=10000)


def test_second_click_of_a_quick_double_click_paints_with_the_brush(window) -> None:
    """Qt delivers the second press of two quick clicks as a double-click only: two quick dabs (or a
    dab, then a stroke started at once) must paint both, not drop the second."""
    doc = window.annotation.controller.document
    key(window, "B")
    window.annotation.controller.state.set_radius(2)
    viewport = window.canvas.viewport()
    QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, 100, 100))
    QTest.mouseDClick(viewport, _LEFT, _NONE, viewport_pos(window, 110, 100))  # the 2nd press, as Qt sends it
    QTest.mouseMove(viewport, viewport_pos(window, 160, 100))
    QTest.mouseRelease(viewport, _LEFT, _NONE, viewport_pos(window, 160, 100))
    assert doc.mask[100, 100] == 1
    assert doc.mask[100, 110] == 1 and doc.mask[100, 150] == 1  # the stroke from the second click
    assert not doc.in_step
    assert doc.history.labels() == ["brush", "brush"]


def test_double_click_still_closes_a_polygon(window) -> None:
    doc = window.annotation.controller.document
    key(window, "P")
    viewport = window.canvas.viewport()
    for x, y in [(100, 100), (200, 100), (200, 200)]:
        QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, x, y))
    QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, 100, 200))
    QTest.mouseDClick(viewport, _LEFT, _NONE, viewport_pos(window, 100, 200))
    QTest.mouseRelease(viewport, _LEFT, _NONE, viewport_pos(window, 100, 200))
    assert doc.mask[190, 110] == 1 and doc.mask[150, 150] == 1 and doc.mask[50, 50] == 0
    assert doc.history.labels() == ["polygon fill"]
    assert not window.annotation.controller.gestures.points  # nothing left over for the next polygon


def test_a_stroke_in_progress_is_kept_and_saved_when_a_key_switches_the_image(qtbot, window) -> None:
    """PgDown (or N) while the brush is down: what was painted so far is one saved stroke of the
    image it was painted on, like a tool switch or an undo does; it used to vanish."""
    controller = window.annotation.controller
    doc, project = controller.document, controller.project
    key(window, "B")
    viewport = window.canvas.viewport()
    QTest.mousePress(viewport, _LEFT, _NONE, viewport_pos(window, 100, 100))
    QTest.mouseMove(viewport, viewport_pos(window, 150, 100))
    key(window, "PgDown")
    _wait_image(qtbot, window, 1)
    QTest.mouseMove(viewport, viewport_pos(window, 200, 300))
    QTest.mouseRelease(viewport, _LEFT, _NONE, viewport_pos(window, 200, 300))
    assert doc.mask[100, 120] == 1 and not doc.in_step
    saved = project.load_mask(doc.image_id)
    assert saved is not None and saved[100, 120] == 1
    assert not controller.document.mask[300, 200]  # nothing spilled onto the next image


def test_a_press_without_release_does_not_leave_strokes_uncommitted(window) -> None:
    """A release that never arrives (the grab lost to another window) must not nest the next
    stroke inside the unfinished one: that stroke and every later one were never committed,
    so never saved."""
    controller = window.annotation.controller
    doc, project = controller.document, controller.project
    key(window, "B")
    viewport = window.canvas.viewport()
    QTest.mousePress(viewport, _LEFT, _NONE, viewport_pos(window, 100, 100))
    QTest.mousePress(viewport, _LEFT, _NONE, viewport_pos(window, 300, 300))  # no release in between
    QTest.mouseRelease(viewport, _LEFT, _NONE, viewport_pos(window, 300, 300))
    assert not doc.in_step
    assert doc.history.labels() == ["brush", "brush"]
    saved = project.load_mask(doc.image_id)
    assert saved is not None and saved[100, 100] == 1 and saved[300, 300] == 1


def test_undo_and_redo_survive_going_to_another_image_and_back(qtbot, window) -> None:
    """Annotators look at the next image, see the last stroke on the previous one was wrong, go back
    and press Ctrl+Z: the stroke is undone (and saved), Ctrl+Shift+Z brings it back."""
    controller = window.annotation.controller
    project, image_id = controller.project, controller.document.image_id
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    drag(window, [(100, 300), (150, 300)])
    key(window, "PgDown")
    _wait_image(qtbot, window, 1)
    drag(window, [(200, 200), (250, 200)])
    key(window, "PgUp")
    _wait_image(qtbot, window, 0)
    assert window.annotation.actions.undo.isEnabled()
    key(window, "Ctrl+Z")
    doc = controller.document
    assert doc.mask[100, 120] == 1 and doc.mask[300, 120] == 0
    assert project.load_mask(image_id)[300, 120] == 0  # the undo is saved like any edit
    key(window, "Ctrl+Shift+Z")
    assert doc.mask[300, 120] == 1 and project.load_mask(image_id)[300, 120] == 1


def test_importing_labels_shows_the_imported_mask_of_a_visited_image(qtbot, window, demo_dir: Path) -> None:
    """Documents kept for undo must not hide masks written by an import."""
    controller = window.annotation.controller
    key(window, "PgDown")
    _wait_image(qtbot, window, 1)
    key(window, "PgUp")
    _wait_image(qtbot, window, 0)
    image_id = controller.document.image_id
    assert window.annotation.import_labels(demo_dir) == 4
    from fosp_core.io.masks import read_mask

    expected = read_mask(demo_dir / "SegmentationClass" / f"{image_id}.png")
    np.testing.assert_array_equal(controller.document.mask, expected)
    key(window, "PgDown")
    _wait_image(qtbot, window, 1)
    second = controller.document.image_id
    np.testing.assert_array_equal(controller.document.mask,
                                  read_mask(demo_dir / "SegmentationClass" / f"{second}.png"))


def test_an_edit_whose_save_failed_is_saved_when_the_window_closes(qtbot, window) -> None:
    """"The edit is kept; it is saved again with the next edit" - and when there is no next edit on
    that image (the annotator moved on, then quit), closing the window saves it; it used to be lost."""
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    target = project.mask_path(doc.image_id)
    target.unlink(missing_ok=True)
    target.mkdir()  # the atomic replace fails (also as root)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    assert "Could not save" in window.statusBar().currentMessage()
    target.rmdir()  # the disk is fine again, but no edit of this image follows
    key(window, "PgDown")
    _wait_image(qtbot, window, 1)
    window.close()
    saved = project.load_mask(doc.image_id)
    assert saved is not None and saved[300, 150] == 1


def test_running_the_model_on_all_images_fills_the_worklist_uncertainty_sort(qtbot, make_window, demo_dir: Path,
                                                                               tmp_path: Path) -> None:
    """Model-assisted labelling: after Run on All Images, "Sort by: Model uncertainty" puts the
    images the model is least sure of first. Nothing stored the predictions' summaries, so the sort
    silently kept name order (and "Error vs label" too); masks and statuses stay as they were."""
    import torch

    from fosp_core.annotation.document import Status
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
    request = analysis.run_all()
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


def test_a_failed_export_says_why_in_the_dialog(qtbot, window, tmp_path: Path) -> None:
    """Exporting again to the same folder fails; the reason was only in a tooltip (the progress bar
    that got it is hidden), and spoke of `overwrite=True / --overwrite`, not of the dialog's box."""
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    first = window.annotation.open_export_dialog()
    first.dst.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(first.exported, timeout=20000):
        first.start()
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(tmp_path / "out"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "not empty" in dialog.error_label.text() and dialog.overwrite.text() in dialog.error_label.text()
    dialog.overwrite.setChecked(True)  # the way out it names works
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.start()
    assert not dialog.error_label.isVisible()


def test_return_in_the_worklist_opens_the_row_unless_a_polygon_is_being_drawn(qtbot, window) -> None:
    """Close Polygon's Return/Enter was a window-wide shortcut with every tool: Return on a worklist
    row (or any list) did nothing."""
    from PySide6.QtWidgets import QApplication

    worklist = window.annotation.worklist
    worklist.list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is worklist.list)
    worklist.list.setCurrentIndex(worklist.model.index(2))
    QTest.keyClick(worklist.list, Qt.Key.Key_Return)
    _wait_image(qtbot, window, 2)
    key(window, "P")
    assert window.annotation.actions.close_polygon.isEnabled()
    key(window, "B")
    assert not window.annotation.actions.close_polygon.isEnabled()


def test_the_shortcut_dialog_refuses_a_key_another_action_has(window) -> None:
    """Giving the brush E (the eraser's) or F (Fit to Window) made the key ambiguous: Qt then runs
    neither action, so both keys went dead without a word."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QDialog

    from app.annotation.shortcuts import ShortcutDialog
    from fosp_core.annotation.tool_state import Tool

    ui = window.annotation
    for taken, owner in (("E", "Eraser"), ("F", "Fit to Window")):
        dialog = ShortcutDialog(ui.shortcuts, window)
        dialog.editors["brush"].setKeySequence(QKeySequence(taken))
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert not dialog.problem.isHidden() and owner in dialog.problem.text() and taken in dialog.problem.text()
        assert ui.shortcuts.keys("brush") == ["B"]  # nothing stored
    dialog = ShortcutDialog(ui.shortcuts, window)
    dialog.editors["brush"].setKeySequence(QKeySequence("J"))  # a free key is taken as before
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and ui.shortcuts.keys("brush") == ["J"]
    key(window, "J")
    assert ui.controller.state.tool == Tool.BRUSH
    dialog = ShortcutDialog(ui.shortcuts, window)  # swapping two keys in one go is fine
    dialog.editors["brush"].setKeySequence(QKeySequence("E"))
    dialog.editors["eraser"].setKeySequence(QKeySequence("J"))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    key(window, "E")
    assert ui.controller.state.tool == Tool.BRUSH


def test_ctrl_z_while_clicking_a_polygon_removes_its_last_vertex(window) -> None:
    """As in labelme and CVAT: Ctrl+Z with a polygon half-clicked takes back the last vertex. It used to
    drop every vertex clicked so far and also undo the edit before the polygon."""
    controller = window.annotation.controller
    doc = controller.document
    key(window, "B")
    drag(window, [(400, 400), (420, 400)])  # an earlier edit that must survive
    key(window, "P")
    viewport = window.canvas.viewport()
    for x, y in [(100, 100), (200, 100), (200, 200), (300, 300)]:  # the last one misplaced
        QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, x, y))
    key(window, "Ctrl+Z")
    assert doc.mask[400, 410] == 1 and doc.history.labels() == ["brush"]
    QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, 100, 200))
    key(window, "Return")
    assert doc.mask[190, 110] == 1 and doc.mask[250, 250] == 0
    assert doc.history.labels() == ["brush", "polygon fill"]
    key(window, "Ctrl+Z")  # with no vertex pending, Ctrl+Z undoes edits as before
    assert doc.mask[190, 110] == 0 and doc.mask[400, 410] == 1


def test_undo_is_offered_for_a_vertex_before_any_edit(window) -> None:
    controller = window.annotation.controller
    undo = window.annotation.actions.undo
    key(window, "P")
    assert not undo.isEnabled()  # nothing to undo yet
    viewport = window.canvas.viewport()
    for x, y in [(100, 100), (200, 100)]:
        QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, x, y))
    assert undo.isEnabled()
    key(window, "Ctrl+Z")
    key(window, "Ctrl+Z")
    assert controller.pending_vertices == 0 and not undo.isEnabled()


def test_brush_size_opacity_tolerance_and_outline_are_kept_for_the_next_session(qtbot, make_window) -> None:
    """They reverted to 12 px / 50 % / 0.15 / filled at every start: an annotator who works at 40 px
    and 80 % set them again each morning."""
    first = make_window()
    state = first.annotation.controller.state
    state.set_radius(40)
    state.set_opacity(0.8)
    state.set_tolerance(0.3)
    state.set_outline(True)
    first.close()
    second = make_window()
    state = second.annotation.controller.state
    assert (state.radius, state.opacity, state.tolerance, state.outline) == (40, pytest.approx(0.8),
                                                                            pytest.approx(0.3), True)
    dock = second.annotation.tool_dock
    assert dock.radius.value() == 40 and dock.outline.isChecked() and second.annotation.actions.outline.isChecked()
    assert second.annotation.controller.layer.outline


def test_space_drag_pans_right_after_choosing_an_image_in_the_worklist(qtbot, window) -> None:
    """Space was only seen while the canvas had the keyboard focus: after a click on a worklist row
    (focus in the list), holding Space and dragging painted a stroke instead of panning."""
    from PySide6.QtWidgets import QApplication

    controller, worklist = window.annotation.controller, window.annotation.worklist
    key(window, "B")
    rect = worklist.list.visualRect(worklist.model.index(1))
    qtbot.mouseClick(worklist.list.viewport(), _LEFT, pos=rect.center())
    _wait_image(qtbot, window, 1)
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
    when its review is undone, and "Sort by: Smoke size" must put a big new stroke first: the list
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
    _wait_image(qtbot, window, 1)
    second = window.annotation.controller.document.image_id
    drag(window, [(100, 200), (400, 200)])  # more smoke than the first image's stroke
    assert rows()[:2] == [second, image_id]


def test_cancel_during_an_export_stops_it(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    """Cancel (or Esc) while the export runs closed the dialog but the export went on: the folder
    was written all the same and the status bar then said "Exported 1 images"."""
    import threading

    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QDialogButtonBox

    from app.annotation import export_dialog

    real, gate = export_dialog.export_smokeseg, threading.Event()

    def held(*args, progress, **kwargs):  # noqa: ANN002, ANN003, ANN202 - export_smokeseg's
        def slowed(done: int, total: int | None) -> None:
            gate.wait(10)  # the first image is written: the user presses Cancel now
            progress(done, total)
        return real(*args, progress=slowed, **kwargs)

    monkeypatch.setattr(export_dialog, "export_smokeseg", held)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    dialog = window.annotation.open_export_dialog()
    dst = tmp_path / "out"
    dialog.dst.setText(str(dst))
    exported: list[object] = []
    dialog.exported.connect(exported.append)
    dialog.start()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    gate.set()
    assert QThreadPool.globalInstance().waitForDone(20000)
    qtbot.wait(50)  # the worker's queued signals
    assert not dialog.isVisible()
    assert exported == [] and not dst.exists()
    assert not list(tmp_path.glob(".out.tmp-*"))  # nothing half-written left beside it
    assert "Exported" not in window.statusBar().currentMessage()


def test_typing_a_brush_radius_then_enter_gives_the_keys_back_to_the_canvas(qtbot, window) -> None:
    """Typing 30 in the Annotate dock's radius box and pressing Enter left the keyboard focus in the
    box: Ctrl+Z then undid the box's text instead of the last stroke, E and ] did nothing, until
    the annotator clicked the image."""
    from PySide6.QtWidgets import QApplication

    from fosp_core.annotation.tool_state import Tool

    controller, dock = window.annotation.controller, window.annotation.tool_dock
    dock.raise_()
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    box = dock.radius.lineEdit()
    QTest.mouseClick(box, _LEFT, _NONE)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dock.radius)
    dock.radius.selectAll()
    QTest.keyClicks(box, "30")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert controller.state.radius == 30
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.document.history.labels() == []  # the stroke is undone
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_E)
    assert controller.state.tool == Tool.ERASER
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_BracketRight)
    assert controller.state.radius > 30


def test_the_export_dialog_offers_ratios_and_seed_only_for_new_splits(window) -> None:
    """With "Keep the source dataset's splits" chosen, the train / val / test ratios and the seed
    could be edited but were ignored: an export "80/20 with seed 3" kept the source's splits."""
    dialog = window.annotation.open_export_dialog()
    controls = (dialog.train, dialog.val, dialog.test, dialog.seed)
    assert dialog.keep_splits.isChecked()
    assert not any(c.isEnabled() for c in controls)
    dialog.ratio_splits.setChecked(True)
    assert all(c.isEnabled() for c in controls)
    assert dialog.options().splits == (0.8, 0.1, 0.1)
    dialog.keep_splits.setChecked(True)
    assert not any(c.isEnabled() for c in controls) and dialog.options().splits == "keep"


def test_next_unreviewed_keeps_to_the_worklist_filter(qtbot, window) -> None:
    """Checking the edited images ("Show: Edited"): R then N went to the next image not reviewed
    of any status (an unlabeled one, not listed), not to the next edited one; Shift+N alike."""
    controller, worklist = window.annotation.controller, window.annotation.worklist
    key(window, "B")
    ids = []
    for index in range(4):
        if index:
            key(window, "PgDown")
            _wait_image(qtbot, window, index)
        ids.append(controller.document.image_id)
        if index in (1, 3):
            drag(window, [(100, 100), (150, 100)])
    worklist.go_to(ids[1])
    _wait_image(qtbot, window, 1)
    worklist.filter.setCurrentIndex(worklist.filter.findText("Edited"))
    key(window, "R")
    key(window, "N")
    _wait_image(qtbot, window, 3)
    key(window, "Shift+N")  # back past the unlabeled image 2 and the reviewed image 1
    _wait_image(qtbot, window, 3)
    assert "Show: Edited" in window.statusBar().currentMessage()
    worklist.filter.setCurrentIndex(worklist.filter.findText("All images"))
    key(window, "N")  # with every status shown, the unlabeled images count again
    _wait_image(qtbot, window, 0)


def test_closing_a_polygon_of_two_vertices_keeps_them_and_says_why(window) -> None:
    """Enter (or a double-click) with only two vertices clicked threw them away without a word;
    they are kept, the status bar says a polygon needs three, and the next click completes it."""
    controller = window.annotation.controller
    doc = controller.document
    key(window, "P")
    viewport = window.canvas.viewport()
    for x, y in [(100, 100), (200, 100)]:
        QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, x, y))
    key(window, "Return")
    assert controller.pending_vertices == 2 and doc.history.labels() == []
    assert "3" in window.statusBar().currentMessage()
    QTest.mouseDClick(viewport, _LEFT, _NONE, viewport_pos(window, 200, 100))  # on the last vertex
    QTest.mouseRelease(viewport, _LEFT, _NONE, viewport_pos(window, 200, 100))
    assert controller.pending_vertices == 2
    QTest.mouseClick(viewport, _LEFT, _NONE, viewport_pos(window, 200, 200))
    key(window, "Return")
    assert controller.pending_vertices == 0 and doc.history.labels() == ["polygon fill"]
    assert doc.mask[120, 180] == 1


def test_choosing_a_brush_from_the_dock_shows_no_outline_where_the_pointer_left_the_image(qtbot, window) -> None:
    """The pointer leaves the image for the Annotate dock and clicks Brush: the brush outline
    appeared on the image where the pointer had last been, though the pointer was over the dock."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from fosp_core.annotation.tool_state import Tool

    controller = window.annotation.controller
    viewport = window.canvas.viewport()
    key(window, "E")
    QTest.mouseMove(viewport, viewport_pos(window, 200, 200))
    assert controller.cursor.isVisible()
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    assert not controller.cursor.isVisible()
    window.annotation.actions.tools[Tool.BRUSH].trigger()
    assert not controller.cursor.isVisible()
    QTest.mouseMove(viewport, viewport_pos(window, 250, 250))  # back over the image: there it is
    assert controller.cursor.isVisible()


def test_up_and_down_in_the_worklist_walk_its_rows_in_its_order(qtbot, window) -> None:
    """Down in the worklist ran the window's Next Image (the Images list's order), so with "Sort by:
    Smoke size" the arrows jumped to an image several rows away instead of the row below."""
    controller, worklist = window.annotation.controller, window.annotation.worklist
    key(window, "B")
    key(window, "PgDown")
    _wait_image(qtbot, window, 1)
    drag(window, [(100, 100), (120, 100)])  # a little smoke on image 1, a lot on image 2
    key(window, "PgDown")
    _wait_image(qtbot, window, 2)
    drag(window, [(100, 100), (300, 300)])
    worklist.sort.setCurrentIndex(worklist.sort.findText("Smoke size"))
    rows = [worklist.model.index(i).data() for i in range(worklist.model.rowCount())]
    assert rows[:2] == [window.session.paths[2].stem, window.session.paths[1].stem]
    qtbot.mouseClick(worklist.list.viewport(), _LEFT, pos=worklist.list.visualRect(worklist.model.index(0)).center())
    assert controller.document.image_id == rows[0]
    QTest.keyClick(worklist.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[1])
    assert worklist.list.currentIndex().row() == 1
    QTest.keyClick(worklist.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[2])
    QTest.keyClick(worklist.list, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == rows[1])
    assert worklist.list.currentIndex().row() == 1


def test_escape_in_the_brush_radius_box_drops_the_typing_and_keeps_the_tool(qtbot, window) -> None:
    """Esc while typing a radius ran the window's Cancel / Navigate: the brush became the pan tool
    and the keyboard focus stayed in the box. Esc there now drops what was typed, keeps the tool
    and hands the keys back to the canvas."""
    from PySide6.QtWidgets import QApplication

    from fosp_core.annotation.tool_state import Tool

    controller, dock = window.annotation.controller, window.annotation.tool_dock
    dock.raise_()
    key(window, "B")
    box = dock.radius.lineEdit()
    QTest.mouseClick(box, _LEFT, _NONE)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dock.radius)
    dock.radius.selectAll()
    QTest.keyClicks(box, "4")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert controller.state.tool == Tool.BRUSH and controller.state.radius == 12
    assert dock.radius.value() == 12 and dock.radius.text() == "12 px"
    assert QApplication.focusWidget() is window.canvas


def test_accepting_a_prediction_without_smoke_labels_the_image_smoke_free(window) -> None:
    """The model saw no smoke; Shift+A said "nothing to change" and the image stayed unlabeled, so the
    export left it out. Accepting it now saves the empty mask as PREDICTED (one undo step) and says so."""
    controller = window.annotation.controller
    doc = controller.document
    project, image_id = controller.registry.lookup(window.session.current_path)
    assert doc.status == Status.UNLABELED and project.load_mask(image_id) is None
    controller.set_probability(window.session.current_path, np.full(doc.shape, 0.05, np.float32))
    window.statusBar().clearMessage()
    key(window, "Shift+A")
    assert doc.status == Status.PREDICTED and not doc.mask.any()
    assert "no smoke" in window.statusBar().currentMessage().lower()
    assert project.entry(image_id).status == Status.PREDICTED
    saved = project.load_mask(image_id)
    assert saved is not None and not saved.any()
    assert window.annotation.actions.undo.isEnabled()
    key(window, "Ctrl+Z")
    assert doc.status == Status.UNLABELED and project.entry(image_id).status == Status.UNLABELED


def _photos_window(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    """A window on a plain folder of photos (the demo's JPEGs, no splits, no labels)."""
    import shutil

    photos = tmp_path / "photos"
    shutil.copytree(demo_dir / "JPEGImages", photos)
    win = make_window(show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, win, photos)
    return win


def test_the_export_dialog_makes_new_splits_for_a_folder_without_splits(qtbot, make_window, demo_dir: Path,
                                                                         tmp_path: Path) -> None:
    """For a plain folder of photos "Keep the source dataset's splits" was chosen although there are
    none: everything went to train.txt and a fine-tune on the export had no validation. The option
    is now off (its tooltip says why) and new splits by ratio are chosen."""
    win = _photos_window(qtbot, make_window, demo_dir, tmp_path)
    dialog = win.annotation.open_export_dialog()
    assert not dialog.keep_splits.isEnabled() and not dialog.keep_splits.isChecked()
    assert "no train/val/test splits" in dialog.keep_splits.toolTip()
    assert dialog.ratio_splits.isChecked() and dialog.ratio_splits.isEnabled()
    assert all(c.isEnabled() for c in (dialog.train, dialog.val, dialog.test, dialog.seed))
    assert dialog.options().splits == (0.8, 0.1, 0.1)


def test_the_export_dialog_keeps_a_datasets_splits_by_default(window) -> None:
    """A SmokeSeg source with splits (the demo's val.txt) still keeps them by default."""
    dialog = window.annotation.open_export_dialog()
    assert dialog.keep_splits.isEnabled() and dialog.keep_splits.isChecked()
    assert dialog.options().splits == "keep"


def test_the_export_dialog_keeps_the_photos_aspect_by_default(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    """"Resize to 512 × 512" was on by default and squashed non-square photos, while the app predicts
    and the trainer rescales with the aspect kept: a fine-tune learned squashed plumes. It is off by
    default and says that it does not keep the aspect ratio; the export keeps each photo's size."""
    import cv2

    from fosp_core.data.datasets import open_dataset

    photos = tmp_path / "photos"
    photos.mkdir()
    for path in sorted((demo_dir / "JPEGImages").glob("*.jpg")):
        cv2.imwrite(str(photos / path.name), cv2.imread(str(path))[96:416])  # 512 x 320, real content
    win = make_window(show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, win, photos)
    key(win, "B")
    drag(win, [(100, 100), (300, 200)])
    dialog = win.annotation.open_export_dialog()
    assert not dialog.resize_box.isChecked() and dialog.options().resize_to is None
    assert "aspect ratio" in dialog.resize_box.text() and "not" in dialog.resize_box.text()
    dialog.dst.setText(str(tmp_path / "export"))
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.start()
    sample = open_dataset(tmp_path / "export")[0]
    assert sample.image.shape == (320, 512, 3) and sample.mask.shape == (320, 512)
