"""Drawing on the canvas: brush/eraser strokes, undo/redo by shortcut, panning vs drawing, layer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.annotation.mask_layer import LAYER_NAME, SMOKE_RGBA
from fosp_core.annotation.document import Status
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import copy_demo, drag, key, open_and_wait


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    win = make_window(show=True)
    open_and_wait(qtbot, win, copy_demo(demo_dir, tmp_path / "demo"))
    win.annotation.controller.state.set_radius(4)
    return win


def test_brush_stroke_paints_mask_and_layer(window) -> None:
    controller = window.annotation.controller
    doc = controller.document
    key(window, "B")
    assert controller.state.tool == Tool.BRUSH
    before = doc.mask.copy()
    drag(window, [(60, 40), (120, 40), (180, 40)])
    assert (doc.mask[40, 60:181] == 1).all()
    assert (doc.mask[40 + 8, 60:181] == before[48, 60:181]).all()  # radius 4: row 48 untouched
    assert doc.status == Status.EDITED
    assert controller.layer.pixel_rgba(120, 40) == SMOKE_RGBA
    assert window.canvas.overlay(LAYER_NAME) is controller.layer.root


def test_eraser_and_undo_redo_shortcuts_whole_strokes(window) -> None:
    doc = window.annotation.controller.document
    key(window, "B")
    drag(window, [(200, 200), (260, 200), (300, 220)])
    painted = doc.mask.copy()
    key(window, "E")
    drag(window, [(230, 180), (230, 240)])
    assert (doc.mask[190:211, 230] == 0).all()
    key(window, "Ctrl+Z")
    np.testing.assert_array_equal(doc.mask, painted)
    key(window, "Ctrl+Shift+Z")
    assert (doc.mask[190:211, 230] == 0).all()
    key(window, "Ctrl+Z")
    key(window, "Ctrl+Z")  # the whole brush stroke, one step
    assert not (doc.mask[200, 200:300] == 1).all()
    key(window, "Ctrl+Y")
    np.testing.assert_array_equal(doc.mask, painted)


def test_navigate_tool_pans_instead_of_drawing(window) -> None:
    doc = window.annotation.controller.document
    key(window, "V")
    before = doc.mask.copy()
    window.canvas.set_zoom(300)
    range_before = window.canvas.view_box.viewRange()
    drag(window, [(250, 250), (260, 260), (270, 270)])
    np.testing.assert_array_equal(doc.mask, before)
    assert window.canvas.view_box.viewRange() != range_before


def test_ignore_brush_and_size_keys(window) -> None:
    controller = window.annotation.controller
    key(window, "I")
    key(window, "]")
    assert controller.state.radius == 5
    key(window, "[")
    key(window, "[")
    assert controller.state.radius == 3
    drag(window, [(400, 400), (420, 400)])
    assert (controller.document.mask[400, 400:421] == 255).all()
    assert controller.cursor.isVisible()


def test_outline_mode_and_opacity(window) -> None:
    controller = window.annotation.controller
    key(window, "B")
    controller.state.set_radius(10)
    drag(window, [(300, 100), (300, 101)])
    key(window, "O")
    assert controller.state.outline
    column = controller.document.mask[:, 300]
    top = int(np.flatnonzero(column[60:140] == 1)[0]) + 60  # the screen->pixel mapping may shift a pixel
    assert controller.layer.pixel_rgba(300, top)[3] == 255  # the disc's top edge
    assert controller.layer.pixel_rgba(300, top + 10)[3] == 0  # inside the disc: not outline
    controller.state.set_opacity(0.25)
    assert controller.layer.opacity == pytest.approx(0.25)  # the fill's; its edge stays opaque
    assert controller.layer.root.opacity() == 1.0
    assert window.annotation.tool_dock.opacity.value() == 25
