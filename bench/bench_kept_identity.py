"""How long the kept predictions of videos (``fosp_core.video.kept_predictions``) hold the calling thread
(the GUI's) for an image-sequence folder of many frames: a video closed (``keep``), another video opened
(``take`` of a folder nothing is kept of) and the same video opened again (``take`` of the kept one).

    python bench/bench_kept_identity.py [--frames 3000] [--repeats 5] [--stat-ms 0.0]

"old" computes :func:`~fosp_core.video.kept_predictions.video_identity` on the calling thread at each
call, as every version before session 29 did (the frames' names, sizes and modification times: one
``stat`` a frame); "thread" is cdb2564's way: ``keep`` probes on a thread of its own, ``take`` of the kept
folder on the caller (no identity handed in); "opener" is the app's since f8e9239: the identity probed on
the opener's thread at the opening (timed apart, as "opener thread: probe", not the GUI's) and handed to
``keep`` and ``take``. The three alternate, round by round, on the same folders. ``--stat-ms`` adds that
much sleep to every ``os.stat`` (a slow network drive; the folder listing itself is not slowed). Prints
medians and maxima in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from fosp_core.video.kept_predictions import KeptPredictions, video_identity  # noqa: E402
from fosp_core.video.predictions import PredictionCache  # noqa: E402


def _folder(root: Path, name: str, frames: int) -> Path:
    folder = root / name
    folder.mkdir()
    for i in range(frames):
        (folder / f"frame_{i:05d}.png").write_bytes(b"png bytes of frame %d" % i)
    return folder


def _cache(frames: int) -> PredictionCache:
    cache = PredictionCache(frames)
    cache.reset("model#1|plain")
    for i in range(min(frames, 8)):
        cache.put(i, np.full((4, 4), 0.5, np.float32))
    return cache


def _ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000.0


def _old_round(seq: Path, other: Path) -> dict[str, float]:
    """The calls the old ``keep``/``take`` made on the calling thread (the dictionary work aside)."""
    return {"keep (close)": _ms(lambda: video_identity(seq)),
            "take, another folder": _ms(lambda: video_identity(other)),
            "take, the kept folder": _ms(lambda: video_identity(seq))}


def _thread_round(seq: Path, other: Path, frames: int) -> dict[str, float]:
    """cdb2564's: the close's probe on a thread of its own, the kept folder opened again probed here."""
    kept = KeptPredictions()
    cache = _cache(frames)
    times = {"keep (close)": _ms(lambda: kept.keep(seq, cache))}
    kept.settle()  # the identity probe of the closed video, on its thread (not timed: not the GUI's)
    times["take, another folder"] = _ms(lambda: kept.take(other, frames))
    got: list[object] = []
    times["take, the kept folder"] = _ms(lambda: got.append(kept.take(seq, frames)))
    assert got[0] is cache, "the kept folder's cache was not given back"
    return times


def _opener_round(seq: Path, other: Path, frames: int) -> dict[str, float]:
    """The app's: each opening's identity probed on the opener's thread, handed to keep and take."""
    kept = KeptPredictions()
    cache = _cache(frames)
    probed: list[object] = []
    opener = threading.Thread(target=lambda: probed.append(_ms(lambda: probed.append(video_identity(seq)))))
    opener.start()
    opener.join()
    identity, probe_ms = probed
    times = {"opener thread: probe": float(probe_ms)}  # type: ignore[arg-type]
    times["keep (close)"] = _ms(lambda: kept.keep(seq, cache, identity))  # type: ignore[arg-type]
    other_identity = video_identity(other)  # the opener's, for the other folder (not timed)
    times["take, another folder"] = _ms(lambda: kept.take(other, frames, identity=other_identity))
    got: list[object] = []
    times["take, the kept folder"] = _ms(lambda: got.append(kept.take(seq, frames, identity=identity)))  # type: ignore[arg-type]
    assert got[0] is cache, "the kept folder's cache was not given back"
    return times


ROUNDS: dict[str, Callable[[Path, Path, int], dict[str, float]]] = {
    "old": lambda seq, other, _frames: _old_round(seq, other), "thread": _thread_round, "opener": _opener_round}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--stat-ms", type=float, default=0.0, help="sleep added to every os.stat")
    args = parser.parse_args()
    real_stat = os.stat
    if args.stat_ms > 0:
        def slow_stat(*a: object, **k: object) -> os.stat_result:
            time.sleep(args.stat_ms / 1000.0)
            return real_stat(*a, **k)  # type: ignore[arg-type]
        os.stat = slow_stat  # type: ignore[assignment]
    rows: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        seq, other = _folder(Path(tmp), "seq", args.frames), _folder(Path(tmp), "other", args.frames)
        for _ in range(args.repeats):
            for way, run in ROUNDS.items():
                got = run(seq, other, args.frames)
                for step, ms in got.items():
                    rows.setdefault((way, step), []).append(ms)
    os.stat = real_stat
    load = os.getloadavg()[0]
    print(f"{args.frames} frames, {args.repeats} rounds, os.stat +{args.stat_ms:g} ms, load {load:.1f}")
    print("| way | call | ms median (GUI thread but the opener's probe) | max |")
    print("|---|---|---|---|")
    for (way, step), values in rows.items():
        print(f"| {way} | {step} | {statistics.median(values):.2f} | {max(values):.2f} |")


if __name__ == "__main__":
    main()
