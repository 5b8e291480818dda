"""The grip on the separators between the window's docks (the dots that say "drag here": between the
Images dock and the canvas, between the Model and Layers docks) shows at 3:1 on the window in both
themes (WCAG 1.4.11), measured from the pixels the style draws, and the window's own separators draw
it through the app's style. Fusion draws it in fixed translucent shades: 1.7:1 on the light window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QStyle, QStyleOption

from app.theme import DARK, LIGHT, Theme, apply_theme, theme_palette
from tests.gui import theme_helpers
from tests.gui.rendered_edges import contrast
from tests.gui.theme_helpers import image_pixels

restore_theme = theme_helpers.restore_theme
AA_UI = 3.0


def _dots(image: QImage, window: QColor) -> tuple[int, int]:
    """How far the pixels unlike `window` spread: (across, down)."""
    pixels = image_pixels(image)
    ys, xs = (pixels != [window.red(), window.green(), window.blue()]).any(axis=2).nonzero()
    return (int(xs.max() - xs.min()) + 1, int(ys.max() - ys.min()) + 1) if len(xs) else (0, 0)


def _strongest(image: QImage, window: QColor) -> float:
    pixels = image_pixels(image).reshape(-1, 3)
    seen = {tuple(int(v) for v in px) for px in pixels}
    return max(contrast(QColor(*rgb), window) for rgb in seen)


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=lambda t: t.name)
@pytest.mark.parametrize("horizontal", [True, False], ids=["between-columns", "between-rows"])
def test_dock_separator_grip_meets_3_to_1(qapp, restore_theme, theme: Theme, horizontal: bool) -> None:  # noqa: ANN001
    apply_theme(qapp, theme.name)
    size = (6, 60) if horizontal else (60, 6)  # between columns: tall
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(theme.window)
    option = QStyleOption()
    option.rect = QRect(0, 0, *size)
    option.palette = theme_palette(theme)
    option.state = QStyle.StateFlag.State_Enabled
    painter = QPainter(image)
    qapp.style().drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorDockWidgetResizeHandle, option, painter)
    painter.end()
    assert _strongest(image, theme.window) >= AA_UI, f"the grip is too faint on the {theme.name} window"
    across, down = _dots(image, theme.window)
    assert (down > across) if horizontal else (across > down), "the dots run along the separator"


def test_the_window_draws_its_separators_with_the_grip(qapp, qtbot, restore_theme) -> None:  # noqa: ANN001
    """A real window's separator beside a dock, grabbed: its grip in the theme's grip colour."""
    apply_theme(qapp, "light")
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("canvas"))
    dock = QDockWidget("Images", window)
    dock.setWidget(QLabel("list"))
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    gap = window.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent, None, window)
    left = dock.geometry().right() + 1
    strip = window.grab(QRect(left, dock.geometry().top(), gap, dock.height())).toImage()
    assert _strongest(strip, LIGHT.window) >= AA_UI
    across, down = _dots(strip, LIGHT.window)
    assert down > across  # a separator between columns: its dots one under another
