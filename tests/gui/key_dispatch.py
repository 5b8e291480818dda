"""Which binding Qt's shortcut map runs for a key pressed in a window: :func:`dispatched_to` presses the
key on the focus widget (a real QTest key event, through the shortcut map, its ShortcutOverride and
ambiguity rules) and catches the QShortcutEvent before the binding runs, so that nothing happens
(no dialog opens) and each key of a whole sheet can be pressed in turn."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.keys_say_why import SAYS_WHY_PROPERTY
from app.shortcut_sheet import TEXT_PROPERTY

__all__ = ["binding_name", "dispatched_to"]


def binding_name(obj: QObject) -> str:
    """An action's text (no "&" nor "…"), a named QShortcut's name, "says why: <action>" for the stand-in
    of a disabled action (`app.keys_say_why`), else "QShortcut"."""
    if isinstance(obj, QAction):
        return obj.text().replace("&", "").replace("…", "").strip()
    if isinstance(obj, QShortcut):
        if obj.property(TEXT_PROPERTY):
            return str(obj.property(TEXT_PROPERTY))
        if obj.property(SAYS_WHY_PROPERTY):
            return f"says why: {obj.property(SAYS_WHY_PROPERTY)}"
    return type(obj).__name__


class _Catch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[tuple[str, bool]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Shortcut:
            self.got.append((binding_name(watched), event.isAmbiguous()))
            return True  # caught: the binding does not run
        return False


def dispatched_to(widget: QWidget, key: QKeySequence) -> list[tuple[str, bool]]:
    """(binding's name, ambiguous) of each shortcut event Qt sends for `key` (one key combination)
    pressed on `widget`: [] when the key runs nothing, ambiguous True when two bindings claim it."""
    catch = _Catch()
    app = QApplication.instance()
    app.installEventFilter(catch)
    try:
        combo = key[0]
        QTest.keyClick(widget, combo.key(), combo.keyboardModifiers())
    finally:
        app.removeEventFilter(catch)
    return catch.got
