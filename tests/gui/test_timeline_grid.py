"""The timeline's grid is one light item inside the plot: the axes no longer reach across it, so a
playhead move (once per frame during playback) does not repaint them, and the first paint after an
open draws the grid lines once, not every tick of both axes stretched across the plot."""

from __future__ import annotations

from app.video.timeline_widget import TimelineWidget


def test_the_axes_do_not_reach_into_the_plot(qtbot) -> None:
    """An item is repainted where anything under its bounding rectangle changes: axes that reach across
    the plot are repainted at each playhead move."""
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 200)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_video(156, 6.0)
    plot = widget.plot.getPlotItem()
    inside = plot.vb.sceneBoundingRect().adjusted(10, 10, -10, -10)  # ticks reach 5 px in
    for name in ("bottom", "left"):
        axis = plot.getAxis(name)
        assert not axis.mapRectToScene(axis.boundingRect()).intersects(inside), name


def test_the_grid_lines_are_at_the_axes_ticks(qtbot) -> None:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 200)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_video(156, 6.0)
    assert widget.grid is not None
    plot = widget.plot.getPlotItem()
    view = plot.vb.viewRect()
    major_x = plot.getAxis("bottom").tickValues(view.left(), view.right(), plot.vb.width())[0][1]
    major_y = plot.getAxis("left").tickValues(view.top(), view.bottom(), plot.vb.height())[0][1]
    lines = widget.grid.lines()
    vertical = sorted(line.x1() for level, line in lines if level == 0 and line.x1() == line.x2())
    horizontal = sorted(line.y1() for level, line in lines if level == 0 and line.y1() == line.y2())
    assert vertical == sorted(major_x) and horizontal == sorted(major_y) and len(vertical) >= 3
    assert all(not plot.getAxis(name).grid for name in ("bottom", "left"))
