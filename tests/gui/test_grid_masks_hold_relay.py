"""The compare grid's mask worker (`GridMasks`) answers on a relay (app.relay), never on itself, as the
upsampler and the shown result's work do (tests/gui/test_workers_hold_relays.py): its job held the
GridMasks (``lambda ...: self.ready.emit``), so one deleted while the worker ran was emitted on from
that thread, the crash of a QObject deleted on one thread while another emits its signal. Here it is
deleted while the worker is inside its work: the worker runs no code that holds it, nothing reaches
it, and a live one still shows its pictures on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
import shiboken6

from app.analysis.grid_masks import GridMasks, MaskPictures
from tests.gui.thread_spies import holders_on_threads

HUGE = (1024, 1024)  # at WORKER_PIXELS: made on the worker


@pytest.fixture
def touched() -> Iterator[list[str]]:
    """Code run on threads started from here on that holds a GridMasks (a local or a closure's cell)."""
    with holders_on_threads(GridMasks) as found:
        yield found


class _Prediction:
    """A prediction whose mask() waits for `release` (the worker inside its work)."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def mask(self, threshold: float, keep: str) -> np.ndarray:
        self.started.set()
        self.release.wait(20)
        return np.eye(8, dtype=np.uint8)


def test_grid_masks_deleted_while_its_worker_runs_is_not_held_there(qtbot, touched: list[str]) -> None:  # noqa: ANN001
    got: list[MaskPictures] = []
    masks = GridMasks(got.append)
    lane = masks.lane
    prediction = _Prediction()
    assert masks.request(prediction, None, 0.5, "plain", HUGE)  # type: ignore[arg-type]
    assert prediction.started.wait(20)
    shiboken6.delete(masks)  # the window's teardown deletes it while the worker is inside its work
    prediction.release.set()
    qtbot.wait(200)
    lane.close()
    assert got == []
    assert touched == []


def test_live_grid_masks_show_their_pictures_on_the_gui_thread(qtbot, touched: list[str]) -> None:  # noqa: ANN001
    threads: list[threading.Thread] = []
    got: list[MaskPictures] = []
    masks = GridMasks(lambda pictures: (got.append(pictures), threads.append(threading.current_thread())))
    prediction = _Prediction()
    prediction.release.set()
    assert masks.request(prediction, None, 0.5, "plain", HUGE)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    assert threads == [threading.main_thread()] and not masks.pending
    assert got[0].picture is not None and got[0].picture.max() == 255
    masks.close()
    assert touched == []
