"""How long leaving a video holds the GUI thread: ``VideoMode.close_video`` as another video opens or
the window goes back to images (its frame decoder stopped, waiting for the frame it decodes, then its
reader closed).

    python bench/bench_video_close.py [--repeats 5] [--idle]

For each video in ../shared/data/videos: open it (``VideoMode.open``), show its first frame, seek to
the middle (a frame being decoded, as when the user switches during playback; --idle: no seek, the
decoder waits), then time
``close_video()`` on the GUI thread. "GUI thread" (old) runs the close there (``close_later`` made to
call at once), "worker" (new) hands it to ``VideoOpener.close_later``; the two alternate, so both see
the same machine load. Medians and maxima over --repeats, milliseconds. Runs offscreen.
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

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from app.services import CollectingErrorReporter, Services  # noqa: E402

VIDEOS = ROOT.parent / "shared" / "data" / "videos"


def _wait(app: QApplication, until: object, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not until() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.001)


def close_ms(app: QApplication, window: MainWindow, path: Path, inline: bool, idle: bool) -> float:
    video = window.video
    video.open(path)
    _wait(app, lambda: video.shown_index == 0)
    if not idle:
        video.seek(video.frame_count // 2)  # being decoded when the video closes
    close_later = video.opener.close_later
    if inline:
        video.opener.close_later = lambda close: close()  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        video.close_video()
        took = time.perf_counter() - start
    finally:
        video.opener.close_later = close_later  # type: ignore[method-assign]
    _wait(app, lambda: all(not t.is_alive() for t in video.opener._threads))
    return 1000 * took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--idle", action="store_true", help="close with no frame being decoded")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
        window.annotation.controller.registry.projects_root = root / "projects"
        window.video.state_root = root / "video-state"
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; close_video on the GUI thread (ms), "
              f"{'decoder idle' if args.idle else 'a frame being decoded'}")
        print(f"{'video':40} {'GUI thread median':>18} {'max':>7} {'worker median':>14} {'max':>7}")
        for path in sorted(VIDEOS.glob("*.mp4")):
            times: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(args.repeats):
                for inline in (True, False):
                    times[inline].append(close_ms(app, window, path, inline, args.idle))
            old, new = times[True], times[False]
            print(f"{path.name[:40]:40} {statistics.median(old):18.2f} {max(old):7.2f} "
                  f"{statistics.median(new):14.2f} {max(new):7.2f}")
        window.close()


if __name__ == "__main__":
    main()
