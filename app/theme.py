"""The app's two themes, dark (the default, matching pyqtgraph's dark canvas) and light: the Fusion style
with a palette each, control edges and the focus ring drawn to WCAG 1.4.11 by :mod:`app.control_style`.

Text the app colours on its own takes its colour from the palette, so that it follows a theme switched
while the window is open: :data:`HINT_STYLE` (secondary text) is the palette's PlaceholderText,
:data:`ERROR_COLOR` its BrightText (the palette's "text that stands out"), :data:`WARNING_COLOR` its
LinkVisited (the app shows no visited links). Each pair of a theme meets 4.5:1 for text
(tests/gui/test_theme_contrast.py). What draws its own colours (icons, the worklist's dots, the legend's
frames) reads :func:`current_theme` and follows :func:`theme_events`' ``changed``; the Layers list's greyed
rows and the Compare dialog's A/B keys (a darker shade on the light window) are drawn again on the
widget's PaletteChange; the plots (the Fine-tune curves, the video timeline) by :mod:`app.plot_theme`.
Pictures on the image (the overlays, the canvas's black, the compare grid) keep their colours.
Which theme the window uses, and how it is chosen and kept, is :mod:`app.theme_choice`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.control_style import DISABLED_OUTLINE, FOCUS, OUTLINE, RADIO_OUTLINE, ContrastStyle

__all__ = ["DARK", "ERROR_COLOR", "HINT_STYLE", "LIGHT", "THEMES", "WARNING_COLOR", "Theme", "apply_dark_theme",
           "apply_theme", "current_theme", "dark_palette", "light_palette", "theme_events", "warning_style"]

#: The style sheet of secondary text (a dock's empty-state note, a legend's words, the model's status):
#: the palette's PlaceholderText, 4.9:1 on the dark window, 5.9:1 on the light one.
HINT_STYLE = "color: palette(placeholder-text);"
#: Error text and outlines (a failed export, a taken shortcut, a save that failed, a model that did not
#: load), for a style sheet ("color: {ERROR_COLOR};"): the palette's BrightText, 5.1:1 on the dark
#: window (#ff7070; #e05050 was 3.6:1), 5.7:1 on the light one (#b3261e).
ERROR_COLOR = "palette(bright-text)"
#: A warning's colour for a style sheet (a video cut short, masks to check): the palette's LinkVisited.
WARNING_COLOR = "palette(link-visited)"


@dataclass(frozen=True)
class Theme:
    """One theme's colours: its palette's, its controls' edges, and those the app draws with itself."""

    name: str
    window: QColor
    base: QColor
    text: QColor
    disabled_text: QColor  # dimmer, still legible (WCAG exempts inactive controls)
    placeholder: QColor  # hints that carry meaning: 4.5:1 on Window and Base
    highlight: QColor  # a selected row: 3:1 on Base and Window, white on it 4.5:1
    accent: QColor  # links, the focus ring: 4.5:1 on Window
    error: QColor
    warning: QColor
    outline: QColor  # a control's edge: 3:1 on Window
    radio_outline: QColor
    disabled_outline: QColor
    icon: QColor
    icon_disabled: QColor
    frame: QColor  # the line round a legend's colour key: 3:1 on Window and Base
    list_text: QColor  # a list's rows (the worklist), and its current row, brighter
    list_current: QColor
    #: the worklist's status dots (unlabelled, predicted, edited, reviewed): 3:1 on Base
    status_dots: tuple[str, str, str, str]

    @property
    def error_name(self) -> str:
        """:attr:`error` as #rrggbb (rich text: a style sheet names it :data:`ERROR_COLOR`)."""
        return self.error.name()

    @property
    def warning_name(self) -> str:
        """:attr:`warning` as #rrggbb (rich text: a style sheet names it :data:`WARNING_COLOR`)."""
        return self.warning.name()


DARK = Theme(
    name="dark", window=QColor(45, 45, 48), base=QColor(30, 30, 32), text=QColor(220, 220, 220),
    disabled_text=QColor(120, 120, 120),  # 3.1:1 on Window
    placeholder=QColor(154, 154, 154),  # 4.9:1 on Window, 5.8:1 on Base
    # the accent darkened: 3.7:1 on Base, 3.0:1 on Window ((150, 80, 30) was 2.7 and 2.3), white on it 4.5:1
    highlight=QColor(180, 96, 36),
    accent=FOCUS,  # ember orange, the smoke/fire accent: one colour with the keyboard focus ring
    error=QColor("#ff7070"), warning=QColor("#ffb74d"),
    outline=OUTLINE, radio_outline=RADIO_OUTLINE, disabled_outline=DISABLED_OUTLINE,
    icon=QColor("#d6d6d6"), icon_disabled=QColor("#6a6a6a"),
    frame=QColor(150, 150, 150),  # 4.7:1 on Window, 5.7:1 on Base
    list_text=QColor("#d0d0d0"), list_current=QColor("#ffffff"),
    status_dots=("#8a8a8a", "#4fa3ff", "#ffb347", "#5fd35f"),
)

