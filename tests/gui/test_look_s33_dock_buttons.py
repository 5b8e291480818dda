"""A dock's float and close buttons (every dock's title bar: Images, Model, Layers, Worklist...) show
their glyph at 3:1 on the window in both themes (WCAG 1.4.11, a control's only mark), measured from the
rendered title bar. Fusion drew them in a fixed grey: 2.6:1 (close) and 2.1:1 (float) on the dark
window (and, at a device pixel ratio of 2, as 1x pixel art doubled: qtawesome glyphs now)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QLabel, QMainWindow

from app.theme import DARK, LIGHT, Theme, apply_theme
from tests.gui import theme_helpers
from tests.gui.rendered_edges import contrast
from tests.gui.theme_helpers import image_pixels

restore_theme = theme_helpers.restore_theme
AA_UI = 3.0
BUTTONS = ("qt_dockwidget_closebutton", "qt_dockwidget_floatbutton")


def _strongest(pixels, window: QColor) -> float:  # noqa: ANN001 - (H, W, 3) uint8
    """The highest contrast of any pixel of `pixels` against `window`."""
    seen = {tuple(int(v) for v in px) for px in pixels.reshape(-1, 3)}
    return max(contrast(QColor(*rgb), window) for rgb in seen)


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=lambda t: t.name)
@pytest.mark.parametrize("button", BUTTONS)
def test_dock_title_buttons_meet_3_to_1(qapp, qtbot, restore_theme, theme: Theme, button: str) -> None:  # noqa: ANN001
    apply_theme(qapp, theme.name)
    window = QMainWindow()
    qtbot.addWidget(window)
    dock = QDockWidget("Layers", window)
    dock.setWidget(QLabel("rows"))
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    found = dock.findChild(QAbstractButton, button)
    assert found is not None and found.isVisible()
    pixels = image_pixels(found.grab().toImage())
    assert _strongest(pixels, theme.window) >= AA_UI, f"{button} glyph too faint on the {theme.name} window"

