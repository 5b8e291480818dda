"""The video timeline's smoke-area curve (session 35's review, on the IJmond clip): it is drawn ×10 and cut at 1
(`TimelineWidget.set_curves`), so a frame with 10 % of its pixels smoke and one with 60 % drew the same line at the
top, and the key said only "smoke area (×10)": neither the cut nor what the area is a share of (pixels above the
mask threshold) was said anywhere. The key now says the cut, and its tooltip what the curves are."""

from __future__ import annotations

import numpy as np

from app.video.timeline_widget import TimelineWidget


def test_the_timeline_key_says_where_the_area_curve_is_cut(qtbot) -> None:  # noqa: ANN001
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.set_video(10, 5.0)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.set_curves(np.array([0.02, 0.1, 0.6] + [0.0] * 7), np.full(10, 0.9))
    drawn = timeline.area_curve.getData()[1]
    assert drawn[1] == drawn[2] == 1.0  # 10 % and 60 % drawn alike: the cut the key must say
    key = timeline.key_label.text()
    assert "10 %" in key, key  # was: "smoke area (×10)"
    tip = timeline.key_label.toolTip().lower()
    assert "mask threshold" in tip and "peak probability" in tip, tip