LIGHT = Theme(
    name="light", window=QColor(240, 240, 240), base=QColor(255, 255, 255), text=QColor(30, 30, 30),
    disabled_text=QColor(136, 136, 136),  # 3.2:1 on Window
    placeholder=QColor(92, 92, 92),  # 5.9:1 on Window, 6.7:1 on Base
    highlight=QColor(176, 84, 16),  # 4.5:1 on Window, 5.1:1 on Base, white on it 5.1:1
    accent=QColor(168, 78, 12),  # 4.9:1 on Window, 5.6:1 on Base
    error=QColor("#b3261e"), warning=QColor("#8a5300"),  # 5.7:1 and 5.6:1 on Window
    outline=QColor(118, 118, 122),  # 4.0:1 on Window
    radio_outline=QColor(112, 112, 116), disabled_outline=QColor(175, 175, 178),  # 1.9:1: dimmer
    icon=QColor("#3c3c3c"), icon_disabled=QColor("#a0a0a0"),
    frame=QColor(118, 118, 118),  # 4.0:1 on Window, 4.5:1 on Base
    list_text=QColor("#303030"), list_current=QColor("#000000"),
    status_dots=("#767676", "#1a6fd1", "#b36200", "#2e7d32"),  # 4.5, 5.0, 4.5, 5.1:1 on Base
)

THEMES = {theme.name: theme for theme in (DARK, LIGHT)}
_current = DARK


class _ThemeEvents(QObject):
    changed = Signal(str)  # the theme's name


_events: _ThemeEvents | None = None


def theme_events() -> _ThemeEvents:
    """The object whose ``changed(name)`` says that :func:`apply_theme` switched the theme."""
    global _events
    if _events is None:
        _events = _ThemeEvents()
    return _events


def current_theme() -> Theme:
    """The theme :func:`apply_theme` applied last (dark before any)."""
    return _current


def theme_palette(theme: Theme) -> QPalette:
    """`theme`'s palette."""
    palette = QPalette()
    role = QPalette.ColorRole
    white = QColor(255, 255, 255)
    for which, color in ((role.Window, theme.window), (role.WindowText, theme.text), (role.Base, theme.base),
                         (role.AlternateBase, theme.window), (role.ToolTipBase, theme.base),
                         (role.ToolTipText, theme.text), (role.Text, theme.text), (role.Button, theme.window),
                         (role.ButtonText, theme.text), (role.BrightText, theme.error), (role.Link, theme.accent),
                         (role.LinkVisited, theme.warning), (role.Highlight, theme.highlight),
                         (role.HighlightedText, white), (role.PlaceholderText, theme.placeholder)):
        palette.setColor(which, color)
    for disabled_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, disabled_role, theme.disabled_text)
    return palette


def dark_palette() -> QPalette:
    """The dark theme's palette."""
    return theme_palette(DARK)


def light_palette() -> QPalette:
    """The light theme's palette."""
    return theme_palette(LIGHT)


def theme_style(theme: Theme) -> ContrastStyle:
    """Fusion with `theme`'s control edges and focus ring (:class:`app.control_style.ContrastStyle`)."""
    return ContrastStyle(outline=theme.outline, radio_outline=theme.radio_outline,
                         disabled_outline=theme.disabled_outline, focus=theme.accent)


def apply_theme(app: QApplication, name: str) -> Theme:
    """Switch `app` to the theme `name` ("dark" or "light"; another name: dark), also while windows are
    open: the style and palette, the style sheets that name palette colours resolved again, and
    :func:`theme_events` ``changed`` for what draws its own colours. Returns the theme."""
    global _current
    theme = THEMES.get(name, DARK)
    changed = theme is not _current
    _current = theme
    style = app.style()
    if not isinstance(style, ContrastStyle):
        app.setStyle(theme_style(theme))  # before any window, as create_app does
    elif changed or style.focus != theme.accent:
        # recoloured in place: setStyle deletes the old style, and a pyqtgraph plot's QGraphicsLayout
        # keeps a pointer to it (its next layout, e.g. a grab or a video opened, crashed)
        style.set_colours(theme.outline, theme.radio_outline, theme.disabled_outline, theme.accent)
    app.setPalette(theme_palette(theme))
    if changed:
        for widget in app.allWidgets():  # a style-sheeted widget keeps the palette it was polished in
            _restyle(widget)
        theme_events().changed.emit(theme.name)
    return theme


def _restyle(widget: QWidget) -> None:
    """Set `widget`'s own style sheet again: its colours (the text's, a palette(...) one) are read from
    the application's palette when a sheet is set; a switch of palette alone left the dark theme's
    light text on the light window (the timeline's time and frame readouts)."""
    sheet = widget.styleSheet()
    if sheet:
        widget.setStyleSheet("")
        widget.setStyleSheet(sheet)


def apply_dark_theme(app: QApplication) -> None:
    """:func:`apply_theme` dark."""
    apply_theme(app, "dark")


def warning_style() -> str:
    """The style sheet of warning text (:data:`WARNING_COLOR`)."""
    return f"color: {WARNING_COLOR};"
