"""The video export's thread (`app.video.exporting.VideoExporter.export`) emits its outcome on a parentless
relay (`app.relay.ValueRelay`) it holds, never on the VideoExporter, a child of the window: the window's close
waits for an export at most `shutdown`'s time, and one still reading a frame then (a dead network drive) went on
to emit ``finished`` on the exporter the close deletes - a crash, not an exception (`app.relay`'s rule; as
8fe30ce did for Pre-label All's count). The outcome still reaches ``finished``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

from app.video import exporting
from app.video.exporting import VideoExporter
from fosp_core.video.timeline import VideoAnnotations

WAIT_MS = 10_000


class _HeldThread:
    """Stands in for threading.Thread: keeps what it is handed, runs it when the test says."""

    made: list[_HeldThread] = []

    def __init__(self, target, args=(), **_kwargs) -> None:  # noqa: ANN001
        self.target, self.args = target, tuple(args)
        _HeldThread.made.append(self)

    def start(self) -> None:
        pass

    def is_alive(self) -> bool:
        return False


def _handed(target: object, args: tuple[object, ...]) -> list[object]:
    """What the thread is handed: its target's `self`, its arguments, what a closure or an object of the app's
    among them holds, and so on."""
    found: list[object] = []
    todo = [target, *args]
    while todo:
        item = todo.pop()
        if any(item is seen for seen in found):
            continue
        found.append(item)
        todo.append(getattr(item, "__self__", None))
        todo.extend(getattr(item, "args", ()) if callable(item) and hasattr(item, "func") else ())  # a partial
        todo.extend(cell.cell_contents for cell in getattr(item, "__closure__", None) or ())
        if type(item).__module__.startswith("app.") and not isinstance(item, QObject):  # a job object of the app
            todo.extend(vars(item).values())
    return found


def test_the_export_thread_holds_no_object_of_the_window(qtbot, tmp_path: Path,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    exporter = VideoExporter(window)
    notes = VideoAnnotations(tmp_path / "clip.mp4", 16, (120, 160), folder=tmp_path / "state")
    notes.save_mask(0, np.ones(notes.shape, np.uint8))

    def unreadable(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError("the drive went away")

    monkeypatch.setattr(exporting, "open_video", unreadable)
    monkeypatch.setattr(exporting.threading, "Thread", _HeldThread)
    told: list[str] = []
    monkeypatch.setattr(exporting, "tell_quietly", lambda _w, _title, text, *_a: told.append(text))
    _HeldThread.made.clear()
    exporter.export(notes, tmp_path / "clip.mp4", [0], tmp_path / "out", splits=None)

    (thread,) = _HeldThread.made
    handed = _handed(thread.target, thread.args)
    qobjects = [o for o in handed if isinstance(o, QObject)]
    assert exporter not in handed and window not in handed  # the exporter was the closure's `self`
    assert qobjects and all(o.parent() is None for o in qobjects)  # only a parentless relay

    with qtbot.waitSignal(exporter.finished, timeout=WAIT_MS) as outcome:
        thread.target(*thread.args)  # the export, here: its outcome queued to the GUI thread, as before
    assert outcome.args == ["the drive went away"]
    assert told == ["the drive went away"]
    notes.stop_saves()
