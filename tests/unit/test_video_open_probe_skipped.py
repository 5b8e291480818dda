"""The video opener probes an image-sequence folder's frames (one ``stat`` a frame: 92.5 ms for 3000 frames
on a local disk, 1157 ms on a slow one at load 13) only when predictions are kept for that folder: otherwise
the opening's moment stands for its identity (`fosp_core.video.kept_predictions.OpenedAt`), and its
predictions, kept at the close, are kept only when no frame changed since that moment (probed then, on a
thread of the store's own). Before, every opening of a folder probed it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

import fosp_core.video.kept_predictions as kept_predictions
from app.video.open_worker import prepare_video
from fosp_core.video.kept_predictions import KeptPredictions, OpenedAt, video_identity
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.testclip import write_clip

FRAMES = 4


def _sequence(folder: Path, age_s: float = 60.0) -> Path:
    """A folder of FRAMES PNG frames, written `age_s` seconds ago (their times set back)."""
    folder.mkdir()
    then = time.time() - age_s
    for i in range(FRAMES):
        cv2.imwrite(str(folder / f"{i:04d}.png"), np.full((24, 32, 3), 40 * i, np.uint8))
        os.utime(folder / f"{i:04d}.png", (then, then))
    # their change time (st_ctime, now: utime sets it) older than an opening by more than the clock's slack
    time.sleep(2 * kept_predictions.CLOCK_SLACK_NS / 1e9)
    return folder


def _cache() -> PredictionCache:
    cache = PredictionCache(FRAMES)
    cache.reset("m#1|plain")
    cache.put(0, np.full((24, 32), 0.5, np.float32))
    return cache


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The frame probes made (kept_predictions' folder listings), by thread name."""
    made: list[str] = []
    real = kept_predictions.list_images

    def listing(folder):  # noqa: ANN001, ANN202
        import threading

        made.append(threading.current_thread().name)
        return real(folder)

    monkeypatch.setattr(kept_predictions, "list_images", listing)
    return made


def _open(path: Path, tmp_path: Path):  # noqa: ANN202
    opened = prepare_video(path, tmp_path / "state")
    opened.reader.close()
    opened.annotations.release_lock()
    return opened


def test_a_folder_nothing_is_kept_of_is_not_probed(tmp_path: Path, probes: list[str]) -> None:
    seq = _sequence(tmp_path / "seq")
    opened = _open(seq, tmp_path)
    assert probes == []
    assert isinstance(opened.identity, OpenedAt) and opened.identity.path == os.path.realpath(seq)


def test_a_folder_kept_is_probed_at_its_opening(tmp_path: Path, probes: list[str]) -> None:
    seq = _sequence(tmp_path / "seq")
    kept = KeptPredictions()
    assert kept.keep(seq, _cache(), video_identity(seq))
    probes.clear()
    opened = _open(seq, tmp_path)
    assert len(probes) == 1 and opened.identity == video_identity(seq)
    assert kept.take(seq, FRAMES, identity=opened.identity) is not None


def test_a_video_file_is_probed_as_before(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=3)
    assert _open(clip, tmp_path).identity == video_identity(clip)  # one stat: kept exact


@pytest.mark.parametrize("written", [None, "while-open", "after-close"])
def test_predictions_of_an_unprobed_opening_are_kept_only_unchanged(tmp_path: Path, written: str | None) -> None:
    seq = _sequence(tmp_path / "seq")
    opened = _open(seq, tmp_path)
    assert isinstance(opened.identity, OpenedAt)
    kept, cache = KeptPredictions(), _cache()
    if written == "while-open":  # its predictions may be of the frame before: not given back
        cv2.imwrite(str(seq / "0001.png"), np.full((24, 32, 3), 255, np.uint8))
    assert kept.keep(seq, cache, opened.identity)
    if written == "after-close":  # before the close's probe looked: seen too (its time is after the opening)
        cv2.imwrite(str(seq / "0002.png"), np.full((24, 32, 3), 255, np.uint8))
    kept.settle()
    again = _open(seq, tmp_path)  # kept now: probed at this opening
    assert not isinstance(again.identity, OpenedAt)
    assert (kept.take(seq, FRAMES, identity=again.identity) is cache) == (written is None)
