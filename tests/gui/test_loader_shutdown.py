"""A huge image still decoding must not hold the window up: closing it returns at once (the
decode's result is dropped), the process exits promptly and cleanly, and the next image shows
without waiting. A slow decode is stood in by a `read_image` that waits for the test to release it
before decoding a real sample (a decode that cannot be interrupted, e.g. from a slow disk), or is a
real huge PNG. What is checked is the order of events (the window closed, or the next image shown,
while the slow decode was still held), never a time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import app.loader
from app.loader import wait_for_decodes
from app.main_window import MainWindow
from fosp_core.io.images import LoadedImage, read_image
from tests.big_png import write_big_png

from .conftest import WindowFactory

HELD_S = 10.0  # the longest a slow stand-in decode is held (a 12000x9000 JPEG takes 2-10 s to decode)


class SlowDecodes:
    """Counts decodes of files named slow*: each waits for `release` (HELD_S at most) first, and counts
    in `finished` once it got past the wait."""

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self.release = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, path: str | Path, *, min_side: int | None = None, cancelled=None) -> LoadedImage:
        if Path(path).name.startswith("slow"):
            with self._lock:
                self.started += 1
            self.release.wait(HELD_S)
            with self._lock:
                self.finished += 1
        return read_image(path, min_side=min_side, cancelled=cancelled)


@pytest.fixture()
def slow_decodes(monkeypatch: pytest.MonkeyPatch) -> SlowDecodes:
    slow = SlowDecodes()
    monkeypatch.setattr(app.loader, "read_image", slow)
    yield slow
    slow.release.set()
    assert wait_for_decodes(timeout=HELD_S * 2)  # no held worker outlives the test


@pytest.fixture()
def samples(tmp_path: Path, demo_dir: Path) -> list[Path]:
    """Two real images in a folder of their own: slow.jpg (decodes slowly) then to_next.jpg."""
    folder = tmp_path / "images"
    folder.mkdir()
    first, second = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]
    return [Path(shutil.copy(first, folder / "slow.jpg")), Path(shutil.copy(second, folder / "to_next.jpg"))]


def _window(make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    return window


def test_close_does_not_wait_for_a_running_decode(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                  slow_decodes: SlowDecodes, samples: list[Path]) -> None:
    window = _window(make_window, tmp_path)
    window.open_paths([samples[0]], remember=False)
    qtbot.waitUntil(lambda: slow_decodes.started >= 1, timeout=5_000)  # (its thumbnail may start too)
    window.close()
    assert slow_decodes.finished == 0  # closed while the decode was still held: it waited for none
    assert window.loader.closed
    slow_decodes.release.set()
    assert wait_for_decodes(timeout=HELD_S * 2)  # the decode finishes; its result must go nowhere
    qtbot.wait(50)
    assert window.session.current_image is None
    assert window.loader.pending == 0


def test_next_image_does_not_wait_for_a_running_decode(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                       slow_decodes: SlowDecodes, samples: list[Path]) -> None:
    window = _window(make_window, tmp_path)
    window.open_paths([samples[0].parent], remember=False)
    assert window.session.current_path == samples[0]
    window.image_list.request_visible_thumbnails()  # the slow image's thumbnail decodes too
    qtbot.waitUntil(lambda: slow_decodes.started == 2, timeout=5_000)  # full image + thumbnail
    window.session.set_current(1)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=int(HELD_S * 1000))
    assert slow_decodes.finished == 0  # shown while both slow decodes were still held
    assert window.session.current_path == samples[1]


EXIT_SLOW_S = 60.0  # the thumbnail's stand-in decode in the exit test: the old exit waited for it

_SCRIPT = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
import app.loader
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services

started, held = [], []
real_read_image = app.loader.read_image
def traced(path, *, min_side=None, cancelled=None):
    started.append(min_side)
    if min_side is not None:  # the thumbnail: a decode that cannot be interrupted (a slow disk)
        held.append(1)
        time.sleep({slow_s})
        held.pop()
        print("held_decode_ended", flush=True)  # never printed when the process exits without waiting for it
    return real_read_image(path, min_side=min_side, cancelled=cancelled)
app.loader.read_image = traced

tmp = Path(sys.argv[1])
qapp = QApplication([])
window = MainWindow(Services(settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
                             error_reporter=CollectingErrorReporter()))
window.annotation.controller.registry.projects_root = tmp / "projects"
window.video.state_root = tmp / "video-state"
window.show()
window.open_paths([Path(sys.argv[2])], remember=False)
window.image_list.request_visible_thumbnails()
while len(started) < 2:  # the full image (a real, seconds-long decode) and its thumbnail
    qapp.processEvents()
    time.sleep(0.01)
time.sleep(0.3)  # well into the decode
window.close()
print(f"held_after_close {{len(held)}}", flush=True)  # 0: close waited for the thumbnail's decode
window.deleteLater()  # the window's Qt objects are gone before the decodes end
qapp.processEvents()
print("closed", flush=True)
"""


def test_process_exits_promptly_and_cleanly_after_closing_during_decodes(tmp_path: Path) -> None:
    big = write_big_png(tmp_path / "huge.png", 8000, 8000)  # decodes in 2-5 s
    script = tmp_path / "close_during_decode.py"
    script.write_text(textwrap.dedent(_SCRIPT.format(slow_s=EXIT_SLOW_S)))
    env = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(app.loader.__file__).parents[1])}
    try:
        done = subprocess.run([sys.executable, str(script), str(tmp_path), str(big)], capture_output=True,
                              text=True, timeout=EXIT_SLOW_S - 10, env={**os.environ, **env})
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the process waited for the decodes to end: {exc.stdout!r}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("held_after_close ")[1].split()[0] == "1", done.stdout  # it waited for none
    # the interpreter's exit did not wait for the held decode (it sleeps EXIT_SLOW_S, beyond the run's timeout
    # too): an order of events, no clock read (the old exit waited for the decodes: 25.6 s after the close)
    assert "held_decode_ended" not in done.stdout and "closed" in done.stdout.split(), done.stdout
    for bad in ("QThread", "Traceback", "RuntimeError", "deleted", "terminate", "Fatal", "exception"):
        assert bad not in done.stderr, done.stderr
