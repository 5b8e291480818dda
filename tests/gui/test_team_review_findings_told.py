"""What an opening finds in a shared project is told in the window, quietly. Before, `Project.conflicts`
(a sync tool's conflicted copies: another computer's saves beside the project, in no image's state) and
`Project.listing.missing` (images with work whose file was renamed or removed while the project was
closed: they come back as new, unlabeled images, the mask left under the old name) were found and kept on
the project, and the window said nothing of them. Now the opening's status line says so, and a non-modal
notice (`app.quiet_notice`: the keyboard stays with the window) says what they are and what to do."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import open_and_wait


def _image(path: Path) -> None:
    cv2.imwrite(str(path), np.full((64, 80, 3), 90, np.uint8))


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    return window


def _notices() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _labelled(qtbot, make_window, tmp_path: Path) -> tuple[Path, Path]:  # noqa: ANN001
    """(images folder, its project folder): a.jpg edited, b.jpg unlabeled, the window closed."""
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in ("a.jpg", "b.jpg"):
        _image(folder / name)
    first = _window(qtbot, make_window, tmp_path)
    open_and_wait(qtbot, first, folder)
    project = first.annotation.controller.registry.projects[0]
    mask = np.zeros((64, 80), np.uint8)
    mask[5:20, 5:20] = 1
    project.save_mask("a", mask, Status.EDITED)
    first.annotation.controller.close()
    first.close()
    return folder, project.folder


def test_conflicted_copies_are_told_quietly(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder, fosp = _labelled(qtbot, make_window, tmp_path)
    (fosp / "changes (Bob's conflicted copy 2026-12-07).jsonl").write_text("{}\n")
    window = _window(qtbot, make_window, tmp_path)
    window.activateWindow()
    open_and_wait(qtbot, window, folder)
    controller = window.annotation.controller
    assert controller.notes.last is not None and "conflicted cop" in controller.notes.last[0]
    qtbot.waitUntil(lambda: bool(_notices()), timeout=5000)
    box = _notices()[-1]
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert "changes (Bob's conflicted copy 2026-12-07).jsonl" in box.text() and "one computer at a time" in box.text()
    box.close()


def test_images_with_work_renamed_while_closed_are_named(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder, _fosp = _labelled(qtbot, make_window, tmp_path)
    os.rename(folder / "a.jpg", folder / "z.jpg")  # a teammate renamed it while the project was closed
    window = _window(qtbot, make_window, tmp_path)
    open_and_wait(qtbot, window, folder)
    controller = window.annotation.controller
    assert controller.notes.last is not None and "a.jpg" in controller.notes.last[0]
    qtbot.waitUntil(lambda: bool(_notices()), timeout=5000)
    box = _notices()[-1]
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert "a.jpg" in box.text() and "rename" in box.text() and "b.jpg" not in box.text()
    box.close()


def test_a_plain_opening_tells_nothing(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder, _fosp = _labelled(qtbot, make_window, tmp_path)
    window = _window(qtbot, make_window, tmp_path)
    open_and_wait(qtbot, window, folder)
    qtbot.wait(50)
    assert _notices() == []
