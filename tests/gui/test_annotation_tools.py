"""The other canvas tools: polygon, lasso, flood fill, wand and threshold brush from a probability,
accept prediction and clean-up actions, Space+drag panning while a tool is active, remapped keys."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.annotation.shortcuts import ShortcutMap
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import click, copy_demo, drag, key, open_and_wait, viewport_pos


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    win = make_window(show=True)
    open_and_wait(qtbot, win, copy_demo(demo_dir, tmp_path / "demo"))
    return win


def _clear(window) -> None:
    doc = window.annotation.controller.document
    doc.replace_mask(np.zeros(doc.shape, np.uint8))


def test_polygon_fill_and_cut(window) -> None:
    doc = window.annotation.controller.document
    _clear(window)
    key(window, "P")
    for x, y in [(100, 100), (200, 100), (200, 200)]:
        click(window, x, y)
    QTest.mouseDClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      viewport_pos(window, 100, 200))
    assert doc.mask[150, 150] == 1 and doc.mask[120, 180] == 1 and doc.mask[50, 50] == 0
    key(window, "Shift+P")
    for x, y in [(140, 140), (180, 140), (180, 180), (140, 180)]:
        click(window, x, y)
    key(window, "Return")
    assert doc.mask[160, 160] == 0 and doc.mask[120, 180] == 1
    key(window, "Ctrl+Z")
    assert doc.mask[160, 160] == 1


def test_lasso_fill_then_cut(window) -> None:
    doc = window.annotation.controller.document
    _clear(window)
    key(window, "L")
    drag(window, [(300, 300), (400, 300), (400, 400), (300, 400), (300, 310)])
    assert doc.mask[350, 350] == 1
    key(window, "Shift+L")
    drag(window, [(320, 320), (380, 320), (380, 380), (320, 380)])
    assert doc.mask[350, 350] == 0 and doc.mask[305, 350] == 1


def test_flood_fill_fills_enclosed_region(window) -> None:
    doc = window.annotation.controller.document
    _clear(window)
    key(window, "B")
    window.annotation.controller.state.set_radius(1)
    drag(window, [(50, 50), (150, 50), (150, 150), (50, 150), (50, 50)])
    key(window, "G")
    click(window, 100, 100)
    assert doc.mask[100, 100] == 1 and doc.mask[10, 10] == 0


def test_wand_and_threshold_tools_use_the_given_probability(window) -> None:
    controller = window.annotation.controller
    doc = controller.document
    _clear(window)
    prob = np.zeros(doc.shape, np.float32)
    prob[200:300, 100:250] = 0.9
    assert doc.probability is None  # the wand is offered anyway: it says how to get one (test_annotation_hints)
    controller.set_probability(window.session.current_path, prob)
    assert window.annotation.actions.tools[Tool.WAND].isEnabled()
    key(window, "W")
    click(window, 150, 250)
    assert doc.mask[200:300, 100:250].all() and doc.mask.sum() == 100 * 150
    key(window, "Ctrl+Z")
    key(window, "T")
    controller.state.set_radius(30)
    drag(window, [(240, 180), (240, 320)])
    assert doc.mask[250, 240] == 1 and doc.mask[190, 240] == 0  # only where p > threshold
    key(window, "Shift+A")
    np.testing.assert_array_equal(doc.mask, (prob > 0.5).astype(np.uint8))


def test_cleanup_actions_are_undoable_steps(window) -> None:
    doc = window.annotation.controller.document
    _clear(window)
    key(window, "B")
    window.annotation.controller.state.set_radius(20)
    drag(window, [(200, 200), (260, 200)])
    before = int(doc.mask.sum())
    key(window, "Shift+D")
    assert int(doc.mask.sum()) > before
    key(window, "Shift+E")
    key(window, "Shift+E")
    assert int(doc.mask.sum()) < before
    key(window, "Ctrl+Z")
    key(window, "Ctrl+Z")
    key(window, "Ctrl+Z")
    assert int(doc.mask.sum()) == before


def test_space_drag_pans_while_brush_is_active(window) -> None:
    doc = window.annotation.controller.document
    key(window, "B")
    window.canvas.set_zoom(300)
    before, view = doc.mask.copy(), window.canvas.view_box.viewRange()
    QTest.keyPress(window.canvas, Qt.Key.Key_Space)
    drag(window, [(250, 250), (255, 255), (262, 262)])
    QTest.keyRelease(window.canvas, Qt.Key.Key_Space)
    np.testing.assert_array_equal(doc.mask, before)
    assert window.canvas.view_box.viewRange() != view


def test_remapped_shortcut_applies_and_shows_in_tooltip(qtbot, make_window, settings_path: Path,
                                                        demo_dir: Path, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    ShortcutMap(settings).set_keys("brush", ["K"])
    settings.sync()
    win = make_window(show=True)
    open_and_wait(qtbot, win, copy_demo(demo_dir, tmp_path / "demo"))
    assert "(K)" in win.annotation.actions.tools[Tool.BRUSH].toolTip()
    key(win, "K")
    assert win.annotation.controller.state.tool == Tool.BRUSH
    win.annotation.shortcuts.set_keys("brush", ["B"])
    assert "(B)" in win.annotation.actions.tools[Tool.BRUSH].toolTip()


def test_copy_previous_mask_is_an_undoable_start_for_the_next_image(qtbot, window) -> None:
    controller = window.annotation.controller
    messages: list[str] = []
    controller.message.connect(lambda text, _ms: messages.append(text))
    _clear(window)
    assert not window.annotation.actions.copy_previous.isEnabled()  # the first image has no previous one
    controller.copy_previous_mask()
    assert messages[-1] == "No previous image to copy a mask from"
    key(window, "B")
    controller.state.set_radius(15)
    drag(window, [(100, 300), (180, 320)])  # committed, so saved
    first = controller.document.mask.copy()
    assert first.any()

    window.session.next()
    qtbot.waitUntil(lambda: controller.document is not None
                    and controller.image_path == window.session.paths[1], timeout=10000)
    doc = controller.document
    before = doc.mask.copy()
    assert not np.array_equal(before, first)
    assert window.annotation.actions.copy_previous.isEnabled()
    key(window, "Shift+C")
    np.testing.assert_array_equal(doc.mask, first)
    assert messages[-1].startswith("Copy the mask of " + window.session.paths[0].name)
    project, image_id = controller.registry.lookup(window.session.paths[1])
    saved = project.load_mask(image_id)
    np.testing.assert_array_equal(saved, first)  # autosaved like any edit
    key(window, "Ctrl+Z")  # one undo step
    np.testing.assert_array_equal(doc.mask, before)
