"""Settings that cannot be saved are said at start. With `FOSP_CONFIG` or `FOSP_CACHE` on a folder that
cannot be written (a read-only drive, a path that cannot be made) QSettings wrote nothing, without a word:
every session began again without the recent files, video positions, theme and shortcuts of the last.
/proc stands for such a place (no folder can be made there, even by root)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings

ROOT = Path(__file__).resolve().parents[2]
UNWRITABLE = "/proc/fosp-studio-test"


def test_settings_problem_names_the_file() -> None:
    from app.services import settings_problem

    settings = QSettings(f"{UNWRITABLE}/fosp-studio.ini", QSettings.Format.IniFormat)
    assert settings_problem(settings) == (
        f"Settings cannot be saved: {UNWRITABLE}/fosp-studio.ini cannot be written. Recent files, video "
        "positions, theme and shortcuts will not be kept after this session (set FOSP_CONFIG to a folder you "
        "can write to).")


def test_writable_settings_have_no_problem(tmp_path: Path) -> None:
    from app.services import settings_problem

    assert settings_problem(QSettings(str(tmp_path / "new" / "x.ini"), QSettings.Format.IniFormat)) is None


#: app.main.main with the event loop replaced by an immediate return: what it printed and the notices shown.
_START = """
import json, sys
from PySide6.QtWidgets import QApplication, QMessageBox
QApplication.exec = lambda self: 0
import app.main
code = app.main.main([sys.argv[1]])
boxes = [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
print("SEEN " + json.dumps([code, boxes]))
"""


def test_the_app_says_so_at_start(tmp_path: Path) -> None:
    image = next((ROOT / "resources" / "demo" / "JPEGImages").glob("*.jpg"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FOSP_CONFIG": UNWRITABLE, "HOME": str(tmp_path),
           "FOSP_CACHE": str(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    done = subprocess.run([sys.executable, "-c", _START, str(image)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    seen = [line for line in done.stdout.splitlines() if line.startswith("SEEN ")]
    assert seen, done.stderr[-3000:]
    code, boxes = json.loads(seen[-1].removeprefix("SEEN "))
    assert code == 0
    assert [box for box in boxes if box.startswith("Settings cannot be saved")], boxes  # was none
    assert f"fosp-studio: Settings cannot be saved: {UNWRITABLE}/fosp-studio.ini" in done.stderr
