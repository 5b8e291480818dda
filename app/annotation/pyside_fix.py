"""Work around a PySide6 6.12.0 reference-count bug that aborts long sessions.

On CPython < 3.12 (where True is not immortal), PySide6 6.12.0's ``SignalInstance.emit()``
returns True without taking a new reference, so every signal emitted from Python (pyqtgraph
emits one per ImageItem.setImage, per range change, ...) drops one reference to True. After some
ten thousand emits the count reaches zero and the interpreter aborts with "bool_dealloc:
deallocating True or False". `top_up()` gives the lost references back (adds to the count
directly, so they are never released, not even at interpreter exit); `install()` calls it from a
timer. No-op on unaffected versions. Remove once PySide6 is pinned to a fixed release.
"""

from __future__ import annotations

import ctypes
import sys

import PySide6
from PySide6.QtCore import QObject, QTimer

__all__ = ["AFFECTED", "install", "top_up"]

AFFECTED = PySide6.__version__ == "6.12.0" and sys.version_info < (3, 12)
_LOW = 1_000_000
_timer: QTimer | None = None


def top_up() -> None:
    """Hold more references to True/False when emits have eaten into them."""
    if not AFFECTED:
        return
    for value in (True, False):
        if sys.getrefcount(value) < _LOW:  # ob_refcnt is the object's first field in CPython
            ctypes.c_ssize_t.from_address(id(value)).value += _LOW


def install(parent: QObject) -> None:
    """Top up now and every 2 s while `parent` lives."""
    global _timer
    top_up()
    if AFFECTED and _timer is None:
        _timer = QTimer(parent)
        _timer.timeout.connect(top_up)
        _timer.start(2000)
        _timer.destroyed.connect(_forget)


def _forget() -> None:
    global _timer
    _timer = None
