"""The video's Export frames dialog started one destination-check thread for every OK and every Browse: on a
dead drive each of them hung for good (OK was pressed again after Replace was toggled or the folder browsed to
again, or the dialog opened again), a pile-up of threads that never end. Now one check runs per destination's
parent folder at a time (for every dialog): the asks that come meanwhile wait for it, the newest of each
dialog, and are answered after it; a folder elsewhere is still checked at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from app.video.export_dialog import VideoExportDialog

NAME = "video-export-destination-check"


def _checks_alive() -> int:
    return sum(1 for t in threading.enumerate() if t.name == NAME and t.is_alive())


class _DeadDrive:
    """A destination check that hangs for every folder under `root` until released; counts its calls."""

    def __init__(self, root: Path) -> None:
        self.root, self.released, self.calls = root, threading.Event(), []

    def __call__(self, dst: Path) -> str | None:
        self.calls.append(dst)
        if self.root in dst.parents:
            self.released.wait(30)
        return None


@pytest.fixture()
def dead(tmp_path: Path) -> Iterator[_DeadDrive]:
    drive = _DeadDrive(tmp_path / "dead")
    yield drive
    drive.released.set()  # no check left hanging after the test


def test_ok_and_browse_on_a_dead_drive_hold_one_check_thread(qtbot, monkeypatch, tmp_path: Path,  # noqa: ANN001
                                                             dead: _DeadDrive) -> None:
    before = _checks_alive()
    dialog = VideoExportDialog(tmp_path / "dead" / "out", {"keyframes": 3, "edited": 3}, check=dead)
    qtbot.addWidget(dialog)
    for _ in range(4):  # OK waits; Replace toggled (OK on again); OK again...
        dialog.ok_button.click()
        assert dialog.checking and not dialog.ok_button.isEnabled()
        dialog.overwrite.toggle()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path / "dead" / "other"))
    for _ in range(3):
        dialog._browse()
    again = VideoExportDialog(tmp_path / "dead" / "out", {"keyframes": 3, "edited": 3}, check=dead)
    qtbot.addWidget(again)
    again.ok_button.click()  # a second dialog on the same drive
    assert _checks_alive() - before == 1  # was 8: one a request, none of them ending
    assert len(dead.calls) == 1
    dialog.ok_button.click()  # the newest ask: OK on .../other
    dead.released.set()
    qtbot.waitUntil(lambda: not dialog.checking and not again.checking, timeout=20_000)
    assert dialog.result() == VideoExportDialog.DialogCode.Accepted
    assert again.result() == VideoExportDialog.DialogCode.Accepted
    assert dead.calls[1:] == [tmp_path / "dead" / "other", tmp_path / "dead" / "out"]  # each dialog's newest
    qtbot.waitUntil(lambda: _checks_alive() == before, timeout=20_000)  # and the thread ends


def test_a_folder_elsewhere_is_checked_while_a_dead_one_hangs(qtbot, tmp_path: Path, dead: _DeadDrive) -> None:
    dialog = VideoExportDialog(tmp_path / "dead" / "out", {"keyframes": 3, "edited": 3}, check=dead)
    qtbot.addWidget(dialog)
    dialog.ok_button.click()
    assert dialog.checking
    dialog.dst.setText(str(tmp_path / "alive" / "out"))  # another folder: OK on again
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.checking, timeout=20_000)
    assert dialog.result() == VideoExportDialog.DialogCode.Accepted
