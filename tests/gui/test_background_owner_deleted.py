"""A Fine-tune dialog's background call (:class:`app.training.background.Background`) whose owner is
deleted while the call runs: the call's thread emitted the answer from the Background itself, checking
only by the RuntimeError PySide raises for a wrapper already gone that its owner was still there; the
owner deleted on the GUI thread between that check and the emit is a QObject deleted while another thread
emits its signal. The answer now goes through a relay that the thread holds, queued on to the Background
on the GUI thread (the thread never touches it), and Qt drops it once the Background is gone."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from app.training.background import Background
from tests.gui.deleted_helpers import capture_raised


@pytest.fixture
def raised(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What slots (sys.excepthook) and threads (threading.excepthook) raised, and Qt's messages, from here on."""
    yield from capture_raised(monkeypatch)


class Owner(QObject):
    """An owner of a Background, as the Fine-tune form is, counting the answers it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.background = Background("held-read", self)
        self.answers: list[tuple[int, object]] = []
        self.background.done.connect(self.on_done)
        self.background.failed.connect(self.on_done)

    def on_done(self, call_id: int, value: object) -> None:
        self.answers.append((call_id, value))


def _call_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("held-read-")]


def test_the_answer_is_emitted_on_the_gui_thread(qtbot) -> None:  # noqa: ANN001
    owner = Owner()
    emitted_on: list[threading.Thread] = []
    owner.background.done.connect(lambda *_: emitted_on.append(threading.current_thread()),
                                  Qt.ConnectionType.DirectConnection)  # runs where the Background emits
    with qtbot.waitSignal(owner.background.done, timeout=10_000):
        owner.background.submit(lambda: 7)
    assert owner.answers == [(1, 7)]
    assert emitted_on == [threading.main_thread()]  # was the call's thread


def test_an_owner_deleted_while_a_read_is_held_gets_nothing(qtbot, raised: list[str]) -> None:  # noqa: ANN001
    owner = Owner()
    reading, release = threading.Event(), threading.Event()
    answers = owner.answers

    def held_read() -> str:
        reading.set()
        release.wait(10)
        return "splits"

    def failing_read() -> str:
        reading.wait(10)
        release.wait(10)
        raise OSError("gone")

    owner.background.submit(held_read)
    owner.background.submit(failing_read)
    assert reading.wait(10)
    threads = _call_threads()
    assert len(threads) == 2
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    for thread in threads:
        thread.join(10)
    QApplication.processEvents()
    assert not any(t.is_alive() for t in threads)
    assert answers == []
    assert raised == [], raised
