"""The Layers list shows whole rows where it scrolls: the column's split (app/analysis/dock_split.py)
gives the Layers dock a height that holds a whole number of rows, the pixels over a row going to the
Model dock above (which scrolls where it must). It cut the last row in view in half (at 14 pt on
1366 x 768 and 1280 x 680, at the default font on 1280 x 680)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.analysis.dock_split import split_column
from app.analysis.layer_list import MIN_ROWS
from tests.gui.app_font import application_font
from tests.gui.model_dock_helpers import settle_at, window_with_metrics
from tests.gui.tiny_model import save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


@pytest.fixture()
def font_size(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[float]:
    with application_font(qapp, request.param) as points:
        yield points


@pytest.mark.parametrize("font_size", [0.0, 14.0], indirect=True)
def test_a_scrolling_layers_list_shows_whole_rows(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                  font_size: float) -> None:
    window, ctl = window_with_metrics(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    rows = ctl.layer_list.list
    row = rows.sizeHintForRow(0)
    scrolled = []
    for width, height in ((1366, 768), (1280, 680), (1280, 700), (1366, 730), (1920, 1080), (1280, 690)):
        settle_at(window, width, height)
        if rows.verticalScrollBar().maximum() == 0:
            continue  # every row in view
        scrolled.append((width, height))
        shown = rows.viewport().height()
        assert shown % row == 0, (width, height, shown, row)  # was: part of a row cut off
        assert shown // row >= MIN_ROWS
    assert len(scrolled) >= 2  # the sizes that make it scroll were reached


def test_the_split_gives_the_layers_whole_rows() -> None:
    """Where the Layers list scrolls, its dock is its few rows plus whole rows (of `row` px); the
    pixels over go to the Model dock. Where every row shows, the split is as before."""
    # total, model now, essential, full, every row, few rows, row
    assert split_column(518, 308, 394, 575, 341, 194, 19) == 324  # Layers at its few rows: as before
    assert split_column(700, 200, 394, 575, 341, 194, 19) == 411  # 306 px = 194 + 5 x 19 + 17: 17 to Model
    assert split_column(700, 200, 394, 575, 341, 194, 1) == 394  # a row of 1 px: the split as it was
    assert split_column(624, 397, 329, 477, 266, 154, 19) == 358  # every row: as before
