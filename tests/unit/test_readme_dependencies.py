"""The README's "Why these dependencies" names every Qt module the app loads: all of them come with
PySide6-Essentials, the Qt for Python build the app depends on."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def qt_modules_loaded() -> set[str]:
    """The PySide6.Qt* modules in sys.modules once the main window's module is imported (a fresh
    interpreter: this process's tests import others)."""
    code = ("import sys, app.main_window; "
            "print(' '.join(m.split('.')[1] for m in sys.modules if m.startswith('PySide6.Qt')))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    return set(done.stdout.split())


def test_every_qt_module_the_app_loads_is_named_and_in_essentials() -> None:
    """It said 'QtCore/QtGui/QtWidgets/QtOpenGL only'; pyqtgraph and qtawesome load QtOpenGLWidgets,
    QtSvg and QtTest too."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bullet = readme.split("- **PySide6-Essentials**", 1)[1].split("\n- ", 1)[0]
    loaded = qt_modules_loaded()
    assert {"QtCore", "QtGui", "QtWidgets"} <= loaded
    assert sorted(m for m in loaded if m not in bullet.replace(",", " ").split()) == []
    shipped = {Path(str(f)).name.split(".")[0] for f in importlib.metadata.files("PySide6-Essentials") or []}
    assert sorted(loaded - shipped) == []
