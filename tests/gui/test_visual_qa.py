"""Visual QA of the window as a new user finds it: empty states say what to do, hint text is
readable in the dark theme, dialogs fit a laptop screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPalette, QScreen
from PySide6.QtWidgets import QApplication, QToolButton

from app.analysis.model_panel import ModelPanel
from app.main_window import MainWindow
from app.theme import dark_palette
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.annotation_helpers import open_and_wait
from tests.gui.conftest import WindowFactory
from tests.gui.rendered_edges import contrast

TITLE_BAR = 40  # a window manager's title bar, above a dialog's own height


def _window(make_window: WindowFactory, tmp_path: Path, **kwargs) -> MainWindow:
    window = make_window(**kwargs)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # nothing beside the images
    return window


def test_placeholder_hints_are_readable_on_inputs() -> None:
    """The filter box, the fine-tune and compare paths say what to type in their placeholder: text
    that carries meaning, so at least WCAG AA (4.5:1) on an input's background."""
    palette = dark_palette()
    role = QPalette.ColorRole
    assert contrast(palette.color(role.PlaceholderText), palette.color(role.Base)) >= 4.5
    assert contrast(palette.color(role.Text), palette.color(role.Base)) >= 7  # typed text stands out more
    assert palette.color(role.PlaceholderText) != palette.color(role.Text)


def test_annotate_dock_with_nothing_open_says_what_to_open(make_window: WindowFactory, tmp_path: Path) -> None:
    window = _window(make_window, tmp_path)
    text = window.annotation.tool_dock.status_label.text()
    assert "project" not in text  # it said "No annotation project for this image." with no image at all
    assert "Open images or a folder" in text


def test_worklist_says_why_it_is_empty(qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path) -> None:
    window = _window(make_window, tmp_path, show=True)
    worklist = window.annotation.worklist
    assert worklist.model.rowCount() == 0
    assert not worklist.empty_note.isHidden()  # it was a blank box
    assert "Open a folder" in worklist.empty_note.text()

    open_and_wait(qtbot, window, demo_dir)
    assert worklist.model.rowCount() == 4 and worklist.empty_note.isHidden()

    worklist.filter.setCurrentText("Reviewed")  # nothing reviewed yet: the filter hides every row
    assert worklist.model.rowCount() == 0
    assert not worklist.empty_note.isHidden()
    assert "Show: Reviewed" in worklist.empty_note.text() and "4 in the project" in worklist.empty_note.text()
    worklist.filter.setCurrentText("All images")
    assert worklist.model.rowCount() == 4 and worklist.empty_note.isHidden()


