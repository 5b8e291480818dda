"""A video's frame decoder (:class:`app.video.workers.FrameFetcher`) deleted with its owner, never shut
down (a MainWindow deleted with ``deleteLater()`` and never closed, a video view torn down), stops and
joins its thread: the thread waited on forever, and a frame decoded as it was deleted was emitted from the
deleted fetcher ('RuntimeError: Signal source has been deleted' on the thread)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from app.video.workers import FrameFetcher
from tests.gui.deleted_helpers import capture_raised, delete_now


@pytest.fixture
def raised(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What slots (sys.excepthook) and threads (threading.excepthook) raised, and Qt's messages, from here on."""
    yield from capture_raised(monkeypatch)


class HeldReader:
    """A reader whose reads wait for `release` (a frame being decoded as its fetcher goes)."""

    def __init__(self) -> None:
        self.reading, self.release = threading.Event(), threading.Event()
        self.reads = 0
        self.closes = 0

    def read(self, index: int) -> np.ndarray:
        self.reads += 1
        self.reading.set()
        self.release.wait(10)
        return np.zeros((4, 4, 3), np.uint8)

    def close(self) -> None:
        self.closes += 1


def test_an_idle_fetcher_deleted_with_its_owner_stops_its_thread(qtbot, raised: list[str]) -> None:  # noqa: ANN001
    reader = HeldReader()
    owner = QObject()
    fetcher = FrameFetcher(reader, owner)  # type: ignore[arg-type]
    thread = fetcher._thread
    assert thread.is_alive()
    delete_now(owner)
    stopped = not thread.is_alive()  # joined as it was destroyed: no waiting here
    if not stopped:
        fetcher.shutdown()  # so that the failing test leaves no thread behind
    assert stopped
    assert reader.closes >= 1
    assert raised == []


def test_a_frame_decoded_as_the_fetcher_goes_is_not_emitted(qtbot, raised: list[str]) -> None:  # noqa: ANN001
    reader = HeldReader()
    owner = QObject()
    fetcher = FrameFetcher(reader, owner)  # type: ignore[arg-type]
    thread = fetcher._thread
    got: list[int] = []
    receiver = QObject()  # lives on: an answer that came would reach it
    fetcher.frame_ready.connect(lambda _rid, index, _rgb: got.append(index))
    fetcher.frame_ready.connect(receiver.deleteLater)  # (a receiver object too)
    fetcher.request(3)
    assert reader.reading.wait(10)

    def let_go() -> None:  # the frame's decode ends once the fetcher's wrapper is gone (it is being deleted)
        deadline = time.monotonic() + 10
        while shiboken6.isValid(fetcher) and time.monotonic() < deadline:
            time.sleep(0.001)
        reader.release.set()

    releaser = threading.Thread(target=let_go)
    releaser.start()
    delete_now(owner)
    releaser.join(10)
    thread.join(10)
    QApplication.processEvents()
    assert not thread.is_alive()
    assert reader.reads == 1
    assert got == []
    assert raised == [], raised
