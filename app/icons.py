"""Icons: qtawesome glyphs in the theme's colours. Names are Font Awesome 6 solid ("fa6s.*"), or
Material Design Icons ("mdi6.*") where Font Awesome has no picture of the thing (a polygon crossed out,
a shape's outline): both fonts ship with qtawesome.

An icon is drawn in the colours of the theme applied when it is painted (:class:`ThemedIconEngine`), so
a toolbar made under the dark theme shows dark glyphs once the light theme is chosen, without being
made again: each theme's qtawesome icon is made once per name, on first paint. What it paints at a size is
kept too (:data:`_PIXMAPS`, per theme): every window's toolbar and dock buttons asked for the same few
pictures, each painted by qtawesome in Python; and :func:`icon` hands out one shared QIcon per name.
"""

from __future__ import annotations

import qtawesome as qta
import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap

from app.control_style import FOCUS, set_glyph_source
from app.theme import current_theme

APP_ICON = "fa6s.smog"
#: (name, theme name) -> qtawesome's icon in that theme's colours
_GLYPHS: dict[tuple[str, str], QIcon] = {}
#: (name, theme name, width, height, mode, state) -> the glyph painted at that size (a few sizes a name)
_PIXMAPS: dict[tuple[str, str, int, int, int, int], QPixmap] = {}
#: name -> the QIcon :func:`icon` hands out (copies share it; one changed is detached, Qt's copy-on-write)
_ICONS: dict[str, QIcon] = {}
#: the engines :meth:`ThemedIconEngine.clone` gave Qt (an icon copy changed: detached): held here, else
#: Python deleted each as it returned, under the icon that took it (a crash); those Qt deleted since go
_CLONES: list[QIconEngine] = []


def themed_glyph(name: str) -> QIcon:
    """qtawesome's icon `name` in the colours of the theme applied now (made once per name and theme)."""
    theme = current_theme()
    key = (name, theme.name)
    glyph = _GLYPHS.get(key)
    if glyph is None:
        glyph = _GLYPHS[key] = qta.icon(name, color=theme.icon.name(), color_disabled=theme.icon_disabled.name())
    return glyph


class ThemedIconEngine(QIconEngine):
    """Paints the glyph `name` in the current theme's colours (see module doc)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:  # noqa: D102
        themed_glyph(self.name).paint(painter, rect, Qt.AlignmentFlag.AlignCenter, mode, state)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:  # noqa: D102
        key = (self.name, current_theme().name, size.width(), size.height(), mode.value, state.value)
        pixmap = _PIXMAPS.get(key)
        if pixmap is None:
            pixmap = QPixmap(size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
            painter.end()
            _PIXMAPS[key] = pixmap
        return QPixmap(pixmap)  # a copy (shared until one is changed): the kept one stays as painted

    def clone(self) -> QIconEngine:  # noqa: D102
        _CLONES[:] = [engine for engine in _CLONES if shiboken6.isValid(engine)]
        engine = ThemedIconEngine(self.name)
        _CLONES.append(engine)
        return engine


def icon(name: str) -> QIcon:
    """The qtawesome icon `name` (e.g. "fa6s.folder-open", "mdi6.shape-outline") in the theme's colours,
    the theme's at each paint."""
    made = _ICONS.get(name)
    if made is None:
        made = _ICONS[name] = QIcon(ThemedIconEngine(name))
    return QIcon(made)


set_glyph_source(icon)  # a dock's buttons and the file dialog's arrows in the theme's colours (app.control_style)


def app_icon() -> QIcon:
    """The window/application icon."""
    return qta.icon(APP_ICON, color=FOCUS.name())  # the ember accent, #e27828: one in both themes
