"""Help ▸ Keyboard Shortcuts opened 560 x 620 and Getting Started / Model Card 640 x 560 whatever the
screen: on a 1024 x 600 netbook screen the sheet's Close button was below the screen's edge. They are
sized as the fine-tune and compare dialogs are (app.panels.fit_to_screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

from app.help_menu import HelpDialog
from app.panels import FRAME_ALLOWANCE
from app.shortcut_sheet import ShortcutSheet

SMALL = QRect(0, 0, 1024, 600)


@pytest.mark.parametrize("kind", ["sheet", "help"])
def test_help_windows_fit_a_small_screen(qtbot, make_window, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(SMALL))
    window = make_window()
    dialog = ShortcutSheet(window) if kind == "sheet" else HelpDialog("Getting Started", "markdown", "# Hi", window)
    qtbot.addWidget(dialog)
    assert dialog.height() + FRAME_ALLOWANCE[1] <= SMALL.height(), dialog.size()
    assert dialog.width() + FRAME_ALLOWANCE[0] <= SMALL.width()
    assert dialog.height() >= dialog.minimumSizeHint().height()  # smaller, never clipped


@pytest.mark.parametrize(("kind", "size"), [("sheet", (560, 620)), ("help", (640, 560))])
def test_help_windows_keep_their_size_on_a_laptop(qtbot, make_window, monkeypatch: pytest.MonkeyPatch,
                                                  kind: str, size: tuple[int, int]) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1366, 728))
    window = make_window()
    dialog = ShortcutSheet(window) if kind == "sheet" else HelpDialog("Getting Started", "markdown", "# Hi", window)
    qtbot.addWidget(dialog)
    assert (dialog.width(), dialog.height()) == size
