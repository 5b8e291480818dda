"""A closed video's kept predictions are given back only for the same frames: its identity is the one
probed when it was opened (on the opener's thread, before any frame was read), not one probed after the
close. Since cdb2564 the identity was probed on a thread of its own after the close, so a frame written
between the close and that probe was in the identity kept, and the video opened again got the old
frames' predictions for the new frame (here: the probe held until the frame is written); nor was a frame
written while the video was open seen (its predictions made of the frame before)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

import fosp_core.video.kept_predictions as kept_predictions

FRAMES = 4


def _sequence(folder: Path) -> Path:
    folder.mkdir()
    for i in range(FRAMES):
        cv2.imwrite(str(folder / f"{i:04d}.png"), np.full((48, 64, 3), 40 * i, np.uint8))
    return folder


def _open(qtbot, window, seq: Path, tmp_path: Path) -> None:  # noqa: ANN001 - an image sequence, as a video
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.video.open_async(seq)


def _predicted(window) -> object:  # noqa: ANN001 - the open video's cache, as if its model had run
    cache = window.video.cache
    cache.reset("m#1|plain")
    cache.put(0, np.full((48, 64), 0.5, np.float32))
    return cache


@pytest.fixture
def held_probes(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The kept predictions' own identity probes (threads 'kept-identity') wait for the event."""
    go = threading.Event()
    real: Callable = kept_predictions.video_identity

    def identity(path):  # noqa: ANN001, ANN202
        if threading.current_thread().name == "kept-identity":
            go.wait(10)
        return real(path)

    monkeypatch.setattr(kept_predictions, "video_identity", identity)
    yield go
    go.set()


@pytest.mark.parametrize("written", [None, "after-close", "while-open"])
def test_a_frame_written_after_the_close_gets_no_kept_prediction(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                 held_probes: threading.Event,
                                                                 written: str | None) -> None:
    seq = _sequence(tmp_path / "seq")
    window = make_window(show=True)
    _open(qtbot, window, seq, tmp_path)
    cache = _predicted(window)
    if written == "while-open":  # its predictions are of the frame as it was (before, the close's probe saw the new)
        cv2.imwrite(str(seq / "0001.png"), np.full((48, 64, 3), 255, np.uint8))
    window.video.leave()  # closed: its predictions kept
    assert len(window.video.predictions.kept._kept) == 1
    if written == "after-close":  # written again before the probe (a slow drive, a busy machine) looked at it
        cv2.imwrite(str(seq / "0001.png"), np.full((48, 64, 3), 255, np.uint8))
    held_probes.set()
    window.video.predictions.kept.settle(10)
    _open(qtbot, window, seq, tmp_path)
    assert (window.video.cache is cache) is (written is None)
    window.video.leave()
