"""Counts of what a window keeps, taken once an action's aftermath is over (for the "stays bounded" tests).

A running loop (timers, layout requests; the main window's dock and toolbar geometry animations, made
afresh at each relayout, stop and deleteLater themselves), then the posted events and deferred deletions
sent, again until the counts stop changing. Under load a fixed short wait left 9 of those animations
alive now and then (808 vs 799; 845 vs 836). What is kept (a leak) stays, counted: a count still moving
after SETTLE_LOOKS looks is returned as it is, never hidden."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QStatusBar

#: taken once they stayed the same SETTLE_SAME looks in a row, SETTLE_MS apart, within SETTLE_LOOKS looks
SETTLE_SAME, SETTLE_MS, SETTLE_LOOKS = 3, 50, 100

C = TypeVar("C", bound=Hashable)


def settled(qtbot, measure: Callable[[], C]) -> C:  # noqa: ANN001
    """`measure()` once it returned the same SETTLE_SAME times in a row (see the module doc)."""
    seen: list[C] = []
    for _ in range(SETTLE_LOOKS):
        qtbot.wait(SETTLE_MS)
        QApplication.sendPostedEvents(None, 0)
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # not sent by the line above
        seen.append(measure())
        if len(seen) >= SETTLE_SAME and len(set(seen[-SETTLE_SAME:])) == 1:
            break
    return seen[-1]


def message_timer(obj: QObject) -> bool:
    """The status bar's own timer: Qt makes it for a message shown for a while and deletes it when a message
    shown until replaced comes, so there is one or none by which kind came last (on a loaded machine a round
    ended with one, another without: 807 vs 806). Never more than one: not a count that can grow."""
    return type(obj) is QTimer and isinstance(obj.parent(), QStatusBar)


def qobject_count(window: QObject) -> int:
    """The Qt objects under `window`, its status bar's message timer left out (see :func:`message_timer`)."""
    return sum(1 for obj in window.findChildren(QObject) if not message_timer(obj))
