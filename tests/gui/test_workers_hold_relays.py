"""The analysis workers' jobs hold a relay (app.relay), never the QObject that asked: the canvas's
upsampler, the legend's measurer sharing its thread (whose lane is never closed) and the shown result's
work emitted on themselves from the worker (``lambda ...: self.ready.emit``), so one deleted while the
worker ran was emitted on by that thread, the crash of a QObject deleted on one thread while another
emits its signal. Here the owner is deleted while the worker is inside its work: the worker runs no
code that holds it, nothing reaches it, and a live one still gets its answer on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QObject

from app.analysis.shown_work import ShownWork
from app.analysis.upsampler import LayerUpsampler
from tests.gui.thread_spies import holders_on_threads

OWNERS = (LayerUpsampler, ShownWork)


@pytest.fixture
def touched() -> Iterator[list[str]]:
    """Code run on threads started from here on that holds an owner (a local or a closure's cell)."""
    with holders_on_threads(OWNERS) as found:
        yield found


class _Map:
    """An upsamplable map whose full() waits for `release` (the worker inside its work)."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def full(self) -> np.ndarray:
        self.started.set()
        self.release.wait(20)
        return np.ones((4, 4), np.float32)


def _ask(owner: QObject, source: _Map) -> None:
    if isinstance(owner, LayerUpsampler):
        owner.set_current(1)
        owner.request(1, "layer", source)
    else:
        owner.request(source.full)


def _makers(got: list[object]) -> list[Callable[[], QObject]]:
    def measurer() -> LayerUpsampler:  # the legend's: a lane on the canvas's thread, never closed
        canvas = LayerUpsampler()
        measurer = LayerUpsampler(share=canvas)
        measurer.ready.connect(lambda *answer: got.append(answer))
        measurer._canvas = canvas  # type: ignore[attr-defined] - (its thread's owner kept)
        return measurer

    def shown() -> ShownWork:
        return ShownWork(got.append)

    return [measurer, shown]


@pytest.mark.parametrize("which", [0, 1], ids=["legend measurer", "shown work"])
def test_an_owner_deleted_while_its_worker_runs_is_not_held_there(qtbot, touched: list[str], which: int) -> None:  # noqa: ANN001
    got: list[object] = []
    owner = _makers(got)[which]()
    source = _Map()
    _ask(owner, source)
    assert source.started.wait(20)
    shiboken6.delete(owner)  # the window's teardown deletes it while the worker is inside its work
    source.release.set()
    qtbot.wait(200)
    assert got == []
    assert touched == []


@pytest.mark.parametrize("which", [0, 1], ids=["legend measurer", "shown work"])
def test_a_live_owner_gets_its_answer_on_the_gui_thread(qtbot, touched: list[str], which: int) -> None:  # noqa: ANN001
    got: list[object] = []
    owner = _makers(got)[which]()
    threads: list[threading.Thread] = []
    owner.ready.connect(lambda *_a: threads.append(threading.current_thread()))
    source = _Map()
    source.release.set()
    _ask(owner, source)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    assert threads == [threading.main_thread()]
    assert touched == []
