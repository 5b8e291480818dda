"""Pressing Export read the destination on the GUI thread (``is_dir``, ``iterdir``, and the check that it
holds none of the project's files, `project_destination_problem`), so a destination on a dead network drive
froze the window at Export. The checks now run on the export's worker: the GUI thread stats nothing of the
destination, and every refusal comes all the same, in the same words, once the drive answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from tests.gui.annotation_helpers import demo_window
from tests.gui.test_export_dialog_probe_off_thread import _DeadDrive

_WRAPPED = ("stat", "lstat", "access", "statvfs", "listdir", "scandir")


@pytest.fixture
def drive_of(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a factory of _DeadDrive
    """A dead drive at a given folder (os calls on it held off the GUI thread, counted on it)."""
    made: list[_DeadDrive] = []

    def make(root: Path) -> _DeadDrive:
        drive = _DeadDrive(root)
        drive.watched = lambda path: _under(path, root)  # type: ignore[method-assign]
        import os

        for name in _WRAPPED:
            monkeypatch.setattr(os, name, drive.wrap(getattr(os, name)))
        made.append(drive)
        return drive

    yield make
    for drive in made:
        drive.release()


def _under(path: object, root: Path) -> bool:
    import os

    try:
        text = os.fspath(path)  # type: ignore[arg-type]
    except TypeError:
        return False
    text = text.decode() if isinstance(text, bytes) else text
    return text == str(root) or text.startswith(str(root) + os.sep)


def _press_export(qtbot, dialog, drive: _DeadDrive) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not dialog.probing)
    drive.counting = True
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    drive.counting = False


def test_a_full_destination_is_refused_without_a_stat_on_the_gui_thread(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                         tmp_path: Path, drive_of) -> None:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    dst = tmp_path / "taken"
    dst.mkdir()
    (dst / "ImageSets").mkdir()  # an earlier export's (the user's own files: refused, Replace or not)
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(dst))
    drive = drive_of(dst)
    _press_export(qtbot, dialog, drive)
    assert drive.gui_calls == []  # was: stat and listdir of the destination on the GUI thread
    assert dialog.error is None  # the worker waits for the drive
    drive.release()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)
    assert dialog.error == f"{dst} is not empty: choose another folder or tick \u201c{dialog.overwrite.text()}\u201d"
    assert dialog.worker is None and dialog.error_label.isVisible() and dialog.windowTitle().endswith("failed")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # another try offered
    assert sorted(p.name for p in dst.iterdir()) == ["ImageSets"]
    dialog.reject()


@pytest.mark.parametrize("overwrite", [True, False])
def test_the_images_folder_is_refused_without_a_stat_on_the_gui_thread(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                       tmp_path: Path, drive_of,  # noqa: ANN001
                                                                       overwrite: bool) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    images = tmp_path / "demo" / "JPEGImages"
    before = sorted(images.iterdir())
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(images))
    dialog.overwrite.setChecked(overwrite)
    drive = drive_of(images)
    _press_export(qtbot, dialog, drive)
    assert drive.gui_calls == []  # was: project_destination_problem's stat and scandir on the GUI thread
    drive.release()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)
    said = dialog.error_label.text()
    assert said.startswith(f"{images}: holds the project's own files (e.g. {images / before[0].name})")
    assert dialog.overwrite.text() not in said and dialog.worker is None
    assert sorted(images.iterdir()) == before
    dialog.reject()


def test_a_folder_browsed_to_is_checked_off_the_gui_thread(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                           tmp_path: Path, drive_of,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    labels = tmp_path / "demo" / "SegmentationClass"
    dialog = window.annotation.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.probing)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(labels))
    drive = drive_of(labels)
    drive.counting = True
    dialog._browse()
    drive.counting = False
    assert drive.gui_calls == []  # was: project_destination_problem's stat and scandir on the GUI thread
    assert dialog.dst.text() == str(labels) and dialog.error is None
    drive.release()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)  # said before Export is pressed
    assert dialog.error_label.text().startswith(f"{labels}: holds the project's own files")
    dialog.reject()
