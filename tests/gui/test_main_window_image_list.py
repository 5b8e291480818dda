"""Main window: the Images list and moving through it - thumbnails (made for the rows in view, cached
within bounds), keyboard navigation, the name filter, Go to Image and fast flipping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.image_list import SessionListModel
from fosp_core.session import ImageSession
from tests.gui.main_window_helpers import demo_images, file_pixels, wait_displayed

from .conftest import WindowFactory


def test_dataset_folder_thumbnails_and_keyboard_navigation(
    qtbot, make_window: WindowFactory, demo_dir: Path
) -> None:
    window = make_window(show=True)
    images = demo_images(demo_dir)
    window.open_paths([demo_dir])  # SmokeSeg layout: the JPEGImages are opened
    assert [p.name for p in window.session.paths] == [p.name for p in images]
    model = window.image_list.list_model
    qtbot.waitUntil(lambda: all(model.has_thumbnail(p) for p in images), timeout=10_000)
    assert window.image_dock.windowTitle() == "Images (4)"
    assert not window.action_previous.isEnabled() and window.action_next.isEnabled()

    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.session.current_index == 2
    assert window.image_list.currentIndex().row() == 2  # the list follows the session
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.session.current_index == 1
    wait_displayed(qtbot, window, images[1])
    np.testing.assert_array_equal(window.canvas.base.image, file_pixels(images[1]))

    # Selecting in the list drives the session the other way.
    window.image_list.setCurrentIndex(window.image_list.model().index(3, 0))
    assert window.session.current_index == 3
    assert window.windowTitle().endswith(images[3].name)
    assert not window.action_next.isEnabled()


def test_a_big_folder_makes_thumbnails_only_for_the_rows_in_view(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(120):
        Image.fromarray(np.full((48, 64, 3), 2 * i, np.uint8)).save(folder / f"frame{i:04d}.png")
    window = make_window(show=True)
    window.open_paths([folder])
    model = window.image_list.list_model
    paths = window.session.paths
    qtbot.waitUntil(lambda: model.has_thumbnail(paths[0]) and window.loader.pending == 0, timeout=10_000)
    assert 0 < model.thumbnail_count < 40  # the rows in view and a page either side, not 120
    assert not model.has_thumbnail(paths[-1])
    window.image_list.scrollToBottom()
    qtbot.waitUntil(lambda: model.has_thumbnail(paths[-1]), timeout=10_000)
    assert not model.has_thumbnail(paths[60])  # scrolled past: never in view, never decoded
    window.session.set_filter("frame006")  # the ten rows 0060-0069, all in view together
    qtbot.waitUntil(lambda: all(model.has_thumbnail(p) for p in paths[60:70]), timeout=10_000)


def test_thumbnail_cache_is_bounded_and_drops_the_least_recently_shown(qtbot, tmp_path: Path) -> None:
    session = ImageSession()
    session.add([tmp_path / f"{i}.jpg" for i in range(5)])
    model = SessionListModel(session, max_thumbnails=3)
    paths = session.paths
    assert model.wanted([0, 1, 7]) == [paths[0], paths[1]]  # rows out of range are skipped
    assert model.wanted([0, 1]) == []  # asked for already: not twice
    tile = QImage(8, 8, QImage.Format.Format_RGB888)
    for path in paths[:3]:
        assert model.set_thumbnail(path, tile)
    model.data(model.index(0), Qt.ItemDataRole.DecorationRole)  # row 0 shown again: kept longest
    model.set_thumbnail(paths[3], tile)
    assert model.thumbnail_count == 3
    assert [model.has_thumbnail(p) for p in paths[:4]] == [True, False, True, True]
    assert model.wanted([1]) == [paths[1]]  # dropped: made again when it comes back into view
    assert not model.set_thumbnail(tmp_path / "closed.jpg", tile)


def test_name_filter_lists_matching_images_and_navigation_follows_it(
    qtbot, make_window: WindowFactory, demo_dir: Path
) -> None:
    window = make_window(show=True)
    images = demo_images(demo_dir)
    window.open_paths([demo_dir])
    assert window.position_label.text() == "1 / 4"
    view = window.image_list
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Go > Filter by Name
    edit = window.images_panel.filter_edit
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "fire")  # typed into the box: "f" is not Fit to Window here
    qtbot.waitUntil(lambda: window.session.filter == "fire", timeout=2000)  # once typing pauses
    assert [view.model().index(r, 0).data() for r in range(view.model().rowCount())] == [
        images[1].name, images[3].name]  # BrattonFire, ValleyFire
    assert window.image_dock.windowTitle() == "Images (2 of 4)"
    # the current image (West, hidden by the filter) has no row selected; Enter shows the first listed
    assert not view.selectionModel().hasSelection()
    assert window.action_next.isEnabled() and not window.action_previous.isEnabled()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.session.current_index == 1 and window.canvas.hasFocus()
    assert view.currentIndex().row() == 0 and window.position_label.text() == "2 / 4"
    qtbot.keyClick(window, Qt.Key.Key_PageDown)  # next among the listed: ValleyFire, not Mexico
    assert window.session.current_index == 3
    assert not window.action_next.isEnabled()
    wait_displayed(qtbot, window, images[3])

    # Escape clears the filter and gives the image the keyboard back.
    window.focus_filter()
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == "" and window.session.filter == ""
    assert view.model().rowCount() == 4 and window.image_dock.windowTitle() == "Images (4)"
    assert view.currentIndex().row() == 3 and window.position_label.text() == "4 / 4"
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.session.current_index == 2


def test_go_to_image_by_number(make_window: WindowFactory, demo_dir: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    window = make_window()
    asked: list[tuple] = []

    def answer(_parent, _title, label, value, low, high):  # noqa: ANN001, ANN202
        asked.append((label, value, low, high))
        return 3, True

    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(answer))
    window.go_to_image_dialog()  # nothing open: nothing asked
    assert asked == []
    window.open_paths([demo_dir])
    window.action_goto.trigger()
    assert asked == [("Image number (1–4):", 1, 1, 4)]
    assert window.session.current_index == 2 and window.position_label.text() == "3 / 4"


def test_fast_flipping_shows_only_the_last_image(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window = make_window()
    images = demo_images(demo_dir)
    window.open_paths(images)
    for _ in range(3):
        window.session.next()
    wait_displayed(qtbot, window, images[3])
    qtbot.waitUntil(lambda: window.loader.pending == 0, timeout=10_000)
    assert window.session.current_path == images[3].resolve()  # stale decodes did not win
    np.testing.assert_array_equal(window.canvas.base.image, file_pixels(images[3]))
