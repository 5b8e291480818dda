"""Main window: opening files/folders/datasets, display fidelity, errors, navigation, recent files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.image_list import SessionListModel
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, DialogErrorReporter
from fosp_core.session import ImageSession

from .conftest import WindowFactory


def _demo_images(demo_dir: Path) -> list[Path]:
    return sorted((demo_dir / "JPEGImages").glob("*.jpg"))


def _file_pixels(path: Path) -> np.ndarray:
    """The file's pixels decoded independently of the app (Pillow, RGB)."""
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def _painted_pixels(window: MainWindow) -> np.ndarray:
    """RGB (H, W, 3) of the QImage the canvas's base item paints (levels and lookup applied)."""
    item = window.canvas.base
    item.render()
    qimage = item.qimage.convertToFormat(item.qimage.Format.Format_RGB888)
    rows = np.frombuffer(qimage.constBits(), np.uint8).reshape(qimage.height(), qimage.bytesPerLine())
    return rows[:, : qimage.width() * 3].reshape(qimage.height(), qimage.width(), 3).copy()


def _wait_displayed(qtbot, window: MainWindow, path: Path) -> None:
    def shown() -> None:
        image = window.session.current_image
        assert image is not None and image.path.resolve() == path.resolve()
        assert window.canvas.base.image is not None

    qtbot.waitUntil(shown, timeout=10_000)