@pytest.mark.parametrize("available", [QRect(0, 0, 1366, 728), QRect(0, 0, 1280, 760)])
def test_fine_tune_dialog_fits_a_laptop_screen(make_window: WindowFactory, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, available: QRect) -> None:
    """1366 x 768 and 1280 x 800 less a desktop panel: the dialog's buttons stay on screen (it opened
    720 px tall, its Start and Close under the bottom edge of a 1366 x 768 screen)."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(available))
    dialog = _window(make_window, tmp_path).training.open_dialog()
    assert dialog.height() + TITLE_BAR <= available.height()
    assert dialog.width() <= available.width()
    assert dialog.height() >= dialog.minimumSizeHint().height()  # smaller, never clipped


def test_fine_tune_dialog_keeps_its_size_on_a_big_screen(make_window: WindowFactory, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1920, 1050))
    dialog = _window(make_window, tmp_path).training.open_dialog()
    assert (dialog.width(), dialog.height()) == (860, 720)


LONG_NAME = "finetune_demo_smokeseg_scene_train_20250101_120000_best_val.safetensors"


def test_a_long_checkpoint_name_never_widens_the_model_panel(qtbot, tmp_path: Path) -> None:
    """A name without spaces (underscores) cannot wrap: it set the panel's width (532 px), the Model
    dock took half the window and squeezed the Images dock to 70 px. It is elided (its beginning kept),
    the tooltip keeps the whole path, text() still reads the name."""
    settings = AnalysisSettings(checkpoint=None)
    panel = ModelPanel(settings, [("auto", "Automatic"), ("cpu", "CPU")])
    qtbot.addWidget(panel)
    width = panel.sizeHint().width()
    settings.set_checkpoint(tmp_path / LONG_NAME)
    assert panel.checkpoint_label.minimumSizeHint().width() < 200
    assert panel.sizeHint().width() <= width and panel.minimumSizeHint().width() <= width
    assert panel.checkpoint_label.text() == f"<b>{LONG_NAME}</b>"
    assert panel.checkpoint_label.toolTip() == str(tmp_path / LONG_NAME)
    panel.resize(300, panel.sizeHint().height())
    panel.show()
    qtbot.waitExposed(panel)
    shown = panel.checkpoint_label.shown_text()
    head, ellipsis, tail = shown.partition("…")  # its beginning kept (test_fix_s35_model_name_readable)
    assert ellipsis and not tail and len(head) >= 8 and LONG_NAME.startswith(head)
    assert panel.checkpoint_label.fontMetrics().horizontalAdvance(shown) <= panel.checkpoint_label.width()
    settings.set_checkpoint(tmp_path / "fosp.safetensors")  # a short name is shown whole
    assert panel.checkpoint_label.shown_text() == "fosp.safetensors"
    settings.set_checkpoint(None)  # the hint without a model wraps as before
    assert panel.checkpoint_label.text() == "no default model — open a checkpoint"
    assert panel.checkpoint_label.wordWrap()


def test_a_long_default_model_name_leaves_the_images_dock_usable(make_window: WindowFactory, tmp_path: Path,
                                                                  demo_dir: Path) -> None:
    checkpoint = tmp_path / LONG_NAME
    checkpoint.write_bytes(b"")  # never loaded far: the layout is what counts
    window = _window(make_window, tmp_path, show=True, default_model=checkpoint)
    window.resize(1280, 800)
    window.open_paths([demo_dir], remember=False, background=False)
    for _ in range(4):
        QApplication.processEvents()
    assert window.image_dock.width() >= 200
    assert window.analysis.model_dock.width() <= 360


def test_a_long_image_name_never_pushes_the_tools_out_of_the_annotate_dock(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path) -> None:
    """A camera's file name without spaces (underscores) could not wrap in the dock's status line:
    it made the dock's body 490 px wide in a 296 px dock, half the tool buttons, the radius box and
    the slider values cut off at its right edge."""
    folder = tmp_path / "photos"
    folder.mkdir()
    name = "IMG_20240101_123456789_HDR_camera_north_tower_station"
    shutil.copy(next((demo_dir / "JPEGImages").glob("*.jpg")), folder / f"{name}.jpg")
    window = _window(make_window, tmp_path, show=True)
    window.resize(1280, 800)
    open_and_wait(qtbot, window, folder)
    dock = window.annotation.tool_dock
    dock.raise_()
    for _ in range(4):
        QApplication.processEvents()
    assert name in dock.status_label.text().replace("\u200b", "")  # the whole name, wrapped
    right = dock.widget().viewport().width()
    for widget in (*dock.findChildren(QToolButton), dock.radius, dock.opacity_label, dock.status_label):
        edge = widget.mapTo(dock.widget().viewport(), widget.rect().topRight()).x()
        assert edge <= right, f"{widget} ends at {edge}, the dock at {right}"


def test_the_annotate_dock_shows_a_name_as_text_not_markup(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                           demo_dir: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(next((demo_dir / "JPEGImages").glob("*.jpg")), folder / "smoke<b>&fire.jpg")
    window = _window(make_window, tmp_path, show=True)
    open_and_wait(qtbot, window, folder)
    assert "smoke&lt;b&gt;&amp;fire" in window.annotation.tool_dock.status_label.text().replace("\u200b", "")


def test_a_long_name_in_the_model_status_never_pushes_the_buttons_out_of_the_dock(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path) -> None:
    """'cannot load <long name>: <path>: ...' could not wrap: the panel grew past the dock's edge,
    Open…, Run on all and the spin boxes cut off. The status is cut instead, its tooltip whole."""
    checkpoint = tmp_path / LONG_NAME
    checkpoint.write_bytes(b"not a checkpoint")
    window = _window(make_window, tmp_path, show=True)
    window.resize(1280, 800)
    window.open_paths([demo_dir], remember=False, background=False)
    panel = window.analysis.panel
    window.analysis.settings.set_checkpoint(checkpoint)
    qtbot.waitUntil(lambda: "cannot open" in panel.status_label.text(), timeout=20_000)
    if not panel.details_shown():  # folded on a short dock: unfold them to see the device's box
        panel.details_button.click()
    for _ in range(4):
        QApplication.processEvents()
    viewport = window.analysis.model_dock.widget().viewport()
    for widget in (panel.open_button, panel.run_all_button, panel.device_combo, panel.status_label):
        edge = widget.mapTo(viewport, widget.rect().topRight()).x()
        assert edge <= viewport.width(), f"{widget} ends at {edge}, the dock at {viewport.width()}"
    assert LONG_NAME in panel.status_label.toolTip()


def test_icon_only_buttons_of_the_fine_tune_dialog_say_what_they_do(make_window: WindowFactory,
                                                                    tmp_path: Path) -> None:
    """The two folder buttons showed an icon and, on hover, nothing ("Browse…" is their hidden text)."""
    dialog = _window(make_window, tmp_path).training.open_dialog()
    buttons = [b for b in dialog.findChildren(QToolButton)
               if b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and b.isVisibleTo(dialog)]
    assert len(buttons) >= 2
    for button in buttons:
        assert button.toolTip(), button.text()
    assert "dataset" in dialog.dataset_button.toolTip() and "checkpoint" in dialog.checkpoint_button.toolTip()
