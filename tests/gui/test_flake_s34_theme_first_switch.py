"""A theme switch on a window made before any theme was applied to the application (the first test of a
worker process, or one after a test put the application's style back) replaced the style under the
window's pyqtgraph plots (`QApplication.setStyle` deletes the old one; a plot's QGraphicsLayout keeps a
pointer to it): their next layout read a deleted style, a segmentation fault. The GUI tests now run
in the app's theme from the start, as the app does (`create_app` applies it before any window)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDockWidget

from app.control_style import ContrastStyle
from tests.gui.annotation_helpers import demo_window


def test_a_window_of_a_test_is_made_in_the_app_s_style(qapp) -> None:  # noqa: ANN001 - pytest-qt's qapp
    assert isinstance(qapp.style(), ContrastStyle)


def test_the_first_switch_of_a_test_keeps_the_style_its_plots_hold(qtbot, qapp, make_window, demo_dir: Path,
                                                                    tmp_path: Path) -> None:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    style = qapp.style()
    window.theme_choice.choose("light", keep=False)
    assert qapp.style() is style  # a replaced style is deleted under the plots that keep it
    window.theme_choice.choose("dark", keep=False)
    window.resize(1366, 768)
    for dock in window.findChildren(QDockWidget):  # each dock's plots laid out again: a crash with a deleted style
        dock.show()
        qtbot.wait(10)
    assert not window.grab().isNull()
