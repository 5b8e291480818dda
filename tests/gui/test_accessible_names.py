"""A screen reader (Orca, NVDA) reads Qt's accessible names: every widget a user can focus or click in
the main window (image mode and video mode) and in each dialog says what it is, and icon-only buttons
have a tooltip with their key. See tests/gui/accessibility.py for what counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSlider, QToolButton, QWidget

from app.annotation.import_labels_dialog import LabelSourceDialog, SmokeLabelsDialog
from app.annotation.shortcuts import ShortcutDialog
from app.icons import icon
from app.main_window import MainWindow
from app.video.export_dialog import VideoExportDialog
from fosp_core.video.testclip import write_clip
from tests.gui.accessibility import accessible_name, icon_buttons_untold, interactive_widgets, nameless
from tests.gui.annotation_helpers import demo_window
from tests.gui.video_helpers import open_video


def _export(window: MainWindow, tmp_path: Path) -> QWidget:
    return window.annotation.open_export_dialog()


def _finetune(window: MainWindow, tmp_path: Path) -> QWidget:
    return window.training.open_dialog()


def _compare(window: MainWindow, tmp_path: Path) -> QWidget:
    return window.training.open_compare()


def _sheet(window: MainWindow, tmp_path: Path) -> QWidget:
    return window.show_shortcuts()


def _annotation_shortcuts(window: MainWindow, tmp_path: Path) -> QWidget:
    dialog = ShortcutDialog(window.annotation.shortcuts, window)
    dialog.show()
    return dialog


def _import_labels(window: MainWindow, tmp_path: Path) -> QWidget:
    """Annotate ▸ Import Labels asks with Qt's own file dialog, a folder or a labels file."""
    dialog = LabelSourceDialog(window, str(tmp_path))
    dialog.show()
    return dialog


def _smoke_labels(window: MainWindow, tmp_path: Path) -> QWidget:
    """The labels to tick of a COCO/CVAT/labelme file with no label named like smoke."""
    dialog = SmokeLabelsDialog(str(tmp_path / "task.json"), ["fire", "haze"], window)
    dialog.show()
    return dialog


def _video_export(window: MainWindow, tmp_path: Path) -> QWidget:
    dialog = VideoExportDialog(tmp_path / "out", {"keyframes": 3, "edited": 3}, window)
    dialog.show()
    return dialog


DIALOGS = {"export": _export, "fine-tune": _finetune, "compare": _compare, "import labels": _import_labels,
           "smoke labels": _smoke_labels,
           "annotation shortcuts": _annotation_shortcuts, "video export": _video_export,
           "shortcut sheet": _sheet}


def _assert_all_named(root: QWidget) -> None:
    assert len(interactive_widgets(root)) >= 3  # the sweep found the window's widgets
    missing = nameless(root)
    assert not missing, "no accessible name:\n" + "\n".join(missing)
    untold = icon_buttons_untold(root)
    assert not untold, "icon-only, no tooltip with the key:\n" + "\n".join(untold)


def test_image_mode_window_names_every_control(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    _assert_all_named(window)
    assert window.canvas.accessibleName() == "Image canvas"  # and what it is and how it is used:
    assert "zooms" in window.canvas.accessibleDescription() and "F1" in window.canvas.accessibleDescription()


def test_video_mode_window_names_every_control(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=4), tmp_path)
    _assert_all_named(window)
    assert "each frame" in window.video.timeline.plot.accessibleDescription()


@pytest.mark.parametrize("which", list(DIALOGS))
def test_dialog_names_every_control(qtbot, make_window, demo_dir: Path, tmp_path: Path, which: str) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    dialog = DIALOGS[which](window, tmp_path)
    qtbot.waitExposed(dialog)
    _assert_all_named(dialog)
    dialog.close()


def test_the_sweep_fails_on_a_nameless_control(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """The standing check catches what it is for: a slider added to a dialog without a name, and an
    icon-only button whose tooltip leaves out its key."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    dialog = _video_export(window, tmp_path)
    qtbot.waitExposed(dialog)
    assert nameless(dialog) == [] and icon_buttons_untold(dialog) == []
    slider = QSlider(dialog)
    action = QAction(icon("fa6s.play"), "Play", dialog)
    action.setShortcut(QKeySequence("Ctrl+P"))
    button = QToolButton(dialog)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    dialog.layout().addWidget(slider)
    dialog.layout().addWidget(button)
    qtbot.wait(10)
    assert [line.split(" <")[0] for line in nameless(dialog)] == ["QSlider('')"]
    assert len(icon_buttons_untold(dialog)) == 1  # its tooltip is "Play": no Ctrl+P
    slider.setAccessibleName("Speed")
    action.setToolTip("Play (Ctrl+P)")
    assert nameless(dialog) == [] and icon_buttons_untold(dialog) == []
    dialog.close()


@pytest.mark.parametrize(("which", "expected"), [
    ("fine-tune", ["Browse for the dataset folder", "Browse for the checkpoint to start from"]),
    ("compare", ["Browse for checkpoint A", "Browse for checkpoint B"]),
])
def test_each_browse_button_says_what_it_browses_for(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                     which: str, expected: list[str]) -> None:
    """Both Browse… buttons of a dialog read "Browse…" alike to a screen reader unless each is named for
    what it browses for; the name keeps the visible "Browse" (WCAG 2.5.3, label in name)."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    dialog = DIALOGS[which](window, tmp_path)
    qtbot.waitExposed(dialog)
    browse = [w for w in interactive_widgets(dialog) if isinstance(w, QToolButton) and w.text() == "Browse…"]
    assert [accessible_name(w) for w in browse] == expected
    dialog.close()
