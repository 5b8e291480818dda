"""Relays: what a worker thread emits its answers on, so that they reach the GUI thread as queued signals
and are dropped, not delivered to a deleted object, once their receiver is gone.

A worker thread never emits on the object that owns it (a window's child may be deleted while the thread
runs, and a QObject deleted on one thread while another emits its signal is a crash, not an exception).
It emits on a :class:`Relay`: made on the GUI thread with no parent, held by the owner and by the thread
(its job or closure), so it lives as long as either needs it. Its signals are connected to the owner's
slots or, with :meth:`Relay.forward_to`, queued on to the owner's signals of the same names; Qt drops
those connections with the owner.

:class:`ValueRelay` carries one value (``done(object)``); a relay with other signals subclasses
:class:`Relay` and declares them (Qt signals are class attributes of fixed types).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

__all__ = ["Relay", "ValueRelay"]


class Relay(QObject):
    """Base of the relays (see module doc): make one on the GUI thread, with no parent."""

    def __init__(self) -> None:
        super().__init__(None)

    def forward_to(self, owner: QObject, *names: str) -> None:
        """Queue each of this relay's signals `names` on to `owner`'s signal of the same name: emitted on
        `owner`'s thread, nothing once `owner` is deleted."""
        for name in names:
            getattr(self, name).connect(getattr(owner, name), Qt.ConnectionType.QueuedConnection)


class ValueRelay(Relay):
    """A relay of one value: a worker thread emits ``done(value)``; the owner connects a slot."""

    done = Signal(object)
