"""A theme switch on an open window recolours the application's style in place instead of replacing it.

`QApplication.setStyle` deletes the old style; pyqtgraph's plots (the video timeline's, made hidden
with the window) lay out through a `QGraphicsLayout` that keeps a pointer to the style it first met,
so the next layout of such a plot after a switch read a deleted style: View ▸ Theme ▸ Light on the
demo window, then Analysis ▸ Compare (Fig. 7) shown, or a grab of the window, was a segmentation fault."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDockWidget

import app.theme as theme_module
from app.control_style import ContrastStyle, outline_source
from app.theme import DARK, LIGHT, apply_theme
from tests.gui.annotation_helpers import demo_window


@pytest.fixture
def back_to_dark(qapp) -> Iterator[None]:  # noqa: ANN001 - pytest-qt's qapp
    yield
    apply_theme(qapp, "dark")
    theme_module._current = DARK


def test_a_switch_recolours_the_style_it_does_not_replace_it(qtbot, qapp, make_window, demo_dir: Path,
                                                              tmp_path: Path, back_to_dark) -> None:
    apply_theme(qapp, "dark")  # as create_app does, before the window is made
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    style = qapp.style()
    assert isinstance(style, ContrastStyle)
    for choice, theme in (("light", LIGHT), ("dark", DARK), ("light", LIGHT)):
        window.theme_choice.choose(choice, keep=False)
        assert qapp.style() is style  # a replaced style is deleted under the plots that keep it
        assert style.focus == theme.accent
        lent = style._lent_palette(qapp.palette(), radio=False)
        assert lent.color(QPalette.ColorRole.Window) == outline_source(theme.outline)
    window.resize(1366, 768)
    qtbot.wait(50)
    for dock in window.findChildren(QDockWidget):  # the compare grid's dock laid out its plots: a crash
        dock.show()
        qtbot.wait(10)
    assert not window.grab().isNull()  # laid out every hidden plot again: a crash with a deleted style
