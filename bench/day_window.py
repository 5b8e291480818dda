"""What the day benches share (`bench_all_day.py`, `bench_annotator_day.py`): their environment, the
shared data, the real SMOKE5K photos, running the event loop, and the shown main window.

Import it first, before anything that imports Qt or torch: it sets `QT_QPA_PLATFORM=offscreen` and
`OMP_WAIT_POLICY=PASSIVE` (unless already set) and puts the repository and `bench/` on `sys.path`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from gui_window import wait_until  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from app.services import CollectingErrorReporter, Services  # noqa: E402

DATA = Path("/work/shared/data")


def real_photos() -> list[Path]:
    """The SMOKE5K training photos whose names are not all digits (the real ones), sorted."""
    return [p for p in sorted((DATA / "smoke5k-train" / "img").glob("*.jpg")) if not p.stem.replace("_", "").isdigit()]


def idle(ms: int = 30) -> None:
    """Run the event loop (exec, as the app's) for `ms`: deferred deletions posted from other threads
    are only carried out inside a running loop, never by processEvents."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def make_window(tmp: Path, checkpoint: Path, input_size: int | None) -> MainWindow:
    """The shown main window (1000x700), its settings and annotation projects under `tmp`, `checkpoint`
    loaded at network input `input_size` (None: the model's own)."""
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp / "projects"
    window.video.state_root = tmp / "video-state"
    window.resize(1000, 700)
    window.show()
    ctl = window.analysis
    if input_size is not None:
        ctl.worker.set_input_size(input_size)
    ctl.settings.set_checkpoint(checkpoint)
    assert wait_until(lambda: ctl.model is not None, 300), ctl.errors
    return window
