"""Keys bound twice where both bindings are on: Qt then runs neither (an ambiguous shortcut) and the key
goes dead. QActions and QShortcuts are looked at together, each where its shortcut context makes it
match, as Qt's shortcut map does."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

__all__ = ["key_clashes"]

_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def _key_text(key: QKeySequence) -> str:
    return key.toString(QKeySequence.SequenceFormat.PortableText)


def _window_of(obj: QObject | None) -> QObject | None:
    """The window a binding owned by `obj` is in (a menu's actions are its window's, not the popup's)."""
    while obj is not None:
        if isinstance(obj, QWidget) and obj.isWindow() and not isinstance(obj, QMenu):
            return obj
        obj = obj.parent()
    return None


def _bindings(window: QMainWindow) -> list[tuple[str, str, Qt.ShortcutContext, QObject | None]]:
    """(key, owner's name, context, where: its window for a window-wide one, else its widget) of
    every binding that is on: an enabled, visible QAction, an enabled QShortcut."""
    out = []
    for action in window.findChildren(QAction):
        if action.isEnabled() and action.isVisible():
            context = action.shortcutContext()
            scope = action.parent() if context not in _WIDE else _window_of(action.parent())
            out += [(_key_text(k), f"action {action.text()!r}", context, scope)
                    for k in action.shortcuts() if not k.isEmpty()]
    for shortcut in window.findChildren(QShortcut):
        if shortcut.isEnabled():
            context = shortcut.context()
            scope = shortcut.parent() if context not in _WIDE else _window_of(shortcut.parent())
            out += [(_key_text(k), f"shortcut of {type(shortcut.parent()).__name__}", context, scope)
                    for k in shortcut.keys() if not k.isEmpty()]
    return out


def _inside(widget: QObject | None, ancestor: QObject | None) -> bool:
    while widget is not None:
        if widget is ancestor:
            return True
        widget = widget.parent()
    return False


def _overlap(a: tuple[Qt.ShortcutContext, QObject | None], b: tuple[Qt.ShortcutContext, QObject | None]) -> bool:
    """Whether both bindings can match at once: a window-wide one with any other in its window; two bound
    to widgets when one focus can be in both (the same widget, or inside the other's with children)."""
    (ctx_a, scope_a), (ctx_b, scope_b) = a, b
    if scope_a is None or scope_b is None:
        return False
    if ctx_a in _WIDE and ctx_b in _WIDE:
        return scope_a is scope_b
    if ctx_a in _WIDE or ctx_b in _WIDE:
        return _window_of(scope_b) is scope_a if ctx_a in _WIDE else _window_of(scope_a) is scope_b
    if scope_a is scope_b:
        return True
    children = Qt.ShortcutContext.WidgetWithChildrenShortcut
    return (ctx_a == children and _inside(scope_b, scope_a)) or (ctx_b == children and _inside(scope_a, scope_b))


def key_clashes(window: QMainWindow) -> list[tuple[str, list[str]]]:
    """(key, its owners) for each key that two bindings of `window` that are on at once have."""
    by_key: dict[str, list[tuple[str, Qt.ShortcutContext, QObject | None]]] = {}
    for key, owner, context, scope in _bindings(window):
        by_key.setdefault(key, []).append((owner, context, scope))
    clashes = []
    for key, owners in sorted(by_key.items()):
        clashing = {owners[i][0] for i in range(len(owners)) for j in range(len(owners))
                    if i != j and _overlap(owners[i][1:], owners[j][1:])}
        if clashing:
            clashes.append((key, sorted(clashing)))
    return clashes
