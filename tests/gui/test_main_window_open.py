"""Main window: opening files, folders and drops, the pixels shown exactly as in the file, the errors
of what could not be opened, recent files, and the wait cursor while opening."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.main_window import MainWindow
from app.services import CollectingErrorReporter, DialogErrorReporter
from tests.gui.main_window_helpers import demo_images, file_pixels, wait_displayed

from .conftest import WindowFactory


def _painted_pixels(window: MainWindow) -> np.ndarray:
    """RGB (H, W, 3) of the QImage the canvas's base item paints (levels and lookup applied)."""
    item = window.canvas.base
    item.render()
    qimage = item.qimage.convertToFormat(item.qimage.Format.Format_RGB888)
    rows = np.frombuffer(qimage.constBits(), np.uint8).reshape(qimage.height(), qimage.bytesPerLine())
    return rows[:, : qimage.width() * 3].reshape(qimage.height(), qimage.width(), 3).copy()


def test_open_real_sample_shows_the_file_pixels(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window = make_window()
    sample = demo_images(demo_dir)[1]
    added = window.open_paths([sample])
    assert added == [sample.resolve()]
    wait_displayed(qtbot, window, sample)

    displayed = window.canvas.base.image
    expected = file_pixels(sample)
    assert displayed.shape == expected.shape == (512, 512, 3)
    np.testing.assert_array_equal(displayed, expected)  # no channel swap, no transpose, no rescale
    np.testing.assert_array_equal(_painted_pixels(window), expected)  # what reaches the screen, too
    assert window.windowTitle() == f"FoSp Studio — {sample.name}"
    assert window.size_label.text() == "512 × 512 px"


def test_lossless_png_is_shown_exactly(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> None:
    # A non-square crop of a real sample, saved losslessly: catches any row/column mix-up.
    crop = file_pixels(demo_images(demo_dir)[0])[40:340, 10:450]
    path = tmp_path / "crop.png"
    Image.fromarray(crop).save(path)
    window = make_window()
    window.open_paths([path])
    wait_displayed(qtbot, window, path)
    np.testing.assert_array_equal(window.canvas.base.image, crop)
    assert window.canvas.image_shape == (300, 440)


def test_folder_with_a_corrupt_file_reports_it_and_opens_the_rest(
    qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    samples = demo_images(demo_dir)[:2]
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
    wait_displayed(qtbot, window, folder / f"0_{samples[0].name}")


def test_errors_accumulate_in_one_dialog(make_window: WindowFactory, tmp_path: Path) -> None:
    reporter = DialogErrorReporter()
    window = make_window(error_reporter=reporter, show=True)
    window.open_paths([tmp_path / "nope.jpg"])
    first = reporter.dialog
    window.open_paths([tmp_path / "gone"])
    assert reporter.dialog is first
    assert first is not None and first.text() == "Could not open 2 items."
    assert "nope.jpg" in first.informativeText() and "gone" in first.informativeText()


def test_recent_files_are_remembered_across_windows(
    qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path
) -> None:
    first = make_window()
    sample = demo_images(demo_dir)[2]
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
    images = demo_images(demo_dir)
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
    assert window.statusBar().currentMessage().split(" · ")[0] == "Opened 4 images"  # then: its labels not imported
    def fail(paths, **kwargs):
        raise RuntimeError("listing failed")

    monkeypatch.setattr(opening, "collect_image_paths", fail)
    with pytest.raises(RuntimeError):  # restored when opening fails, too
        window.open_paths([demo_dir])
    assert QApplication.overrideCursor() is None
