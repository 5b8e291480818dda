"""The image Export dialog started a destination check of its own for every Browse (a thread each) and for every
Export (the worker's, on the global pool): on a dead network drive each hung for good, Browse again, the dialog
opened again, Export after Cancel. The Browse threads piled up, and the hung Export workers held the pool's
threads (as many as the machine has cores), so an export to a good folder then waited behind them for good. Now
both go through `app.destination_checks` (as the video's Export frames dialog): one check at a time per parent
folder for every dialog, each dialog's newest ask answered after it; the export's worker starts on the pool once
its destination has answered, and a folder elsewhere is checked at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from app.annotation import export_checks, export_dialog, export_worker
from tests.gui.annotation_helpers import demo_window, drag, key

NAME = "export-destination-check"


def _checks_alive() -> int:
    return sum(1 for t in threading.enumerate() if t.name == NAME and t.is_alive())


class _DeadDrive:
    """`project_destination_problem` that hangs for every folder under `root` until released, counting its calls
    and those hanging at once; a folder named `own*` holds the project's files."""

    def __init__(self, root: Path) -> None:
        self.root, self.released, self.calls, self.hanging, self.most = root, threading.Event(), [], 0, 0
        self._lock = threading.Lock()

    def __call__(self, _project: object, dst: Path) -> str | None:
        self.calls.append(Path(dst))
        if self.root in Path(dst).parents:
            with self._lock:
                self.hanging += 1
                self.most = max(self.most, self.hanging)
            self.released.wait(30)
            with self._lock:
                self.hanging -= 1
        return "holds the project's own files" if Path(dst).name.startswith("own") else None


@pytest.fixture()
def dead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_DeadDrive]:
    drive = _DeadDrive(tmp_path / "dead")
    monkeypatch.setattr(export_checks, "project_destination_problem", drive)
    monkeypatch.setattr(export_worker, "project_destination_problem", drive)
    yield drive
    drive.released.set()  # no check left hanging after the test


def _painted(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    """The demo's window, a stroke of smoke on its first image (a mask to export)."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    return window


def _ok(dialog: export_dialog.ExportDialog):  # noqa: ANN202
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_browse_on_a_dead_drive_holds_one_check_thread(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                       monkeypatch: pytest.MonkeyPatch, dead: _DeadDrive) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    before = _checks_alive()
    dialog = window.annotation.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.probing)
    for k, name in enumerate(("a", "b", "a", "own")):  # Browse, Browse again...
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, n=name: str(tmp_path / "dead" / n))
        dialog._browse()
        if k == 0:  # its check's thread hangs in it before the next Browse (under load it started after them,
            qtbot.waitUntil(lambda: dead.hanging == 1, timeout=20_000)  # and checked the newest ask: 'own')
    dialog.reject()  # (an open dialog is brought back by Export, not replaced)
    again = window.annotation.open_export_dialog()  # the dialog opened again, browsing on the same drive
    qtbot.waitUntil(lambda: not again.probing)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(tmp_path / "dead" / "own2"))
    again._browse()
    assert _checks_alive() - before == 1  # was 5: one a Browse, none of them ending
    assert dead.calls == [tmp_path / "dead" / "a"]
    dead.released.set()
    qtbot.waitUntil(lambda: again.error is not None, timeout=20_000)  # said before Export is pressed
    assert again.error_label.text() == f"{tmp_path / 'dead' / 'own2'}: holds the project's own files"
    assert dead.calls[1:] == [tmp_path / "dead" / "own", tmp_path / "dead" / "own2"]  # each dialog's newest
    qtbot.waitUntil(lambda: _checks_alive() == before, timeout=20_000)  # and the thread ends
    again.reject()


def test_export_on_a_dead_drive_holds_no_pool_thread(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                     dead: _DeadDrive) -> None:
    window = _painted(qtbot, make_window, demo_dir, tmp_path)
    for _ in range(3):  # Export, Cancel (it hangs), the dialog opened again, Export...
        dialog = window.annotation.open_export_dialog()
        qtbot.waitUntil(lambda d=dialog: not d.probing)
        dialog.dst.setText(str(tmp_path / "dead" / "out"))
        _ok(dialog).click()
        assert not _ok(dialog).isEnabled() and dialog.progress.isVisible()  # waits, busy
        qtbot.waitUntil(lambda: dead.hanging >= 1, timeout=20_000)
        dialog.reject()
    assert dead.most == 1  # was 2 (the pool's threads, as many as the cores): one hung check per Export
    good = tmp_path / "alive" / "out"
    dialog = window.annotation.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.probing)
    dialog.dst.setText(str(good))
    reports: list[object] = []
    dialog.exported.connect(reports.append)
    _ok(dialog).click()  # a folder elsewhere: exported while the dead drive hangs
    qtbot.waitUntil(lambda: bool(reports) or dialog.error is not None, timeout=60_000)
    assert dialog.error is None and (good / "ImageSets").is_dir() and dead.hanging == 1
    dead.released.set()
    qtbot.waitUntil(lambda: _checks_alive() == 0, timeout=20_000)
    assert not (tmp_path / "dead" / "out").exists()  # the exports cancelled while waiting wrote nothing


def test_a_refusal_comes_from_the_check_and_export_goes_on_once_it_answers(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                          tmp_path: Path, dead: _DeadDrive) -> None:
    window = _painted(qtbot, make_window, demo_dir, tmp_path)
    dialog = window.annotation.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.probing)
    dialog.dst.setText(str(tmp_path / "dead" / "own"))
    _ok(dialog).click()
    assert dialog.error is None and dialog.worker is not None  # waits for the drive
    dead.released.set()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20_000)
    assert dialog.error == f"{tmp_path / 'dead' / 'own'}: holds the project's own files"
    assert dialog.worker is None and _ok(dialog).isEnabled()
    dialog.dst.setText(str(tmp_path / "dead" / "fine"))
    reports: list[object] = []
    dialog.exported.connect(reports.append)
    _ok(dialog).click()
    qtbot.waitUntil(lambda: bool(reports) or dialog.error is not None, timeout=60_000)
    assert dialog.error is None and (tmp_path / "dead" / "fine" / "ImageSets").is_dir()
