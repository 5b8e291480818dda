"""Counts of what a window keeps, taken once an action's aftermath is over (for the "stays bounded" tests).

A running loop (timers, layout requests; the main window's dock and toolbar geometry animations, made
afresh at each relayout, stop and deleteLater themselves), then the posted events and deferred deletions
sent, again until the counts stop changing. Under load a fixed short wait left 9 of those animations
alive now and then (808 vs 799; 845 vs 836). What is kept (a leak) stays, counted: a count still moving
after SETTLE_LOOKS looks is returned as it is, never hidden."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

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