def test_open_real_sample_shows_the_file_pixels(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window = make_window()
    sample = _demo_images(demo_dir)[1]
    added = window.open_paths([sample])
    assert added == [sample.resolve()]
    _wait_displayed(qtbot, window, sample)

    displayed = window.canvas.base.image
    expected = _file_pixels(sample)
    assert displayed.shape == expected.shape == (512, 512, 3)
    np.testing.assert_array_equal(displayed, expected)  # no channel swap, no transpose, no rescale
    np.testing.assert_array_equal(_painted_pixels(window), expected)  # what reaches the screen, too
    assert window.windowTitle() == f"FoSp Studio — {sample.name}"
    assert window.size_label.text() == "512 × 512 px"


def test_lossless_png_is_shown_exactly(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> None:
    # A non-square crop of a real sample, saved losslessly: catches any row/column mix-up.
    crop = _file_pixels(_demo_images(demo_dir)[0])[40:340, 10:450]
    path = tmp_path / "crop.png"
    Image.fromarray(crop).save(path)
    window = make_window()
    window.open_paths([path])
    _wait_displayed(qtbot, window, path)
    np.testing.assert_array_equal(window.canvas.base.image, crop)
    assert window.canvas.image_shape == (300, 440)


def test_folder_with_a_corrupt_file_reports_it_and_opens_the_rest(
    qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    samples = _demo_images(demo_dir)[:2]
    for i, sample in enumerate(samples):
        shutil.copy(sample, folder / f"{i}_{sample.name}")
    (folder / "1b_broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 definitely not a whole JPEG")
    reporter = DialogErrorReporter()
    window = make_window(error_reporter=reporter, show=True)

    window.open_paths([folder])
    assert len(window.session) == 3  # listed first, checked when decoded off the GUI thread

    def two_left_and_dialog() -> None:
        assert len(window.session) == 2
        assert reporter.dialog is not None and reporter.dialog.isVisible()

    qtbot.waitUntil(two_left_and_dialog, timeout=10_000)
    dialog = reporter.dialog
    assert dialog is not None
    assert dialog.windowModality() == Qt.WindowModality.NonModal  # the test (and the user) is not blocked
    assert dialog.text() == "Could not open 1 item."
    assert "1b_broken.jpg" in dialog.informativeText()
    assert "1b_broken.jpg" in dialog.detailedText()
    assert [e.path.name for e in window.session.errors] == ["1b_broken.jpg"]
    assert [p.name for p in window.session.paths] == [f"0_{samples[0].name}", f"1_{samples[1].name}"]
    assert dialog in window.findChildren(QMessageBox)
    _wait_displayed(qtbot, window, folder / f"0_{samples[0].name}")


def test_errors_accumulate_in_one_dialog(make_window: WindowFactory, tmp_path: Path) -> None:
    reporter = DialogErrorReporter()
    window = make_window(error_reporter=reporter, show=True)
    window.open_paths([tmp_path / "nope.jpg"])
    first = reporter.dialog
    window.open_paths([tmp_path / "gone"])
    assert reporter.dialog is first
    assert first is not None and first.text() == "Could not open 2 items."
    assert "nope.jpg" in first.informativeText() and "gone" in first.informativeText()


def test_dataset_folder_thumbnails_and_keyboard_navigation(
    qtbot, make_window: WindowFactory, demo_dir: Path
) -> None:
    window = make_window(show=True)
    images = _demo_images(demo_dir)
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
    _wait_displayed(qtbot, window, images[1])
    np.testing.assert_array_equal(window.canvas.base.image, _file_pixels(images[1]))

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
    images = _demo_images(demo_dir)
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
    _wait_displayed(qtbot, window, images[3])

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
    images = _demo_images(demo_dir)
    window.open_paths(images)
    for _ in range(3):
        window.session.next()
    _wait_displayed(qtbot, window, images[3])
    qtbot.waitUntil(lambda: window.loader.pending == 0, timeout=10_000)
    assert window.session.current_path == images[3].resolve()  # stale decodes did not win
    np.testing.assert_array_equal(window.canvas.base.image, _file_pixels(images[3]))


def test_pixel_readout_zoom_fit_and_actual_size(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window = make_window(show=True)
    sample = _demo_images(demo_dir)[0]
    window.open_paths([sample])
    _wait_displayed(qtbot, window, sample)
    canvas = window.canvas
    pixels = _file_pixels(sample)

    # Hovering pixel (x=300, y=120) = column 300, row 120: the readout shows that pixel's RGB.
    scene_pos = canvas.view_box.mapViewToScene(QPointF(300.5, 120.5))
    assert canvas.image_pixel_at(scene_pos) == (300, 120)
    with qtbot.waitSignal(canvas.hovered) as hovered:
        qtbot.mouseMove(canvas.viewport(), canvas.mapFromScene(scene_pos))
    assert hovered.args == [300, 120]
    r, g, b = pixels[120, 300]
    assert window.pixel_label.text() == f"x   300  y   120   RGB {r:>3} {g:>3} {b:>3}"
    outside = canvas.view_box.mapViewToScene(QPointF(-5.0, 10.0))
    assert canvas.image_pixel_at(outside) is None

    canvas.actual_size()
    assert abs(canvas.zoom_percent() - 100.0) < 0.5
    assert window.zoom_label.text() == "zoom 100%"
    canvas.zoom_by(2.0)
    assert abs(canvas.zoom_percent() - 200.0) < 1.0
    qtbot.keyClick(window, Qt.Key.Key_F)  # fit: the whole image is visible and fills one side
    qtbot.waitUntil(lambda: canvas.zoom_percent() < 200.0)
    rect = canvas.view_box.viewRect()
    assert rect.left() <= 0 and rect.top() <= 0 and rect.right() >= 512 and rect.bottom() >= 512
    assert min(rect.width(), rect.height()) < 512 * 1.05


def test_next_image_of_the_same_size_keeps_the_view(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window = make_window(show=True)
    images = _demo_images(demo_dir)
    window.open_paths([demo_dir])
    _wait_displayed(qtbot, window, images[0])
    window.canvas.set_zoom(250.0)
    view = window.canvas.view_box.viewRect()
    window.action_next.trigger()
    assert window.canvas.base.image is not None  # the previous image stays up while decoding
    _wait_displayed(qtbot, window, images[1])
    np.testing.assert_array_equal(window.canvas.base.image, _file_pixels(images[1]))
    assert window.canvas.view_box.viewRect() == view
    assert window.zoom_label.text() == "zoom 250%"


def test_wheel_zooms_around_the_cursor(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window = make_window(show=True)
    sample = _demo_images(demo_dir)[0]
    window.open_paths([sample])
    _wait_displayed(qtbot, window, sample)
    canvas = window.canvas
    canvas.actual_size()
    anchor = QPointF(200.5, 300.5)
    cursor = canvas.mapFromScene(canvas.view_box.mapViewToScene(anchor))
    wheel = QWheelEvent(QPointF(cursor), QPointF(canvas.viewport().mapToGlobal(cursor)), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.zoom_percent() > 105.0  # wheel up zooms in...
    after = canvas.view_box.mapSceneToView(canvas.mapToScene(cursor))
    assert abs(after.x() - anchor.x()) < 1.0 and abs(after.y() - anchor.y()) < 1.0  # ...around the cursor


def test_recent_files_are_remembered_across_windows(
    qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path
) -> None:
    first = make_window()
    sample = _demo_images(demo_dir)[2]
    first.open_paths([sample])
    first.open_paths([demo_dir])
    first.open_paths([tmp_path / "missing.png"])  # failures are not remembered
    second = make_window()
    second.rebuild_recent_menu()
    entries = [a.data() for a in second.recent_menu.actions() if a.data()]
    assert entries == [str(demo_dir.resolve()), str(sample.resolve())]
    reopen = next(a for a in second.recent_menu.actions() if a.data() == str(sample.resolve()))
    reopen.trigger()
    assert second.session.paths == (sample.resolve(),)


def test_drop_files_and_folders(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dropped"
    folder.mkdir()
    images = _demo_images(demo_dir)
    shutil.copy(images[0], folder / "a.jpg")
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder)), QUrl.fromLocalFile(str(images[3]))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted()
    assert [p.name for p in window.session.paths] == ["a.jpg", images[3].name]


def test_unreadable_paths_go_to_the_injected_reporter(make_window: WindowFactory, tmp_path: Path) -> None:
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    (tmp_path / "readme.txt").write_text("not an image")
    window.open_paths([tmp_path / "readme.txt", tmp_path / "absent.jpg"])
    assert [e.path.name for e in reporter.errors] == ["readme.txt", "absent.jpg"]
    assert len(window.session) == 0 and window.windowTitle() == "FoSp Studio"
    assert not window.canvas.placeholder.isHidden()  # the "open something" hint


def test_only_image_corrupt_leaves_an_empty_canvas(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff garbage")
    window.open_paths([tmp_path])
    qtbot.waitUntil(lambda: len(window.session) == 0, timeout=10_000)
    assert [e.path.name for e in reporter.errors] == ["broken.jpg"]  # once, though decoded twice
    assert window.canvas.base.image is None and window.windowTitle() == "FoSp Studio"
    qtbot.waitUntil(lambda: window.loader.pending == 0, timeout=10_000)
    assert len(reporter.errors) == 1


def test_shortcuts(make_window: WindowFactory) -> None:
    window = make_window()

    def keys(action) -> list[str]:
        return [s.toString() for s in action.shortcuts()]

    assert keys(window.action_open) == ["Ctrl+O"]
    assert keys(window.action_open_folder) == ["Ctrl+Shift+O"]
    assert keys(window.action_fit) == ["F"]
    assert keys(window.action_actual) == ["1"]
    assert keys(window.action_quit) == ["Ctrl+Q"]
    assert {"PgDown", "Right"} <= set(keys(window.action_next))
    assert {"PgUp", "Left"} <= set(keys(window.action_previous))
    assert keys(window.action_filter) == ["Ctrl+F"]
    assert keys(window.action_goto) == ["Ctrl+G"]


def test_help_is_the_last_menu(make_window) -> None:
    window = make_window()
    titles = [a.text() for a in window.menuBar().actions() if a.menu() is not None]
    assert titles[0] == "&File" and titles[-1] == "&Help"
    assert {"&Annotate", "A&nalysis"} <= set(titles)


def test_keyboard_shortcut_sheet_lists_every_menu_and_follows_remapping(qtbot, make_window: WindowFactory) -> None:
    """Help ▸ Keyboard Shortcuts (F1): the keys in force, from every menu, searchable."""
    window = make_window(show=True)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window.canvas, Qt.Key.Key_F1)  # as a user with the image focused
    sheet = window.shortcut_sheet
    assert sheet.isVisible()
    rows = {(where, action): keys for where, action, keys in sheet.rows}
    assert rows[("File", "Open")] == "Ctrl+O"
    assert "PgDown" in rows[("Go", "Next Image")]
    assert rows[("Annotate", "Brush")] == "B"
    assert any(where == "Analysis" for where, _ in rows)
    assert "Space" in rows[("Video", "Play / Pause")]  # in no menu: listed under its group
    assert rows[("Annotate", "Close Polygon")]
    sheet.filter.setText("brush")
    shown = sheet.visible_actions()
    assert "Brush" in shown and "Open" not in shown
    sheet.filter.setText("")
    assert len(sheet.visible_actions()) == len(sheet.rows)
    # a remapped annotation key shows on the next opening
    window.annotation.shortcuts.set_keys("brush", ["Ctrl+Alt+B"])
    sheet = window.show_shortcuts()
    assert dict(((w, a), k) for w, a, k in sheet.rows)[("Annotate", "Brush")] == "Ctrl+Alt+B"
    sheet.close()


def test_opening_shows_a_wait_cursor_and_what_is_opening(
    qtbot, make_window: WindowFactory, demo_dir: Path, monkeypatch
) -> None:
    import app.open_task as opening  # where an open lists and makes projects

    window = make_window()
    seen: list[tuple[object, str]] = []
    collect = opening.collect_image_paths

    def spy(paths, **kwargs):  # the GUI thread's work while a small folder opens
        cursor = QApplication.overrideCursor()
        seen.append((cursor.shape() if cursor else None, window.statusBar().currentMessage()))
        return collect(paths, **kwargs)

    monkeypatch.setattr(opening, "collect_image_paths", spy)
    window.open_paths([demo_dir])
    assert seen == [(Qt.CursorShape.WaitCursor, f"Opening {demo_dir.name} …")]
    assert QApplication.overrideCursor() is None  # restored
    assert window.statusBar().currentMessage() == "Opened 4 images"
    def fail(paths, **kwargs):
        raise RuntimeError("listing failed")

    monkeypatch.setattr(opening, "collect_image_paths", fail)
    with pytest.raises(RuntimeError):  # restored when opening fails, too
        window.open_paths([demo_dir])
    assert QApplication.overrideCursor() is None
