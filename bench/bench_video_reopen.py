"""What opening a video again costs in model runs: a whole-video prediction of a real clip, another clip
looked at, then the first one opened again and its whole video asked for again (the timeline's curves
complete). "kept" is this version (``fosp_core.video.kept_predictions``: the closed video's predictions
are kept while its model is in use); "old" makes the kept store give nothing back, which is what every
version before it did (the predictions were dropped with the video). The two alternate, round by round.

    python bench/bench_video_reopen.py [--repeats 2] [--videos ijmond]

The model is a randomly initialised fosp-s at the app's default input (its speed is the real model's,
its maps are not). Prints, per video and way: frames predicted again after the reopen, and seconds from
the reopen until every frame has its summary again (medians over --repeats). Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from app.services import CollectingErrorReporter, Services  # noqa: E402
from fosp_core.checkpoint import save_checkpoint  # noqa: E402
from fosp_core.model import build_model  # noqa: E402
from fosp_core.video.predictions import PredictionCache  # noqa: E402

VIDEOS = ROOT.parent / "shared" / "data" / "videos"


def _wait(app: QApplication, until: object, timeout_s: float = 900.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not until() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.002)
    if not until():  # type: ignore[operator]
        raise TimeoutError("the video view did not get there")


def _open(app: QApplication, window: MainWindow, path: Path) -> None:
    video = window.video
    video.open(path)
    _wait(app, lambda: video.shown_index >= 0 and video.worker is not None and video.worker.has_model)


def _whole(app: QApplication, window: MainWindow) -> None:
    video = window.video
    video.predict_whole()
    _wait(app, lambda: not video.worker.whole_running and video.cache.summary_count() == video.frame_count)


def reopen(app: QApplication, window: MainWindow, path: Path, other: Path, kept: bool,
           puts: list[int]) -> tuple[int, float]:
    """(frames predicted again, seconds to full curves) of `path` opened again after `other`."""
    video = window.video
    _open(app, window, path)
    _whole(app, window)
    _open(app, window, other)
    take = video.predictions.kept.take
    if not kept:
        video.predictions.kept.take = lambda *_args: None  # type: ignore[method-assign]
    try:
        before, start = len(puts), time.perf_counter()
        _open(app, window, path)
        _whole(app, window)
        return len(puts) - before, time.perf_counter() - start
    finally:
        video.predictions.kept.take = take  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--videos", default="ijmond", help="'all' or a part of the file names")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    puts: list[int] = []
    put = PredictionCache.put_prepared

    def counted(self: PredictionCache, index: int, *rest: object) -> object:
        puts.append(index)
        return put(self, index, *rest)

    PredictionCache.put_prepared = counted  # type: ignore[method-assign]
    videos = sorted(VIDEOS.glob("*.mp4"))
    chosen = videos if args.videos == "all" else [v for v in videos if args.videos in v.name]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        torch.manual_seed(0)
        checkpoint = save_checkpoint(build_model("fosp-s").eval(), root / "fosp-s-random.safetensors")
        settings = QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
        window.annotation.controller.registry.projects_root = root / "projects"
        window.video.state_root = root / "video-state"
        ctl = window.analysis
        ctl.settings.set_checkpoint(checkpoint)
        _wait(app, lambda: ctl.loaded_checkpoint() is not None)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; fosp-s (random weights), "
              f"video opened again after another, whole video asked for again; medians of {args.repeats}")
        print(f"{'video':40} {'frames':>6} {'old: predicted':>15} {'s':>7} {'kept: predicted':>16} {'s':>6}")
        for path in chosen:
            other = next(v for v in videos if v != path)
            runs: dict[bool, list[tuple[int, float]]] = {False: [], True: []}
            for _ in range(args.repeats):
                for kept in (False, True):
                    runs[kept].append(reopen(app, window, path, other, kept, puts))
            old, new = runs[False], runs[True]
            print(f"{path.name[:40]:40} {window.video.frame_count:6d} "
                  f"{statistics.median(n for n, _ in old):15.0f} {statistics.median(s for _, s in old):7.2f} "
                  f"{statistics.median(n for n, _ in new):16.0f} {statistics.median(s for _, s in new):6.2f}")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        window.close()


if __name__ == "__main__":
    main()
