"""A window opened on images never shows the video timeline or the compare grid, whose pyqtgraph plots were
about half of the CPU a main window took to build (and to delete): they are made when first shown or used,
in the theme of that moment (bench/bench_window_build.py)."""

from __future__ import annotations

import pyqtgraph as pg
import pytest

from app.analysis.grid_titles import COLUMNS
from app.theme import apply_theme
from tests.gui.theme_helpers import restore_theme  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("restore_theme")


def test_a_window_is_made_without_the_timeline_plot_or_the_grid_panels(make_window, qtbot) -> None:  # noqa: ANN001
    window = make_window(show=True)
    qtbot.wait(10)
    assert window.findChildren(pg.PlotWidget, "video_plot") == []
    assert window.analysis.grid.view_boxes == []
    assert not window.video.timeline.built and not window.analysis.grid.built


def test_the_timeline_shown_first_in_the_light_theme_is_made_light(make_window, qtbot, qapp) -> None:  # noqa: ANN001
    window = make_window(show=True)
    apply_theme(qapp, "light")  # before the plot is made: it never heard the switch
    window.video.timeline_dock.show()
    qtbot.waitUntil(lambda: window.video.timeline.built)
    plot = window.findChild(pg.PlotWidget, "video_plot")
    assert plot is window.video.timeline.plot and plot.isVisible()
    assert plot.backgroundBrush().color().lightness() > 200, plot.backgroundBrush().color().name()
    assert "video_plot_key" == window.video.timeline.key_label.objectName()
    apply_theme(qapp, "dark")  # and follows the theme from then on
    assert plot.backgroundBrush().color().name() == "#000000"


def test_a_timeline_used_before_it_is_shown_is_made_with_what_it_was_told(make_window) -> None:  # noqa: ANN001
    timeline = make_window().video.timeline
    timeline.set_position(0)  # a position alone needs no plot
    assert not timeline.built
    timeline.set_video(40, 25.0)
    timeline.set_position(17)
    timeline.set_marks([3, 9], [5])
    assert timeline.built
    assert timeline.playhead.value() == 17
    assert list(timeline.keyframe_marks.getData()[0]) == [3, 9]
    assert timeline.plot.getPlotItem().vb.viewRange()[0][1] >= 39


def test_the_grid_is_made_when_its_dock_is_shown(make_window, qtbot) -> None:  # noqa: ANN001
    window = make_window(show=True)
    grid = window.analysis.grid
    window.analysis.grid_dock.show()
    qtbot.waitUntil(lambda: grid.built)
    assert len(grid.view_boxes) == 5 and grid.titles()[0] == "image"
    assert set(grid.maps.items) == set(grid.maps.notes) == set(COLUMNS[1:4])  # the map panels, given their notes


def test_docks_shown_when_the_window_closed_are_shown_made_in_the_next(make_window, qtbot, settings_path) -> None:  # noqa: ANN001
    first = make_window(show=True)
    first.video.timeline_dock.show()
    first.analysis.grid_dock.show()
    qtbot.waitUntil(lambda: first.video.timeline.built and first.analysis.grid.built)
    first.close()
    second = make_window(show=True)
    qtbot.waitUntil(lambda: second.video.timeline_dock.isVisible() and second.analysis.grid_dock.isVisible())
    assert second.video.timeline.built and second.analysis.grid.built
    assert second.video.timeline.plot.isVisible()
