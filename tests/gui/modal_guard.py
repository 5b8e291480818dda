"""A modal dialog that nobody answers never hangs the suite.

Under ``QT_QPA_PLATFORM=offscreen`` no one can click a modal ``QMessageBox.exec()``, ``QDialog.exec()``,
``QFileDialog`` or ``QInputDialog``: a test (or its teardown: pytest-qt closes the windows, and a
window with edits not saved asks Retry / Discard / Cancel) that reaches one by accident waits
forever. `ModalDialogGuard` is a timer on the GUI thread; it fires inside the dialog's own event
loop, and a modal widget that it finds still open at `SIGHTINGS` ticks in a row (so one that the
test answers itself, from a ``QTimer.singleShot`` or a monkeypatched ``exec``, is gone well before)
is described (`describe`) and answered with its safest button (`answer`: Escape's button, Cancel or
No; never Discard, Yes or Save). `tests/gui/conftest.py` starts one guard for the whole run and
fails the test in whose phase (setup, call, teardown) a dialog was answered, with the dialog's text.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLabel, QMessageBox, QWidget

__all__ = ["INTERVAL_MS", "SIGHTINGS", "ModalDialogGuard", "answer", "describe"]

INTERVAL_MS = 500
"""How often the guard looks for a modal widget (ms)."""

SIGHTINGS = 3
"""At how many ticks in a row a modal widget must be seen open before the guard answers it: a dialog
that the test answers from its own timer (due before the guard's next tick) is never touched."""

_SAFE_ROLES = (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole)


def describe(widget: QWidget) -> str:
    """One line naming the modal `widget`: its class, title and the words it shows."""
    kind, title = type(widget).__name__, widget.windowTitle()
    if isinstance(widget, QMessageBox):
        words = [widget.text(), widget.informativeText()]
        buttons = [b.text().replace("&", "") for b in widget.buttons()]
        return f"{kind} {title!r}: {' | '.join(w for w in words if w)!r}, buttons {buttons}"
    if isinstance(widget, QFileDialog):
        return f"{kind} {title!r} in {widget.directory().absolutePath()!r}"
    if isinstance(widget, QInputDialog):
        return f"{kind} {title!r}: {widget.labelText()!r}"
    labels = [label.text() for label in widget.findChildren(QLabel) if label.isVisible() and label.text()]
    return f"{kind} {title!r}: {' | '.join(labels)!r}"


def answer(widget: QWidget) -> str:
    """Close the modal `widget` the safest way: a message box's Escape button, else its Cancel/No
    (reject or no role), else its only button (an OK that just tells); a dialog is rejected (Cancel);
    another widget is closed. Returns what was done. Never a destructive (Discard) or accepting choice
    among several."""
    if isinstance(widget, QMessageBox):
        button = widget.escapeButton()
        if button is not None and widget.buttonRole(button) == QMessageBox.ButtonRole.DestructiveRole:
            button = None  # an Escape that discards is not safe
        if button is None:
            button = next((b for role in _SAFE_ROLES for b in widget.buttons() if widget.buttonRole(b) == role), None)
        if button is None and len(widget.buttons()) == 1 \
                and widget.buttonRole(widget.buttons()[0]) != QMessageBox.ButtonRole.DestructiveRole:
            button = widget.buttons()[0]
        if button is not None:
            button.click()
            return f"clicked {button.text().replace('&', '')!r}"
    if isinstance(widget, QDialog):
        widget.reject()
        return "rejected (Cancel)"
    widget.close()
    return "closed"


class ModalDialogGuard:
    """See module doc. `found` lists, in order, each dialog answered (`take` empties it)."""

    def __init__(self, interval_ms: int = INTERVAL_MS, sightings: int = SIGHTINGS) -> None:
        self.sightings = sightings
        self.found: list[str] = []
        #: the C++ address of the modal widget seen at the last tick (a dialog that C++ made, as the static
        #: QMessageBox.question does, gets a new Python wrapper at each look)
        self._seen: int | None = None
        self._count = 0
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        """Look from now on (again); the timer needs a QApplication."""
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """Look no more."""
        self._timer.stop()

    def take(self) -> list[str]:
        """The dialogs answered since the last call (each a line: what it said and what was done)."""
        found, self.found = self.found, []
        return found

    def tick(self) -> None:
        """One look: count the ticks that the active modal widget stays open; answer it at `sightings`."""
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            self._seen, self._count = None, 0
            return
        address = shiboken6.getCppPointer(widget)[0]
        if address == self._seen:
            self._count += 1
        else:
            self._seen, self._count = address, 1
        if self._count < self.sightings:
            return
        self._seen, self._count = None, 0
        said = describe(widget)
        self.found.append(f"{said}; {answer(widget)} by the guard")
