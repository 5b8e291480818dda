"""An all-day session: the metrics readout keeps the labels of the cached results and the shown one.
It bounded them by the result cache's count (64 + 1), but the cache is bounded in bytes too and then
holds far fewer big results: after a day of 4000x3000 photos the readout kept 65 labels of 12 MB
(780 MB) for a cache holding a few results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.analysis.metrics_box import MetricsBox
from app.analysis.readouts import ScoreReadout
from fosp_core.analysis.results import ResultCache, ResultKey, prediction_nbytes
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction
from fosp_core.session import ImageSession
from tests.gui.test_analysis_readouts import MODEL, SHAPE, _folder


def test_labels_held_follow_the_results_the_byte_bound_keeps(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    smoke = np.zeros(SHAPE, np.uint8)
    smoke[2:6, 3:9] = 1
    paths = _folder(tmp_path, {f"im{i}": smoke for i in range(10)})
    box = MetricsBox()
    qtbot.addWidget(box)
    session = ImageSession()
    session.add(paths)
    settings = AnalysisSettings()
    rng = np.random.default_rng(0)

    def prediction() -> Prediction:
        return Prediction(probability=rng.random(SHAPE, dtype=np.float32), tau=settings.tau)

    cache = ResultCache(max_bytes=3 * prediction_nbytes(prediction()))  # 3 results, far under 64
    readout = ScoreReadout(box, settings, session, cache)
    for path in session.paths:  # as results arrive during Run on all
        key = ResultKey.make(path, MODEL, settings.tau)
        result = prediction()
        cache.put(key, result)
        readout.score(key, result)
        assert len(readout._labels) <= len(cache) + 1, len(readout._labels)  # before: one per result (bound 65)
    assert len(cache) == 3
    readout.update(MODEL, None, None)
    assert box.value("total", "n") == "10"  # every result scored, labels let go or not
