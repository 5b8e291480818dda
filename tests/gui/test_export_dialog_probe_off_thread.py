"""The Export dialog's suggested destination is probed off the GUI thread (app.annotation.free_folder):
opening the dialog read the project folder's writability and `<name>-smokeseg`, `-2`, … on the GUI
thread, so a project on a dead network drive froze the window as the dialog opened. Now the dialog
opens at once with the plain name, Export waits for the probe (or for a folder the user types), and the
free name comes when the probe answers; one the user typed meanwhile is kept."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gui.annotation_helpers import demo_window


class _DeadDrive:
    """os.stat / os.access / os.statvfs / os.listdir / os.scandir of the export's folders: counted on
    the GUI thread, held on any other thread until `release()`."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.gui = threading.get_ident()
        self.gui_calls: list[str] = []
        self.counting = False
        self.open = threading.Event()

    def watched(self, path: object) -> bool:
        try:
            text = os.fspath(path)  # type: ignore[arg-type]
        except TypeError:
            return False
        text = text.decode() if isinstance(text, bytes) else text
        return text == self.root or os.path.basename(text).startswith("demo-smokeseg")

    def wrap(self, real):  # noqa: ANN001, ANN202 - any os function taking a path first
        def call(path=".", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if self.watched(path):
                if threading.get_ident() == self.gui:
                    if self.counting:
                        self.gui_calls.append(f"{real.__name__}({path})")
                else:
                    self.open.wait(30)
            return real(path, *args, **kwargs)
        return call

    def release(self) -> None:
        self.open.set()


@pytest.fixture
def dead_drive(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[_DeadDrive]:
    drive = _DeadDrive(tmp_path)
    for name in ("stat", "access", "statvfs", "listdir", "scandir"):
        monkeypatch.setattr(os, name, drive.wrap(getattr(os, name)))
    yield drive
    drive.release()


def test_opening_the_dialog_probes_no_folder_on_the_gui_thread(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                tmp_path: Path, dead_drive: _DeadDrive) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    full = tmp_path / "demo-smokeseg"
    (full / "images").mkdir(parents=True)
    (full / "images" / "a.jpg").write_bytes(b"x")  # a first export's: the free one is -2
    dead_drive.counting = True
    dialog = window.annotation.open_export_dialog()  # the probe's thread is held: the dialog opens all the same
    dead_drive.counting = False
    assert dialog is not None and dialog.isVisible()
    assert dead_drive.gui_calls == []  # was: stat/access of the folder and of demo-smokeseg on the GUI thread
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.probing and not ok.isEnabled() and Path(dialog.dst.text()) == full
    dead_drive.release()
    qtbot.waitUntil(lambda: not dialog.probing)
    assert ok.isEnabled() and Path(dialog.dst.text()) == tmp_path / "demo-smokeseg-2"
    dialog.reject()


def test_a_folder_typed_while_probing_is_kept(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                              dead_drive: _DeadDrive) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    (tmp_path / "demo-smokeseg").mkdir()
    (tmp_path / "demo-smokeseg" / "x").write_text("full")
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None and dialog.probing
    qtbot.keyClicks(dialog.dst, "-mine")  # typed by the user: Export offered at once
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not dialog.probing and ok.isEnabled()
    with qtbot.waitSignal(dialog.free_probe.found):  # the probe's answer comes: dropped
        dead_drive.release()
    assert dialog.dst.text() == str(tmp_path / "demo-smokeseg") + "-mine"
    dialog.reject()
