"""Fusion with control edges and a keyboard focus ring that low-vision users can see (WCAG 1.4.11).

Fusion outlines text fields, spin boxes, combo boxes, check boxes, radio buttons and buttons in
``Window.darker(140)``: #202022 on the dark theme's #2d2d30 window, 1.21:1, where WCAG 1.4.11 asks 3:1
for the boundary that shows a control. No darker colour reaches 3:1 on that window, so the palette
cannot fix it. :class:`ContrastStyle` hands Fusion, for these controls only, a palette whose Window
colour makes Fusion's own outline :data:`OUTLINE` (same shapes, a lighter grey), and draws the keyboard
focus (Fusion's is a dim orange, about 2.1:1) as a 2 px ring in the theme's accent, :data:`FOCUS`.
A disabled control's edge is :data:`DISABLED_OUTLINE`, dimmer (WCAG exempts inactive controls), so it
looks disabled. An item view's current item (a Layers row, an image in the Images dock, a table's cell)
shows the keyboard focus as a 2 px ring too, where Fusion's is a faint tint (:func:`draw_item_focus`).
The grip on the separators between docks is drawn in :data:`OUTLINE` too (:func:`draw_grip`), and a
dock's close and float buttons and the file dialog's arrows are theme-coloured glyphs
(:data:`STANDARD_GLYPHS`).
Everything else (panels, tabs, scroll bars, item views) is Fusion as it was, but for the check boxes of
an item view's rows, which Fusion draws as check boxes.

Every drawPrimitive/drawComplexControl of the app comes through here into Python, so the path is kept
short: elements not restyled go straight to Fusion, and the palette lent for a widget's palette is
built once (see bench/bench_control_style.py and docs/benchmarks-gui.md for what it costs a paint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QProxyStyle,
    QRadioButton,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

#: The edge of a control: 3.5:1 on the window colour (#2d2d30), 4.2:1 on the field colour (#1e1e20).
OUTLINE = QColor(128, 128, 132)
#: A radio button's circle: its antialiased edge peaks at about 93 % of this (#828286, 3.6:1 on the window).
RADIO_OUTLINE = QColor(140, 140, 144)
#: The edge of a disabled control: 1.9:1 on the window, dimmer than :data:`OUTLINE` as a disabled
#: control's text is dimmer than its enabled text (WCAG 1.4.11 exempts inactive controls), still there.
DISABLED_OUTLINE = QColor(88, 88, 92)
#: The keyboard focus ring, the theme's ember accent: 4.6:1 on the window, 5.5:1 on a field.
FOCUS = QColor(226, 120, 40)
FOCUS_WIDTH = 2.0
_LENT_MAX = 64

_PE, _CC, _State = QStyle.PrimitiveElement, QStyle.ComplexControl, QStyle.StateFlag
#: Fusion primitives that draw a control's edge in ``outline(palette)``.
OUTLINED_PRIMITIVES = frozenset({
    _PE.PE_PanelLineEdit, _PE.PE_FrameLineEdit, _PE.PE_IndicatorCheckBox, _PE.PE_IndicatorRadioButton,
    _PE.PE_PanelButtonCommand, _PE.PE_PanelButtonBevel, _PE.PE_PanelButtonTool,
})
#: Fusion complex controls that draw their own edge (a spin box, a combo box, a tool button's frame).
OUTLINED_CONTROLS = frozenset({_CC.CC_SpinBox, _CC.CC_ComboBox, _CC.CC_ToolButton})
#: Edges that show keyboard focus whenever the control has it (typing goes there), as Fusion does;
#: buttons show it only after a key moved the focus (State_KeyboardFocusChange), as Fusion does.
_TEXT_FIELDS = frozenset({_PE.PE_PanelLineEdit, _PE.PE_FrameLineEdit, _CC.CC_SpinBox, _CC.CC_ComboBox})
_BUTTONS = frozenset({_PE.PE_PanelButtonCommand, _PE.PE_PanelButtonBevel, _PE.PE_PanelButtonTool})
# looked up once: an enum member's attribute access and a Flag's `&` run Python code on every paint
_FOCUS_RECT, _RADIO = _PE.PE_FrameFocusRect, _PE.PE_IndicatorRadioButton
_RESIZE_HANDLE = _PE.PE_IndicatorDockWidgetResizeHandle
_HAS_FOCUS, _ENABLED, _KEY_FOCUS = (_State.State_HasFocus.value, _State.State_Enabled.value,
                                    _State.State_KeyboardFocusChange.value)
_ITEM, _SELECTED = _State.State_Item.value, _State.State_Selected.value
_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText
_SP = QStyle.StandardPixmap
#: Standard icons drawn as theme-coloured glyphs (:func:`app.icons.icon`), where Fusion's colours are fixed
#: and WCAG 1.4.11 asks 3:1 on the window of a control's only mark: a dock's title-bar buttons (a grey,
#: 2.6:1 close and 2.1:1 float on the dark window, 1x pixel art doubled at a device pixel ratio of 2) and
#: the arrows of Qt's own file dialog (Import Labels: black, the parent folder's 1.4:1 on the dark window).
STANDARD_GLYPHS = {_SP.SP_TitleBarCloseButton: "mdi6.close", _SP.SP_DockWidgetCloseButton: "mdi6.close",
                   _SP.SP_TitleBarNormalButton: "mdi6.window-restore",
                   _SP.SP_FileDialogToParent: "mdi6.arrow-up", _SP.SP_ArrowUp: "mdi6.arrow-up",
                   _SP.SP_ArrowBack: "mdi6.arrow-left", _SP.SP_ArrowLeft: "mdi6.arrow-left",
                   _SP.SP_ArrowForward: "mdi6.arrow-right", _SP.SP_ArrowRight: "mdi6.arrow-right"}


#: what draws a glyph of :data:`STANDARD_GLYPHS` in the theme's colours: :func:`app.icons.icon`, which names
#: itself here when imported (app.icons imports app.theme, which imports this module: a hand-over, not an import)
_glyph_source: Callable[[str], QIcon] | None = None


def set_glyph_source(source: Callable[[str], QIcon]) -> None:
    """Draw :data:`STANDARD_GLYPHS` with `source` (:func:`app.icons.icon`; Fusion's own icons until then)."""
    global _glyph_source
    _glyph_source = source


def outline_source(outline: QColor, factor: int = 140) -> QColor:
    """The Window colour whose ``darker(factor)`` is `outline`: Fusion outlines in Window.darker(140),
    a radio button in Window.darker(150)."""
    h, s, v, a = outline.getHsv()
    return QColor.fromHsv(max(h, 0), s, min(255, round(v * factor / 100)), a)


def _shows_focus(element: object, option: QStyleOption) -> bool:
    state = option.state.value
    if not state & _HAS_FOCUS or not state & _ENABLED:
        return False
    if element in _TEXT_FIELDS:
        return True
    return element in _BUTTONS and bool(state & _KEY_FOCUS)


def draw_focus_ring(painter: QPainter, rect: QRectF, width: float = FOCUS_WIDTH, radius: float = 2.0,
                    color: QColor = FOCUS) -> None:
    """A solid ring of `color` (the theme's accent, :data:`FOCUS` on the dark one) `width` px wide just
    inside `rect` (it covers Fusion's outline)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(color, width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = width / 2
    painter.drawRoundedRect(rect.adjusted(half, half, -half, -half), radius, radius)
    painter.restore()


def draw_item_focus(painter: QPainter, option: QStyleOption, focus: QColor = FOCUS) -> None:
    """An item view's current item (a Layers row, an image in the Images dock, a table's cell): a
    :data:`FOCUS_WIDTH` ring just inside `option.rect`, in :data:`FOCUS` on a row's own background
    (5.5:1 on a field) and in the palette's HighlightedText on a selected row's Highlight (the accent
    there is 1.5:1), where Fusion's is a faint tint (about 1.2:1). `focus`: the theme's accent."""
    state = option.state.value
    color = option.palette.color(_HIGHLIGHTED_TEXT) if state & _SELECTED else focus
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(QPen(color, FOCUS_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap,
                        Qt.PenJoinStyle.MiterJoin))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = FOCUS_WIDTH / 2
    painter.drawRect(QRectF(option.rect).adjusted(half, half, -half, -half))
    painter.restore()


def draw_grip(painter: QPainter, rect: QRect, color: QColor) -> None:
    """The grip of a separator between docks: Fusion's six 2 px dots along the middle of `rect` (down it
    where it is taller than wide: a separator between columns), in `color` (the theme's control edge,
    3:1 on the window) where Fusion's fixed translucent shades were 1.7:1 on the light window."""
    centre, down = rect.center(), rect.height() > rect.width()
    for step in range(-6, 12, 3):
        x, y = (centre.x() + 1, centre.y() + step) if down else (centre.x() + step, centre.y() + 1)
        painter.fillRect(x, y, 2, 2, color)


