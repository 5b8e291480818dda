"""An annotator's quick strokes and polygons on the real window: dabs in quick succession, strokes
cut short by a key or a lost release, polygon vertices taken back or too few to close."""

from __future__ import annotations

from PySide6.QtTest import QTest

from tests.gui.annotation_helpers import drag, key, viewport_pos
from tests.gui.annotation_qa.helpers import LEFT, NONE, wait_image


def test_second_click_of_a_quick_double_click_paints_with_the_brush(window) -> None:
    """Qt delivers the second press of two quick clicks as a double-click only: two quick dabs (or a
    dab, then a stroke started at once) must paint both, not drop the second."""
    doc = window.annotation.controller.document
    key(window, "B")
    window.annotation.controller.state.set_radius(2)
    viewport = window.canvas.viewport()
    QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, 100, 100))
    QTest.mouseDClick(viewport, LEFT, NONE, viewport_pos(window, 110, 100))  # the 2nd press, as Qt sends it
    QTest.mouseMove(viewport, viewport_pos(window, 160, 100))
    QTest.mouseRelease(viewport, LEFT, NONE, viewport_pos(window, 160, 100))
    assert doc.mask[100, 100] == 1
    assert doc.mask[100, 110] == 1 and doc.mask[100, 150] == 1  # the stroke from the second click
    assert not doc.in_step
    assert doc.history.labels() == ["brush", "brush"]


def test_double_click_still_closes_a_polygon(window) -> None:
    doc = window.annotation.controller.document
    key(window, "P")
    viewport = window.canvas.viewport()
    for x, y in [(100, 100), (200, 100), (200, 200)]:
        QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, x, y))
    QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, 100, 200))
    QTest.mouseDClick(viewport, LEFT, NONE, viewport_pos(window, 100, 200))
    QTest.mouseRelease(viewport, LEFT, NONE, viewport_pos(window, 100, 200))
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
    QTest.mousePress(viewport, LEFT, NONE, viewport_pos(window, 100, 100))
    QTest.mouseMove(viewport, viewport_pos(window, 150, 100))
    key(window, "PgDown")
    wait_image(qtbot, window, 1)
    QTest.mouseMove(viewport, viewport_pos(window, 200, 300))
    QTest.mouseRelease(viewport, LEFT, NONE, viewport_pos(window, 200, 300))
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
    QTest.mousePress(viewport, LEFT, NONE, viewport_pos(window, 100, 100))
    QTest.mousePress(viewport, LEFT, NONE, viewport_pos(window, 300, 300))  # no release in between
    QTest.mouseRelease(viewport, LEFT, NONE, viewport_pos(window, 300, 300))
    assert not doc.in_step
    assert doc.history.labels() == ["brush", "brush"]
    saved = project.load_mask(doc.image_id)
    assert saved is not None and saved[100, 100] == 1 and saved[300, 300] == 1


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
        QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, x, y))
    key(window, "Ctrl+Z")
    assert doc.mask[400, 410] == 1 and doc.history.labels() == ["brush"]
    QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, 100, 200))
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
        QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, x, y))
    assert undo.isEnabled()
    key(window, "Ctrl+Z")
    key(window, "Ctrl+Z")
    assert controller.pending_vertices == 0 and not undo.isEnabled()


def test_closing_a_polygon_of_two_vertices_keeps_them_and_says_why(window) -> None:
    """Enter (or a double-click) with only two vertices clicked threw them away without a word;
    they are kept, the status bar says a polygon needs three, and the next click completes it."""
    controller = window.annotation.controller
    doc = controller.document
    key(window, "P")
    viewport = window.canvas.viewport()
    for x, y in [(100, 100), (200, 100)]:
        QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, x, y))
    key(window, "Return")
    assert controller.pending_vertices == 2 and doc.history.labels() == []
    assert "3" in window.statusBar().currentMessage()
    QTest.mouseDClick(viewport, LEFT, NONE, viewport_pos(window, 200, 100))  # on the last vertex
    QTest.mouseRelease(viewport, LEFT, NONE, viewport_pos(window, 200, 100))
    assert controller.pending_vertices == 2
    QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, 200, 200))
    key(window, "Return")
    assert controller.pending_vertices == 0 and doc.history.labels() == ["polygon fill"]
    assert doc.mask[120, 180] == 1
