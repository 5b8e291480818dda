"""The window every annotator's-day test starts from."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.main_window import MainWindow
from tests.gui.annotation_helpers import blank_demo_window


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001 - fixtures
    """A shown window on a writable copy of the demo, the first image's mask cleared."""
    return blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
