"""GridMasks says `settled` whenever no answer is awaited any more (app.analysis.grid_masks): an
export waiting for the prediction panel (:meth:`GridMasks.wait`, up to 5 minutes) returns on it. A
huge image's request pending, then a small image asked for (made at once, the worker's answer
dropped as stale), left it awaited-for no more but never settled: the export sat out its 5 minutes."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.analysis import grid_masks
from app.analysis.grid_masks import GridMasks, MaskPictures
from fosp_core.infer.result import Prediction


class _HeldPrediction(Prediction):
    """A prediction whose mask waits for `release` (the worker stays busy with it)."""

    release = threading.Event()

    def mask(self, *args, **kwargs) -> np.ndarray:  # noqa: ANN002, ANN003, D102
        self.release.wait(30)
        return super().mask(*args, **kwargs)


def _prediction(cls: type[Prediction] = Prediction) -> Prediction:
    y, x = np.mgrid[0:40, 0:50]
    return cls(probability=np.exp(-((y - 20) ** 2 + (x - 25) ** 2) / 90.0).astype(np.float32))


@pytest.fixture
def masks(qtbot, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """A GridMasks counting what it shows, images of 1000 pixels or more made on the worker."""
    monkeypatch.setattr(grid_masks, "WORKER_PIXELS", 1000)
    shown: list[MaskPictures] = []
    made = GridMasks(shown.append)
    made.shown = shown  # type: ignore[attr-defined]
    _HeldPrediction.release.clear()
    yield made
    _HeldPrediction.release.set()
    made.close()


def test_a_small_image_after_a_pending_huge_one_settles(qtbot, masks: GridMasks) -> None:  # noqa: ANN001
    settled: list[bool] = []
    masks.settled.connect(lambda: settled.append(True))
    assert masks.request(_prediction(_HeldPrediction), None, 0.5, "plain", (40, 50))  # on the worker, held
    assert masks.pending and settled == []
    assert not masks.request(_prediction(), None, 0.5, "plain", (20, 20))  # made at once
    assert not masks.pending
    assert settled == [True]  # the export waiting for it goes on
    assert len(masks.shown) == 1  # type: ignore[attr-defined]
    _HeldPrediction.release.set()
    qtbot.wait(200)
    assert len(masks.shown) == 1  # type: ignore[attr-defined]  # the huge one's answer dropped


def test_a_request_after_close_settles_the_pending_one(qtbot, masks: GridMasks) -> None:  # noqa: ANN001
    settled: list[bool] = []
    masks.settled.connect(lambda: settled.append(True))
    assert masks.request(_prediction(_HeldPrediction), None, 0.5, "plain", (40, 50))
    masks.close()
    assert not masks.request(_prediction(), None, 0.5, "plain", (40, 50))  # the worker stopped
    assert not masks.pending
    assert settled == [True]


def test_the_record_of_threads_stays_small(qtbot, masks: GridMasks) -> None:  # noqa: ANN001
    """`threads` (which thread made each picture, for tests) grew by one entry at every image switch
    and threshold move of the session: the last few are kept."""
    prediction = _prediction()
    for _ in range(200):
        masks.request(prediction, None, 0.5, "plain", (20, 20))
    assert len(masks.threads) <= 16
    assert masks.threads[-1] is threading.current_thread()
