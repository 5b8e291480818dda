"""The app starts without importing torch until a model is needed (torch was ~1.5 s of a ~2.7 s
`import app.main_window`: the Model panel read `PRECISIONS` from `fosp_core.infer.devices`, which
imported torch with the module; the window's device list ran `fosp info`'s probe on the GUI thread).
Now the window module imports without torch, a window with no model is built, shown and fills the
demo folder without it (its Device box lists the devices once its list is opened, from the inference
thread), and with a default model torch is first imported on the inference thread, never on the GUI
thread, and the model still loads at start. Each check runs in a fresh Python
process, so what this test process imported (pytest, the test helpers' torch) counts for nothing.
`bench/bench_app_start.py` times it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.gui.tiny_model import save_tiny_checkpoint

#: Records the thread that first asks for torch (a meta path finder sees each import of a module not
#: in sys.modules yet), then runs the statement in argv[1]; prints what it saw.
_SPY = """
import importlib.abc, sys, threading
first = []
class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "torch" and not first:
            first.append(threading.current_thread() is threading.main_thread())
        return None
sys.meta_path.insert(0, Spy())
exec(sys.argv[1])
print("TORCH", "torch" in sys.modules, "GUI_THREAD" if first and first[0] else "OTHER_THREAD" if first else "NONE")
"""

#: Imports app.main and app.main_window and says whether torch came with them; builds a window as
#: `app.main.main` does (create_app, MainWindow(services), show, open the demo folder), with throw-away settings, projects under argv[2] and the default model argv[3] ("" = none);
#: waits for the decodes, paints the window, prints what it saw; then, with a model, waits for it to
#: load, without one opens the Device box's list and waits for the devices.
_WINDOW = """
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from app.main import create_app
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
from fosp_core.paths import DEMO_DIR
print("IMPORTED", "torch" in sys.modules, "ASKED" if first else "NONE")  # app.main, app.main_window: no torch
tmp, model = Path(sys.argv[2]), (Path(sys.argv[3]) if sys.argv[3] else None)
def wait(done, seconds=60.0):
    for _ in range(int(seconds * 10)):
        if done():
            return True
        loop = QEventLoop()
        QTimer.singleShot(100, loop.quit)
        loop.exec()
    return done()
app = create_app([sys.argv[0]])
reporter = CollectingErrorReporter()
window = MainWindow(Services(settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
                             error_reporter=reporter, default_model=model))
window.annotation.controller.registry.projects_root = tmp / "projects"
window.analysis.worker.set_input_size(64)
window.show()
window.open_paths([DEMO_DIR], remember=False, background=False)
assert wait(lambda: window.session.current_image is not None and window.loader.pending == 0), reporter.lines()
window.grab()
app.processEvents()
combo = window.analysis.panel.device_combo
looking = getattr(combo, "looking", lambda: False)  # (a plain QComboBox before the change)
print("BUILT", "torch" in sys.modules, len(window.session), combo.count(), looking())
if model is None:  # the Device box's list opened: the inference thread looks for the devices
    combo.showPopup()
    wait(lambda: not looking())
    combo.hidePopup()
    print("LISTED", combo.count(), looking(), combo.currentData())
else:
    wait(lambda: window.analysis.model is not None)
    print("MODEL", window.analysis.model is not None, window.analysis.panel.run_button.isEnabled())
    print("DEVICES", window.analysis.panel.device_combo.count())
window.close()
"""


def _run(statement: str, *args: str) -> tuple[str, str]:
    """(stdout, stderr) of `statement` run under the torch spy in a fresh offscreen process."""
    done = subprocess.run([sys.executable, "-c", _SPY, statement, *args], capture_output=True, text=True,
                          timeout=240, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


def _seen(stdout: str, key: str) -> list[str]:
    return [line.split()[1:] for line in stdout.splitlines() if line.startswith(key + " ")][-1]


def test_a_window_without_a_model_is_built_shown_and_filled_without_torch(tmp_path: Path) -> None:
    stdout, stderr = _run(_WINDOW, str(tmp_path), "")
    # importing app.main and app.main_window imports no torch (a process of its own before session 34)
    assert _seen(stdout, "IMPORTED") == ["False", "NONE"], stderr[-2000:]
    torch_in, images, devices, looking = _seen(stdout, "BUILT")
    assert torch_in == "False" and int(images) > 0, stderr[-2000:]
    assert (devices, looking) == ("2", "True"), stdout  # "Automatic", "looking for devices…"
    # the list opened: the devices came from the inference thread, which imported torch
    count, looking, chosen = _seen(stdout, "LISTED")
    assert int(count) >= 2 and looking == "False" and chosen == "auto", stdout
    assert _seen(stdout, "TORCH") == ["True", "OTHER_THREAD"], stderr[-2000:]


def test_the_default_model_loads_at_start_with_torch_imported_off_the_gui_thread(tmp_path: Path) -> None:
    model = save_tiny_checkpoint(tmp_path / "default.safetensors")
    stdout, stderr = _run(_WINDOW, str(tmp_path), str(model))
    assert _seen(stdout, "IMPORTED") == ["False", "NONE"], stderr[-2000:]
    assert int(_seen(stdout, "BUILT")[1]) > 0, stdout
    assert _seen(stdout, "MODEL") == ["True", "True"], stderr[-2000:]  # loaded at start, Run enabled
    assert int(_seen(stdout, "DEVICES")[0]) >= 2, stdout  # the device list came with the load: auto, cpu, ...
    assert _seen(stdout, "TORCH") == ["True", "OTHER_THREAD"], stderr[-2000:]
