"""The Layers list shows whole rows on small screens too: at 1024 x 640 (and 1152 x 648) its dock
sat at its own minimum height (its note, opacity row and legend under the list), taller than the
split's "few rows", and the list's foot cut a row in half (116 px for rows of 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.layer_list import MIN_ROWS
from tests.gui.model_dock_helpers import settle_at, window_with_metrics
from tests.gui.tiny_model import save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_a_small_window_shows_whole_layer_rows(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    window, ctl = window_with_metrics(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    rows = ctl.layer_list.list
    row = rows.sizeHintForRow(0)
    for width, height in ((1024, 640), (1024, 600), (1152, 648)):
        settle_at(window, width, height)
        assert rows.verticalScrollBar().maximum() > 0  # it scrolls at these sizes
        shown = rows.viewport().height()
        assert shown % row == 0, (width, height, shown, row)  # was: 116 px, 7 rows and a quarter
        assert shown // row >= MIN_ROWS
