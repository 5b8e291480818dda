"""A control with the keyboard focus keeps its own arrow keys.

The window's Next / Previous Image (Right, Left, Down, Up, Page Down, Page Up) and, with a video, its
frame keys (Right, Left, Home, End) are window shortcuts: Qt runs them unless the focus widget claims the
key first (``ShortcutOverride``), which a slider, a list, a table, a tab bar, a closed drop-down or a spin
box (for its Up / Down / Page Up / Page Down; its line edit claims Left / Right / Home / End) does not. So a keyboard user who had Tabbed to the mask opacity or the mask threshold and pressed Right got
the next image, the slider unmoved (and Up on the brush radius or τ box, the previous one). :class:`ArrowsStay` claims, for such a focused control, the keys it
moves with (:data:`KEYS`), with no modifier; Esc gives the keys back to the canvas
(:class:`app.esc_keys_back.EscToCanvas`). The image list is left out (`skip`): its arrows are the
images' anyway, and Right / Left step them there as on the canvas. Watched on the window's focus widget
only (:class:`app.focus_filter.FocusFilter`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QListView,
    QTabBar,
    QWidget,
)

from app.focus_filter import FocusFilter

__all__ = ["KEYS", "ArrowsStay"]

_ALL = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                  Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End})

#: The keys each kind of control moves with (Qt's own key handling of each; a one-column list: not Left / Right).
KEYS: tuple[tuple[type[QWidget], frozenset[Qt.Key]], ...] = (
    (QAbstractSlider, _ALL),
    (QAbstractItemView, _ALL),
    (QTabBar, frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right})),
    (QAbstractSpinBox, frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})),
    (QComboBox, frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                           Qt.Key.Key_Home, Qt.Key.Key_End})),
)

_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


def _moves_with(widget: QObject, key: int) -> bool:
    if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and isinstance(widget, QListView) and (
            widget.viewMode() == QListView.ViewMode.ListMode and widget.flow() == QListView.Flow.TopToBottom):
        return False  # a one-column list has no Left / Right: the window's keep them
    return any(isinstance(widget, kind) and key in keys for kind, keys in KEYS)


class ArrowsStay(QObject):
    """Claims the arrow keys for the focused control of `anchor`'s window (see module doc); the widgets
    in `skip` keep Qt's way (the window's shortcuts first)."""

    def __init__(self, anchor: QWidget, skip: tuple[QWidget, ...] = ()) -> None:
        super().__init__(anchor)
        self._skip = skip
        self.focus_filter = FocusFilter(anchor, self)
        self.focus_filter.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.modifiers() in _PLAIN and _moves_with(watched, event.key())
                and isinstance(watched, QWidget) and watched.hasFocus()
                and not any(watched is s for s in self._skip)):
            event.accept()  # the control's key press, not the window's shortcut
            return True
        return False
