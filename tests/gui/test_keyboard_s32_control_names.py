"""Session 32, an annotator who hears the window through a screen reader: every button, slider and
drop-down of the main window - shown or not yet (a dock's hidden page, the status bar's indicator, a
text box's clear button that shows once something is typed) - has a name of its own: an accessible
name, its text, a tooltip, or a label whose buddy it is (what Orca and NVDA read beside it). Qt's own
parts (``qt_*``: a dock's title buttons, a toolbar's overflow, a table's corner) are Qt's to name.

The clear button of the Images dock's name filter (shown as soon as a name is typed) had none: a screen
reader said "button" and nothing else."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QSlider, QWidget

from app.main_window import MainWindow
from tests.gui.accessibility import describe
from tests.gui.keyboard_day_helpers import day_window, open_clip

KINDS = (QAbstractButton, QSlider, QComboBox)
#: Hidden until they have words to show, each given them as it shows (the status bar's count of images
#: not saved: app.annotation.save_status.SaveStatus._show_indicator sets its text and tooltip).
WORDS_WHEN_SHOWN = {"unsaved_indicator"}


def _named(widget: QWidget, buddies: set[int]) -> bool:
    if widget.objectName() in WORDS_WHEN_SHOWN and widget.isHidden():
        return True
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return bool(widget.accessibleName().strip() or text.replace("&", "").strip() or widget.toolTip().strip()
                or id(widget) in buddies)


def unnamed_controls(window: QWidget) -> list[str]:
    """The buttons, sliders and drop-downs under `window` (hidden ones too) with no name of their own."""
    buddies = {id(label.buddy()) for label in window.findChildren(QLabel)
               if label.buddy() is not None and label.text().replace("&", "").strip()}
    return [describe(widget) for kind in KINDS for widget in window.findChildren(kind)
            if not widget.objectName().startswith("qt_") and not _named(widget, buddies)]


def test_every_control_of_the_image_window_has_a_name(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    assert len(window.findChildren(QAbstractButton)) > 20  # the walk reached the docks' buttons
    assert unnamed_controls(window) == []
    filter_edit = window.images_panel.filter_edit
    QTest.keyClicks(filter_edit, "smoke")  # its clear button shows
    assert unnamed_controls(window) == []


def test_every_control_of_the_video_window_has_a_name(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    open_clip(qtbot, window, tmp_path)
    assert unnamed_controls(window) == []


def test_a_control_without_a_name_is_found(qtbot, make_window) -> None:  # noqa: ANN001
    window: MainWindow = make_window()
    before = unnamed_controls(window)
    for widget in (QSlider(window.centralWidget()), QComboBox(window.centralWidget())):
        widget.setObjectName("probe")
    assert len(unnamed_controls(window)) == len(before) + 2
