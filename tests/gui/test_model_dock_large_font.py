"""The Model and Layers docks with a large system font (12-14 pt) on a laptop screen.

The Layers list's minimum height was every row, unscrolled, whatever the font: at 14 pt the window
could not be shorter than 668 px (more than a 1280 x 720 screen gives under a title bar and a
taskbar), and on 1366 x 768 the Model dock above it was 192 px tall, its Run button half cut off
and the metrics out of view (1280 x 680: 104 px). Now the Layers list keeps every row only while
the Model dock keeps its run buttons and metrics in view, and scrolls (down to a few rows) where
not; at the default font the list still shows every row on 1366 x 768 and 1920 x 1080."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QScrollArea

from app.analysis.dock_split import split_column
from app.analysis.layer_list import MIN_ROWS
from tests.gui.app_font import application_font
from tests.gui.model_dock_helpers import in_view, settle_at, window_with_metrics
from tests.gui.tiny_model import save_tiny_checkpoint

#: A 1280 x 720 screen less a title bar and a taskbar.
SHORT_SCREEN = 720 - 80


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


@pytest.fixture()
def font_size(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[float]:
    """The application font at `request.param` points (0: left as it is), put back afterwards."""
    with application_font(qapp, request.param) as points:
        yield points


def _shown_rows(ctl) -> int:  # noqa: ANN001 - the AnalysisController
    """How many rows of the Layers list are in view whole, unscrolled."""
    rows = ctl.layer_list.list
    return min(rows.count(), rows.viewport().height() // rows.sizeHintForRow(0))


@pytest.mark.parametrize("font_size", [12.0, 14.0], indirect=True)
def test_the_run_buttons_stay_in_view_with_a_large_font(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                         font_size: float) -> None:
    window, ctl = window_with_metrics(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    area = ctl.model_dock.widget()
    assert isinstance(area, QScrollArea)
    panel = ctl.panel
    # the window fits a 1280 x 720 screen (it needed 592 px at 12 pt, 668 at 14)
    assert window.minimumSizeHint().height() <= SHORT_SCREEN, window.minimumSizeHint()
    for width, height in ((1366, 768), (1280, 680), (1920, 1080), (1366, 768), (1280, 680)):
        settle_at(window, width, height)
        assert area.verticalScrollBar().value() == 0
        place = (width, height, ctl.model_dock.height(), area.viewport().height(),
                 panel.run_button.mapTo(area.viewport(), QPoint(0, 0)), panel.run_button.size())
        for needed in (panel.checkpoint_label, panel.threshold, panel.run_button, panel.run_all_button):
            assert in_view(needed, area), (needed, place)
        assert _shown_rows(ctl) >= MIN_ROWS  # the Layers list scrolls, a few rows still in view
        # room for the metrics too, the Layers list giving up rows for them; at 14 pt on 768 px they
        # would leave it under 2 rows: the metrics scroll, the Layers list keeps MIN_ROWS
        if height >= 1080 or (height >= 768 and font_size <= 12):
            assert in_view(ctl.metrics, area), place
    assert window.minimumSizeHint().height() <= SHORT_SCREEN, window.minimumSizeHint()


@pytest.mark.parametrize("font_size", [0.0], indirect=True)
def test_every_layer_row_in_view_at_the_default_font(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                     font_size: float) -> None:
    """As before: at the default font the Layers list shows every row, the Model dock its metrics;
    back on 1366 x 768 after 1920 x 1080 the metrics were out of view (Qt shrank both docks in
    proportion: the Model dock 314 px, 44 short, after 1280 x 680 and 1920 x 1080)."""
    window, ctl = window_with_metrics(qtbot, make_window, checkpoint, demo_dir, tmp_path)
    area = ctl.model_dock.widget()
    assert isinstance(area, QScrollArea)
    rows = ctl.layer_list.list
    for width, height in ((1366, 768), (1280, 680), (1920, 1080), (1366, 768)):
        settle_at(window, width, height)
        if height >= 768:
            assert rows.verticalScrollBar().maximum() == 0, (width, height)
            assert _shown_rows(ctl) == rows.count(), (width, height, rows.viewport().height())
        else:  # 680 px: the metrics first, the Layers list scrolls
            assert _shown_rows(ctl) >= MIN_ROWS
        assert in_view(ctl.metrics, area), (width, height, ctl.model_dock.height(), area.viewport().height())
        assert in_view(ctl.panel.run_button, area)
    assert window.minimumSizeHint().height() <= SHORT_SCREEN


def test_the_split_rule() -> None:
    """Every row while the Model dock keeps its essentials, its details too where they fit; else
    the Model dock's essentials and the Layers list scrolls, down to its few rows."""
    # total, model now, essential, full (details), every row, few rows
    assert split_column(624, 397, 329, 477, 266, 154) == 358  # 1366 x 768: Layers every row, the rest to Model
    assert split_column(936, 300, 315, 463, 266, 154) == 463  # 1920 x 1080: the details too
    assert split_column(936, 600, 315, 463, 266, 154) == 600  # a split that fits stands
    assert split_column(518, 308, 394, 575, 341, 194) == 324  # 12 pt, 680 px: Layers at its few rows
    assert split_column(700, 200, 394, 575, 341, 194) == 394  # Layers scrolls; Model its essentials