class ContrastStyle(QProxyStyle):
    """Fusion whose control outlines are `outline` and whose keyboard focus is a `focus` ring (the dark
    theme's :data:`OUTLINE` and :data:`FOCUS` by default; :func:`app.theme.theme_style` gives a theme's)."""

    def __init__(self, outline: QColor = OUTLINE, radio_outline: QColor = RADIO_OUTLINE,
                 disabled_outline: QColor = DISABLED_OUTLINE, focus: QColor = FOCUS) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        #: (the option's palette's cacheKey, its current colour group, radio) -> the palette lent for
        #: it; a widget's palette is one of a few, so this stays small (cleared past _LENT_MAX all the
        #: same). The group is part of the key: a disabled widget's palette can share its cacheKey
        #: with an enabled one's, and Fusion reads the outline from the current group.
        self._lent: dict[tuple[int, int, bool], QPalette] = {}
        self.set_colours(outline, radio_outline, disabled_outline, focus)

    def set_colours(self, outline: QColor, radio_outline: QColor, disabled_outline: QColor, focus: QColor) -> None:
        """Draw with these edges and this focus ring from now on (a theme switch: the style is recoloured,
        not replaced - `QApplication.setStyle` deletes the old style, which a pyqtgraph plot's
        `QGraphicsLayout` still points at, and its next layout crashed)."""
        self.focus = QColor(focus)
        self.grip = QColor(outline)
        self._disabled_outline = QColor(disabled_outline)
        self._window = outline_source(outline)
        self._radio_window = outline_source(radio_outline, 150)
        self._disabled_window = outline_source(disabled_outline)
        self._disabled_radio_window = outline_source(disabled_outline, 150)
        self._lent.clear()

    def _lent_palette(self, original: QPalette, radio: bool) -> QPalette:
        group = original.currentColorGroup()
        key = (original.cacheKey(), group.value, radio)
        lent = self._lent.get(key)
        if lent is None:
            if len(self._lent) >= _LENT_MAX:
                self._lent.clear()
            window, highlight = QPalette.ColorRole.Window, QPalette.ColorRole.Highlight
            lent = QPalette(original)  # each colour set for every group (active, inactive), then disabled
            lent.setColor(window, self._radio_window if radio else self._window)
            lent.setColor(highlight, self.focus)  # a default button's edge: 5.9:1 (dark)
            disabled = QPalette.ColorGroup.Disabled
            lent.setColor(disabled, window, self._disabled_radio_window if radio else self._disabled_window)
            lent.setColor(disabled, highlight, self._disabled_outline)
            lent.setCurrentColorGroup(group)
            self._lent[key] = lent
        return lent

    @contextmanager
    def _outlined(self, option: QStyleOption, radio: bool = False) -> Iterator[None]:
        """Fusion reads its outline from the option's Window colour: lend it :func:`outline_source`."""
        original = option.palette
        option.palette = self._lent_palette(original, radio)
        try:
            yield
        finally:
            option.palette = original

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        """Fusion's primitive; a control's edge in :data:`OUTLINE`, keyboard focus as a ring."""
        if element not in OUTLINED_PRIMITIVES:
            if element is _FOCUS_RECT and isinstance(widget, (QCheckBox, QRadioButton)):
                if option.state.value & _KEY_FOCUS:
                    draw_focus_ring(painter, QRectF(option.rect), width=1.0, radius=1.0, color=self.focus)
                return
            if element is _FOCUS_RECT and option.state.value & _ITEM:
                draw_item_focus(painter, option, self.focus)
                return
            if element is _RESIZE_HANDLE:
                draw_grip(painter, option.rect, self.grip)
                return
            super().drawPrimitive(element, option, painter, widget)
            return
        with self._outlined(option, radio=element is _RADIO):
            super().drawPrimitive(element, option, painter, widget)
        if _shows_focus(element, option):
            draw_focus_ring(painter, QRectF(option.rect), color=self.focus)

    def drawComplexControl(self, control: QStyle.ComplexControl, option: QStyleOption, painter: QPainter,
                           widget: QWidget | None = None) -> None:
        """Fusion's complex control; a spin box's or combo box's edge in :data:`OUTLINE`, focus as a ring."""
        if control not in OUTLINED_CONTROLS:
            super().drawComplexControl(control, option, painter, widget)
            return
        with self._outlined(option):
            super().drawComplexControl(control, option, painter, widget)
        if _shows_focus(control, option):
            draw_focus_ring(painter, QRectF(option.rect), color=self.focus)

    def standardIcon(self, standardIcon: QStyle.StandardPixmap, option: QStyleOption | None = None,  # noqa: N802, N803
                     widget: QWidget | None = None) -> QIcon:
        """Fusion's icon; a dock's close and float buttons and the file dialog's arrows as glyphs in the
        theme's icon colour (:data:`STANDARD_GLYPHS`), drawn again in the new colours on a theme switch."""
        glyph = STANDARD_GLYPHS.get(standardIcon)
        if glyph is not None and _glyph_source is not None:
            return _glyph_source(glyph)
        return super().standardIcon(standardIcon, option, widget)
