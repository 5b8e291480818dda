"""A simulated disk that stops answering, for the video dead-disk tests: `DeadDisk.hold(real)` wraps a write
so that it waits until `released` (or `held_s`, so that a failed test does not hang the run); `stuck`: a write
is held; `done`: a held write has gone on since."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


class DeadDisk:
    """Holds the writes it replaces until `released` (or `held_s`)."""

    def __init__(self, held_s: float) -> None:
        self.held_s = held_s
        self.stuck, self.released, self.done = threading.Event(), threading.Event(), threading.Event()

    def hold(self, real: Callable[..., object]) -> Callable[..., object]:
        def held(*args: object) -> object:
            self.stuck.set()
            self.released.wait(self.held_s)
            try:
                return real(*args)
            finally:
                self.done.set()
        return held


def answering(button: str, seen: list[str]) -> QTimer:
    """A timer that answers `button` to every dead-disk question shown (the window's close question,
    `stuck_saves_question`), its words kept in `seen`."""
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "stuck_saves_question" and box.isVisible():
            seen.append(f"{box.text()}\n{box.informativeText()}")
            next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

    timer.timeout.connect(look)
    timer.start()
    return timer
