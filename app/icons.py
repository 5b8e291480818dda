"""Icons: qtawesome glyphs coloured for the dark theme. Names are Font Awesome 6 solid ("fa6s.*"), or
Material Design Icons ("mdi6.*") where Font Awesome has no picture of the thing (a polygon crossed out,
a shape's outline): both fonts ship with qtawesome."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QIcon

from app.control_style import FOCUS

ICON_COLOR = "#d6d6d6"
ICON_COLOR_DISABLED = "#6a6a6a"
APP_ICON = "fa6s.smog"


def icon(name: str) -> QIcon:
    """The qtawesome icon `name` (e.g. "fa6s.folder-open", "mdi6.shape-outline") in the theme's colours."""
    return qta.icon(name, color=ICON_COLOR, color_disabled=ICON_COLOR_DISABLED)


def app_icon() -> QIcon:
    """The window/application icon."""
    return qta.icon(APP_ICON, color=FOCUS.name())  # the theme's ember accent, #e27828
