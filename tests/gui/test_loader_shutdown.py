"""A huge image still decoding must not hold the window up: closing it returns at once (the
decode's result is dropped, the process exits cleanly), and the next image shows without waiting.
A slow decode is stood in by a `read_image` that sleeps before decoding a real sample."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import app.loader
from app.loader import wait_for_detached_decodes
from app.main_window import MainWindow
from fosp_core.io.images import LoadedImage, read_image

from .conftest import WindowFactory

SLOW_S = 2.0  # a 12000x9000 JPEG takes 2-10 s to decode


class SlowDecodes:
    """Counts decodes of files named slow*; each sleeps SLOW_S first."""

    def __init__(self) -> None:
        self.started = 0
        self._lock = threading.Lock()

    def __call__(self, path: str | Path, min_side: int | None = None) -> LoadedImage:
        if Path(path).name.startswith("slow"):
            with self._lock:
                self.started += 1
            time.sleep(SLOW_S)
        return read_image(path, min_side=min_side)


@pytest.fixture()
def slow_decodes(monkeypatch: pytest.MonkeyPatch) -> SlowDecodes:
    slow = SlowDecodes()
    monkeypatch.setattr(app.loader, "read_image", slow)
    yield slow
    wait_for_detached_decodes()  # no sleeping pool thread outlives the test


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


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_close_does_not_wait_for_a_running_decode(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                  slow_decodes: SlowDecodes, samples: list[Path]) -> None:
    window = _window(make_window, tmp_path)
    window.open_paths([samples[0]], remember=False)
    qtbot.waitUntil(lambda: slow_decodes.started == 1, timeout=5_000)
    assert _timed(window.close) < 0.5
    assert window.loader.closed
    wait_for_detached_decodes()  # the decode finishes; its result must go nowhere
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
    start = time.perf_counter()
    window.session.set_current(1)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=int(SLOW_S * 2000))
    assert time.perf_counter() - start < SLOW_S / 2
    assert window.session.current_path == samples[1]


_SCRIPT = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
import app.loader
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
from fosp_core.io.images import read_image

started = []
def slow(path, min_side=None):
    started.append(path)
    time.sleep({slow_s})
    return read_image(path, min_side=min_side)
app.loader.read_image = slow

tmp = Path(sys.argv[1])
qapp = QApplication([])
window = MainWindow(Services(settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
                             error_reporter=CollectingErrorReporter()))
window.annotation.controller.registry.projects_root = tmp / "projects"
window.video.state_root = tmp / "video-state"
window.show()
window.open_paths([Path(sys.argv[2])], remember=False)
while not started:
    qapp.processEvents()
    time.sleep(0.01)
start = time.perf_counter()
window.close()
print(f"close {{time.perf_counter() - start:.3f}}", flush=True)
window.deleteLater()  # the window's Qt objects are gone before the decode's result arrives
qapp.processEvents()
"""


def test_process_exits_cleanly_after_closing_during_a_decode(tmp_path: Path, samples: list[Path]) -> None:
    script = tmp_path / "close_during_decode.py"
    script.write_text(textwrap.dedent(_SCRIPT.format(slow_s=SLOW_S)))
    env = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(app.loader.__file__).parents[1])}
    done = subprocess.run([sys.executable, str(script), str(tmp_path), str(samples[0])], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.split("close ")[1]) < 0.5, done.stdout
    for bad in ("QThread", "Traceback", "RuntimeError", "deleted"):
        assert bad not in done.stderr, done.stderr
