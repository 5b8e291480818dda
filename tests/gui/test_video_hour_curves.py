"""The timeline's curves of an hour of video (90,000 frames at 25 fps): the Video panel redraws them every
150 ms while frames are predicted (`VideoPredictions.update_curves`), and each redraw asked every frame's
summary for its area in Python (`PredictionCache.summary_arrays`: 128 ms at 90,000 frames) and drew a
90,000-point line (114-188 ms a paint): the GUI thread stalled ~300 ms five times a second. The cache now
keeps the curves' arrays as frames are put (a threshold change reworks them once) and the timeline draws
one peak-preserving point pair a pixel (pyqtgraph's downsampling). These tests count operations, not time."""

from __future__ import annotations

import numpy as np
import pytest

from app.video.timeline_widget import TimelineWidget
from fosp_core.video.predictions import FrameSummary, PredictionCache

HOUR = 90_000


def test_the_timeline_draws_a_bounded_number_of_points_for_an_hour(qtbot) -> None:  # noqa: ANN001
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(1200, 200)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.set_video(HOUR, 25.0)
    area = np.full(HOUR, np.nan)
    area[:HOUR // 2] = 0.0
    area[12_345] = 0.09  # one frame's plume: the peak must stay drawn
    timeline.set_curves(area, area)
    timeline.repaint()
    x, y = timeline.area_curve.getData()
    width = timeline.plot.width()
    assert len(x) <= 12 * width, (len(x), width)  # before: 90,000 points whatever the width
    assert np.nanmax(y) == pytest.approx(0.9)  # x10 on the plot


def test_the_curves_arrays_ask_no_summary_again_until_the_threshold_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    area_at = FrameSummary.area_at
    monkeypatch.setattr(FrameSummary, "area_at", lambda self, t: asked.append(1) or area_at(self, t))
    cache = PredictionCache(2_000)
    rng = np.random.default_rng(0)
    maps = {i: rng.random((6, 6)).astype(np.float32) for i in range(0, 2_000, 2)}
    for index, probability in maps.items():
        cache.put(index, probability)
    asked.clear()
    area, peak = cache.summary_arrays()
    cache.summary_arrays()
    assert len(asked) == 0  # before: every summary asked at each call (2,000 here)
    assert np.isnan(area[1]) and np.isnan(peak[1])
    assert area[4] == cache.summary(4).area_at(0.5)  # as before: the summary's area at the threshold
    assert peak[4] == pytest.approx(float(maps[4].max()))
    asked.clear()
    cache.set_threshold(0.25)
    area, _ = cache.summary_arrays()
    cache.summary_arrays()
    assert len(asked) == len(maps)  # once each, after the threshold changed
    assert area[4] == pytest.approx(cache.summary(4).area_at(0.25))
    area[4] = 7.0  # the caller's copy: the cache's own arrays unchanged
    assert cache.summary_arrays()[0][4] != 7.0
    cache.reset()
    assert np.isnan(cache.summary_arrays()[0]).all()
