"""fosp_core.video.kept_predictions probes a closed image sequence's frames on a thread of its own: the
caller (the GUI thread) stats no frame at a close, nor at the opening of a folder nothing is kept of, and
a probe stuck on a dead drive does not hold the close. The frames of a kept folder opened again are
probed by the caller unless an identity computed elsewhere is handed in."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.kept_predictions import KeptPredictions, video_identity
from fosp_core.video.predictions import PredictionCache

FRAMES = 12


def _cache(frames: int = FRAMES) -> PredictionCache:
    cache = PredictionCache(frames)
    cache.reset("m#1|plain")
    cache.put(0, np.full((4, 4), 0.5, np.float32))
    return cache


def _sequence(folder: Path) -> Path:
    folder.mkdir()
    for i in range(FRAMES):
        (folder / f"{i:04d}.png").write_bytes(b"frame %d" % i)
    return folder


class _Stats:
    """Which threads stat which frame files (os.stat wrapped); `hold` blocks the other threads' stats."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []
        self.hold = threading.Event()
        self.hold.set()

    def frames_by(self, thread: int) -> int:
        return sum(1 for t, p in self.calls if t == thread and p.endswith(".png"))


@pytest.fixture
def stats(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Stats]:
    seen, real = _Stats(), os.stat
    main = threading.get_ident()

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if threading.get_ident() != main:
            seen.hold.wait()
        seen.calls.append((threading.get_ident(), os.fspath(path)))  # type: ignore[arg-type]
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    yield seen
    seen.hold.set()


def test_a_close_stats_no_frame_on_the_callers_thread(tmp_path: Path, stats: _Stats) -> None:
    seq, kept = _sequence(tmp_path / "seq"), KeptPredictions()
    assert kept.keep(seq, _cache())
    assert stats.frames_by(threading.get_ident()) == 0
    kept.settle()
    others = {t for t, p in stats.calls if t != threading.get_ident() and p.endswith(".png")}
    assert len(others) == 1 and stats.frames_by(others.pop()) == FRAMES  # probed once, on its thread


def test_opening_a_folder_nothing_is_kept_of_stats_no_frame(tmp_path: Path, stats: _Stats) -> None:
    seq, other, kept = _sequence(tmp_path / "seq"), _sequence(tmp_path / "other"), KeptPredictions()
    assert kept.take(other, FRAMES) is None  # nothing kept at all
    assert stats.frames_by(threading.get_ident()) == 0
    assert kept.keep(seq, _cache())
    kept.settle()
    assert kept.take(other, FRAMES) is None  # another folder kept
    assert stats.frames_by(threading.get_ident()) == 0
    assert len(kept) == 1


def test_a_probe_stuck_on_a_dead_drive_does_not_hold_the_close(tmp_path: Path, stats: _Stats) -> None:
    seq, kept, cache = _sequence(tmp_path / "seq"), KeptPredictions(), _cache()
    stats.hold.clear()  # the probe's stats never return (until released)
    assert kept.keep(seq, cache)  # returns at once: the probe waits on its own thread
    assert stats.frames_by(threading.get_ident()) == 0
    assert kept.take(tmp_path / "elsewhere", FRAMES) is None  # nor does opening another video wait for it
    assert len(kept) == 1
    stats.hold.set()
    kept.settle()
    assert kept.take(seq, FRAMES) is cache


def test_an_identity_handed_in_spares_the_callers_stats(tmp_path: Path, stats: _Stats) -> None:
    seq, kept, cache = _sequence(tmp_path / "seq"), KeptPredictions(), _cache()
    assert kept.keep(seq, cache)
    kept.settle()
    probed: list[object] = []
    worker = threading.Thread(target=lambda: probed.append(video_identity(seq)))  # e.g. the opener's thread
    worker.start()
    worker.join()
    stats.calls.clear()
    assert kept.take(seq, FRAMES, identity=probed[0]) is cache  # type: ignore[arg-type]
    assert stats.frames_by(threading.get_ident()) == 0


def test_an_unreadable_video_is_dropped_once_probed(tmp_path: Path) -> None:
    kept = KeptPredictions()
    assert kept.keep(tmp_path / "gone", _cache())  # kept until its probe says it cannot be read
    kept.settle()
    assert len(kept) == 0


def test_a_kept_folder_opened_through_a_link_is_given_back(tmp_path: Path) -> None:
    seq, kept, cache = _sequence(tmp_path / "seq"), KeptPredictions(), _cache()
    (tmp_path / "alias").symlink_to(seq, target_is_directory=True)
    assert kept.keep(seq, cache)
    kept.settle()
    assert kept.take(tmp_path / "alias", FRAMES) is cache  # the same folder (resolved), as before
