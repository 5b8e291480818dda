"""The Fine-tune dialog fits a 1024 x 600 screen: its minimum height was 588 px (the curves alone
asked 220), so with a title bar its Start and Close buttons were below the screen's edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

from app.panels import FRAME_ALLOWANCE

SMALL = QRect(0, 0, 1024, 600)


def test_fine_tune_dialog_fits_a_1024x600_screen(make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(SMALL))
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    dialog = window.training.open_dialog()
    assert dialog.height() + FRAME_ALLOWANCE[1] <= SMALL.height(), (dialog.height(), dialog.minimumSizeHint())
    assert dialog.height() >= dialog.minimumSizeHint().height()  # smaller, never clipped
    assert dialog.plots.height() >= 150  # the curves still readable
