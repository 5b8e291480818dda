"""The Model panel's loads read their checkpoint on the inference thread, never on the GUI thread (N2,
session 37: a guard, it passed as written): a load, another checkpoint, an Input change, the same file
opened again, a file that fails. An audit hook records each look into the models' folder (open, listing)
and the thread it came from; it records only while this test watches (hooks stay for the process)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

_WATCHED: list[str] = []  # the folder watched now (none: the hook records nothing)
_ON_GUI: list[str] = []  # "event: file name" of each look made on the GUI thread


def _audit(event: str, args: tuple) -> None:
    if (_WATCHED and event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, Path))
            and str(args[0]).startswith(_WATCHED[0]) and threading.current_thread() is threading.main_thread()):
        _ON_GUI.append(f"{event}: {Path(str(args[0])).name}")


sys.addaudithook(_audit)


def test_loads_read_the_checkpoint_off_the_gui_thread(qtbot, make_window, tmp_path, demo_dir,  # noqa: ANN001
                                                     monkeypatch) -> None:
    models = tmp_path / "models"
    first = save_tiny_checkpoint(models / "first.safetensors")
    second = save_tiny_checkpoint(models / "second.safetensors", seed=1)
    broken = models / "broken.safetensors"
    broken.write_bytes(first.read_bytes()[:300])  # cut short
    _WATCHED.append(str(models))
    try:
        window, ctl = ready_window(qtbot, make_window, first, [demo_dir / "JPEGImages"], tmp_path / "projects")
        with qtbot.waitSignal(ctl.model_changed, timeout=WAIT_MS):
            ctl.settings.set_checkpoint(second)
        with qtbot.waitSignal(ctl.model_changed, timeout=WAIT_MS):
            ctl.settings.set_input("384")
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(second), ""))
        with qtbot.waitSignal(ctl.model_changed, timeout=WAIT_MS):
            ctl.action_open_model.trigger()  # the same file again: loaded again
        ctl.settings.set_checkpoint(broken)
        qtbot.waitUntil(lambda: bool(ctl.errors) and ctl._load_request is None, timeout=WAIT_MS)
        request = ctl.run_current()
        qtbot.waitUntil(lambda: request is None or request not in ctl._runs, timeout=WAIT_MS)
        qtbot.wait(200)  # (what model_changed started: the metrics' trained-on line, the kept scores' look)
    finally:
        _WATCHED.clear()
    assert "cut short" in ctl.errors[0] and ctl.settings.checkpoint == second, ctl.errors
    assert _ON_GUI == [], _ON_GUI
