"""The pixel readout with a brush: the tools take a drag's mouse moves from the ViewBox (so it does not
pan), and the canvas, which reads the pixel under the cursor from the scene's moves, never saw them. The
status bar went on naming the pixel the stroke began on, (60, 60), while the stroke went on and after its
release with the cursor over (120, 90); a key zoom then read the pixel now under that stale point, (68, 64),
where the cursor was over (116, 88) and the brush outline was on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import settle_saves, viewport_pos


def _reads(window, x: int, y: int) -> bool:  # noqa: ANN001
    return f"x {x:>5}  y {y:>5}" in window.readouts.pixel.text()


def test_the_readout_follows_a_stroke_and_a_key_zoom_after_it(qtbot, make_window, tmp_path: Path) -> None:
    path = tmp_path / "odd.png"
    Image.fromarray(np.random.default_rng(5).integers(0, 255, (161, 203, 3), np.uint8)).save(path)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10000)
    controller.state.set_tool(Tool.BRUSH)
    canvas, viewport = window.canvas, window.canvas.viewport()
    moves = [0]

    def hovered() -> bool:
        """The mouse brought over pixel (60, 60), from one side then onto it, each poll again (Qt drops a
        synthetic move that follows another at once; on a loaded machine the view may still be fitting
        the image when the first move comes), until the readout reads it."""
        if _reads(window, 60, 60):
            return True
        at = viewport_pos(window, 60, 60)
        QTest.mouseMove(viewport, at + QPoint(3, 3) if moves[0] % 2 == 0 else at)
        moves[0] += 1
        return False

    qtbot.waitUntil(hovered, timeout=15000)
    start, end = viewport_pos(window, 60, 60), viewport_pos(window, 120, 90)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * (step / 5))
        qtbot.wait(20)
    assert _reads(window, 120, 90), window.readouts.pixel.text()  # during the stroke
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    settle_saves(window)
    assert controller.document.mask[90, 120] > 0  # it painted
    assert _reads(window, 120, 90), window.readouts.pixel.text()
    window.action_zoom_in.trigger()
    qtbot.wait(50)
    now = canvas.image_pixel_at(canvas.mapToScene(end))
    assert now is not None and now != (120, 90)
    assert _reads(window, *now), (now, window.readouts.pixel.text())
    centre = controller.cursor.rect().center()
    assert (int(centre.x()), int(centre.y())) == now  # the outline on the same pixel
