"""Pressing Start in the Fine-tune dialog leaves the GUI thread free: planning the run imported torch
(with the dataset reader, about 1.5-2.5 s the first time), resolved the recipe and opened the
dataset's images on the GUI thread. Now the plan is made on a worker thread and the run starts when it
comes. Checked in a fresh process (what this test process imported counts for nothing): a window
without a model, the dataset path typed into the dialog, Start clicked; a meta path finder records the
thread that first imports torch (the Device box's list, made on the inference thread, may be first) and
each torch or fosp_core module imported on the GUI thread after Start, an audit hook each look into the dataset folder (listing, opening)
and a wrapper the thread that resolves the recipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: argv: dataset, checkpoint, tmp. Prints TORCH <where torch was first imported>, RECIPE <threads that
#: resolved a recipe>, GUI_IMPORTS <count> <the first few torch/fosp_core modules imported on the GUI
#: thread after Start>, GUI_LOOKS <count> <first few events>, STARTED <the run started>.
_SCRIPT = """
import importlib.abc, sys, threading
from pathlib import Path
dataset, checkpoint, tmp = sys.argv[1], sys.argv[2], Path(sys.argv[3])
def on_gui():
    return threading.current_thread() is threading.main_thread()
first, pressed, gui_imports = [], [], []
class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "torch" and not first:
            first.append("GUI_THREAD" if on_gui() else "OTHER_THREAD")
        if pressed and on_gui() and name.split(".")[0] in ("torch", "fosp_core"):
            gui_imports.append(name)
        return None
sys.meta_path.insert(0, Spy())
gui_looks = []
def audit(event, args):
    if event in ("open", "os.listdir", "os.scandir", "glob.glob") and args and isinstance(args[0], (str, Path)):
        if str(args[0]).startswith(dataset) and on_gui():
            gui_looks.append(f"{event}:{Path(str(args[0])).name}")
sys.addaudithook(audit)
import fosp_core.train.finetune as finetune
recipe_threads = []
real_load = finetune.load_config
def load_config(*a, **k):
    recipe_threads.append("GUI_THREAD" if on_gui() else "OTHER_THREAD")
    return real_load(*a, **k)
finetune.load_config = load_config
from PySide6.QtCore import QEventLoop, QSettings, QTimer, Qt
from PySide6.QtTest import QTest
from app.main import create_app
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
def wait(done, seconds=120.0):
    for _ in range(int(seconds * 10)):
        if done():
            return True
        loop = QEventLoop()
        QTimer.singleShot(100, loop.quit)
        loop.exec()
    return done()
app = create_app([sys.argv[0]])
window = MainWindow(Services(settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
                             error_reporter=CollectingErrorReporter(), default_model=None))
window.annotation.controller.registry.projects_root = tmp / "projects"
window.training.runs_dir = str(tmp / "runs")
window.show()
dialog = window.training.open_dialog()
dialog.extra_overrides = ["data.scale=96", "train.val_size=96", "data.workers=0", "train.threads=1"]
dialog.checkpoint_edit.setText(checkpoint)
dialog.iterations.setValue(5)
dialog.crop.setCurrentIndex(dialog.crop.findData(128))
dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
for char in dataset:
    QTest.keyClicks(dialog.dataset_edit, char)
    app.processEvents()
reading = getattr(dialog.form, "reading", lambda: False)
wait(lambda: not reading())
pressed.append(True)
QTest.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
started = wait(lambda: dialog.worker.running() or "Checking" not in dialog.status.text())
started = started and dialog.worker.running()
print("STATUS", dialog.status.text().replace(chr(10), " "))
dialog.worker.wait_stopped(2000)
print("TORCH", first[0] if first else "NONE")
print("RECIPE", *recipe_threads)
print("GUI_IMPORTS", len(gui_imports), *gui_imports[:5])
print("GUI_LOOKS", len(gui_looks), *gui_looks[:5])
print("STARTED", started)
window.close()
"""


def _seen(stdout: str, key: str) -> list[str]:
    return [line.split()[1:] for line in stdout.splitlines() if line.startswith(key + " ")][-1]


def test_start_plans_the_run_off_the_gui_thread(tmp_path: Path, export: Path, tiny_checkpoint: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(export), str(tiny_checkpoint), str(tmp_path)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert _seen(out, "STARTED") == ["True"], out + done.stderr[-2000:]
    assert _seen(out, "TORCH") == ["OTHER_THREAD"], out
    assert _seen(out, "RECIPE") and set(_seen(out, "RECIPE")) == {"OTHER_THREAD"}, out
    assert _seen(out, "GUI_LOOKS") == ["0"], out
    assert _seen(out, "GUI_IMPORTS") == ["0"], out
