"""The app quits when its window closes while a disk that stopped answering holds an export's write (session 34).

Closing the window during an export asks to stop it; the close then waits `export_dialog.CLOSE_WAIT_S` at most
and leaves an export still held to its thread (`ExportDialog.stop_and_wait`, session 33). That thread is Qt's
global pool's, which Qt waits for when the application ends: the window was gone but the process stayed, for as
long as the disk held the write (for good, on a drive pulled). Now the end of `app.main.main` ends the process
without waiting for an export left so (`export_worker.quit_leaving_exports`), saying on stderr that it was
abandoned and where its unfinished copy is (beside the destination; the next export there removes it, as after
a cancel), the settings written first. The test runs the real `main()` in a child process, the export's write held
for good (an Event never set); the child's run is bounded only so that a hang fails the test instead of the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core.data.smokeseg_debris import tmp_prefix

_CHILD = r'''
import sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from app import main as app_main
from app.annotation import export_dialog, export_worker

held = threading.Event()

def dead_disk(*_a, **_k):  # the export's write: a disk that never answers
    held.set()
    threading.Event().wait()

export_worker.export_smokeseg = dead_disk
export_dialog.CLOSE_WAIT_S = 0.05
QMessageBox.question = staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)  # "Stop the export?" Yes
out = Path(sys.argv[2])

def later(step):
    QTimer.singleShot(50, step)

def export():
    windows = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible()]
    if not windows or windows[0].annotation.worklist.project is None:
        return later(export)
    window = windows[0]
    dialog = window.annotation.open_export_dialog()

    def start():
        if dialog.probing:
            return later(start)
        dialog.dst.setText(str(out))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        close()

    def close():
        if not held.is_set():
            return later(close)
        print("export held; closing the window", flush=True)
        window.close()

    start()

real_create = app_main.create_app

def create_app(*args, **kwargs):
    app = real_create(*args, **kwargs)
    QTimer.singleShot(0, export)
    return app

app_main.create_app = create_app
code = app_main.main([sys.argv[1]])
print(f"main returned {code}", flush=True)
sys.exit(code)
'''

CHILD_BOUND_S = 120  # a child still running then has not quit: killed, and the test fails


def test_the_app_quits_when_its_window_closes_during_an_export_a_dead_disk_holds(demo_dir: Path,
                                                                                  tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    for src in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:3]:
        shutil.copyfile(src, photos / src.name)
    out = tmp_path / "out"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "FOSP_CONFIG": str(tmp_path / "config")}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(photos), str(out)], env=env,
                             cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = child.communicate(timeout=CHILD_BOUND_S)
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, stderr = child.communicate()
        pytest.fail(f"the process stayed alive after its window closed (the export left to Qt's pool)\n"
                    f"{stdout}\n{stderr[-3000:]}")
    assert "export held; closing the window" in stdout, (stdout, stderr[-3000:])
    assert child.returncode == 0, (child.returncode, stdout, stderr[-3000:])
    assert f"export to {out}" in stderr and "abandoned" in stderr, stderr[-3000:]
    settings = (tmp_path / "config" / "fosp-studio.ini").read_text(encoding="utf-8")
    assert "geometry=" in settings, settings  # the window's, written before the process ended
    child_prefix = tmp_prefix(out).removesuffix(f"{os.getpid()}.") + f"{child.pid}."  # the child's folder name
    assert str(out.parent / child_prefix) in stderr, stderr[-3000:]  # its unfinished copy, named
