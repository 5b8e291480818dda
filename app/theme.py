"""A neutral dark theme (Fusion style + palette) that matches pyqtgraph's dark canvas; control edges
and the focus ring are drawn lighter by :mod:`app.control_style`."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.control_style import FOCUS, ContrastStyle

_WINDOW = QColor(45, 45, 48)
_BASE = QColor(30, 30, 32)
_TEXT = QColor(220, 220, 220)
_DISABLED_TEXT = QColor(120, 120, 120)  # 3.1:1 on Window: dimmer, still legible (WCAG exempts inactive controls)
_PLACEHOLDER_TEXT = QColor(145, 145, 145)  # hints that carry meaning ("Filter by name (Ctrl+F)"): 4.5:1 on Base
_ACCENT = FOCUS  # ember orange, the smoke/fire accent: one colour with the keyboard focus ring
#: The accent, darkened for selection backgrounds: 3.7:1 on Base and 3.0:1 on Window (WCAG 1.4.11, a
#: selected row told apart from its neighbours; (150, 80, 30) was 2.7 and 2.3), white on it 4.5:1.
_HIGHLIGHT = QColor(180, 96, 36)

#: Error text and outlines (a failed export, a taken shortcut, a save that failed, a model that did
#: not load): 5.1:1 on the window colour, WCAG AA for text (#e05050 was 3.6:1).
ERROR_COLOR = "#ff7070"
#: The style sheet of secondary text (a dock's empty-state note, a legend's words, the model's status):
#: #9a9a9a, 4.9:1 on the window colour, dimmer than the text but AA.
HINT_STYLE = "color: #9a9a9a;"


def dark_palette() -> QPalette:
    """The dark-neutral palette of :func:`apply_dark_theme`."""
    palette = QPalette()
    role = QPalette.ColorRole
    palette.setColor(role.Window, _WINDOW)
    palette.setColor(role.WindowText, _TEXT)
    palette.setColor(role.Base, _BASE)
    palette.setColor(role.AlternateBase, _WINDOW)
    palette.setColor(role.ToolTipBase, _BASE)
    palette.setColor(role.ToolTipText, _TEXT)
    palette.setColor(role.Text, _TEXT)
    palette.setColor(role.Button, _WINDOW)
    palette.setColor(role.ButtonText, _TEXT)
    palette.setColor(role.BrightText, QColor(255, 80, 80))
    palette.setColor(role.Link, _ACCENT)
    palette.setColor(role.Highlight, _HIGHLIGHT)
    palette.setColor(role.HighlightedText, QColor(255, 255, 255))
    palette.setColor(role.PlaceholderText, _PLACEHOLDER_TEXT)
    for disabled_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, disabled_role, _DISABLED_TEXT)
    return palette


def apply_dark_theme(app: QApplication) -> None:
    """Switch `app` to the Fusion style with a dark-neutral palette, with control edges and the keyboard
    focus ring that meet WCAG 1.4.11's 3:1 (:class:`app.control_style.ContrastStyle`)."""
    app.setStyle(ContrastStyle())
    app.setPalette(dark_palette())
