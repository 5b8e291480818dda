"""An image added to a shared folder after its project was made (a teammate copied new photos in while
the project was closed, or while it is open here and the folder is opened again) is annotated like the
others. Before, the window listed it but it had no project entry: it opened with no mask and no tools,
and nothing said why."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from tests.gui.annotation_helpers import open_and_wait


def _image(path: Path) -> None:
    cv2.imwrite(str(path), np.full((64, 80, 3), 90, np.uint8))


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    return window


def test_an_image_added_while_closed_opens_with_its_document(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in ("a.jpg", "b.jpg"):
        _image(folder / name)
    first = _window(qtbot, make_window, tmp_path)
    open_and_wait(qtbot, first, folder)
    first.annotation.controller.close()
    _image(folder / "c.jpg")
    second = _window(qtbot, make_window, tmp_path)
    open_and_wait(qtbot, second, folder)
    second.open_paths([folder / "c.jpg"], remember=False)
    controller = second.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10000)
    assert controller.document.image_id == "c" and not controller.project.read_only


def test_an_image_opened_alone_joins_its_folders_project(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "imgs"
    folder.mkdir()
    _image(folder / "a.jpg")
    first = _window(qtbot, make_window, tmp_path)
    open_and_wait(qtbot, first, folder)
    first.annotation.controller.close()
    _image(folder / "d.jpg")
    second = _window(qtbot, make_window, tmp_path)
    second.open_paths([folder / "d.jpg"], remember=False)
    controller = second.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10000)
    assert controller.document.image_id == "d"


def test_an_image_added_while_open_joins_when_the_folder_is_opened_again(qtbot, make_window,  # noqa: ANN001
                                                                          tmp_path: Path) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in ("a.jpg", "b.jpg"):
        _image(folder / name)
    window = _window(qtbot, make_window, tmp_path)
    open_and_wait(qtbot, window, folder)
    _image(folder / "c.jpg")
    window.open_paths([folder], remember=False)
    window.open_paths([folder / "c.jpg"], remember=False)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == "c", timeout=10000)
    project = controller.project
    assert project.ids == ["a", "b", "c"] and not project.read_only
    controller.close()
    from fosp_core.annotation.project import Project

    with Project.open(project.folder) as again:  # written into project.json
        assert again.ids == ["a", "b", "c"]
