"""app.relay: what worker threads emit on. An answer reaches its owner on the GUI thread (queued), and
none reaches an owner deleted meanwhile (the relay outlives it: no 'Signal source has been deleted')."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from app.relay import Relay, ValueRelay


class _Pair(Relay):
    answer = Signal(int, object)


class _Owner(QObject):
    answer = Signal(int, object)


def _emit_from_a_thread(emit) -> None:  # noqa: ANN001
    thread = threading.Thread(target=emit)
    thread.start()
    thread.join()


def test_forwarded_signals_come_on_the_owners_thread(qtbot) -> None:  # noqa: ANN001
    owner, relay = _Owner(), _Pair()
    relay.forward_to(owner, "answer")
    got: list[tuple[int, object, int]] = []
    owner.answer.connect(lambda n, value: got.append((n, value, threading.get_ident())))
    _emit_from_a_thread(lambda: relay.answer.emit(7, "seven"))
    assert got == []  # queued, not called on the worker's thread
    qtbot.waitUntil(lambda: len(got) == 1)
    assert got == [(7, "seven", threading.get_ident())]


def test_an_owner_deleted_meanwhile_gets_nothing(qtbot) -> None:  # noqa: ANN001
    owner, relay = _Owner(), _Pair()
    relay.forward_to(owner, "answer")
    got: list[object] = []
    owner.answer.connect(lambda _n, value: got.append(value))
    values = ValueRelay()
    values.done.connect(owner.deleteLater)  # any slot of the owner: dropped with it too
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    _emit_from_a_thread(lambda: (relay.answer.emit(1, "late"), values.done.emit("late")))
    qtbot.wait(20)
    assert got == [] and relay.parent() is None


def _alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:
        return False
    return True
