"""The worklist's summary of a result ignored the Model panel's region rule (session 37's review, an analyst
keeping only regions with a core above 0.7 to see fewer false alarms): "Sort by: Error vs label" ordered the
images by the error of every region above the threshold, and "Smoke size" (an image without a mask) by their
size, while the canvas, the error map, the metrics box and the scores kept in that same summary (its stamp
names the rule) are of the rule's regions only. An analyst sorting by error to find the images the model gets
most wrong under the rule was shown them in the order of the plain threshold's errors. The summary's
predicted smoke and error now follow the rule; the uncertainty is the map's own, whatever the rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.analysis.results import ResultKey
from fosp_core.annotation.summaries import summarise
from fosp_core.data.types import IGNORE, SMOKE
from fosp_core.metrics.decision import keep_regions
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _error(mask: np.ndarray, label: np.ndarray) -> float:
    valid, truth = label != IGNORE, label == SMOKE
    union = np.count_nonzero((mask | truth) & valid)
    return 0.0 if union == 0 else 1.0 - np.count_nonzero(mask & truth & valid) / union


def test_the_summary_of_a_map_follows_the_rule(tmp_path: Path) -> None:
    from PIL import Image

    probability = np.zeros((40, 60), np.float32)
    probability[5:15, 5:20] = 0.9  # a region with a core above 0.7: kept
    probability[25:35, 30:50] = 0.6  # one without: dropped by core:0.7
    label = np.zeros((40, 60), np.uint8)
    label[5:15, 5:20] = 1
    Image.fromarray(label).save(tmp_path / "label.png")
    plain = summarise(probability, 0.5, tmp_path / "label.png").summary
    ruled = summarise(probability, 0.5, tmp_path / "label.png", keep="core:0.7").summary
    assert plain["smoke_ratio"] == pytest.approx(350 / 2400) and plain["error_vs_label"] == pytest.approx(200 / 350)
    assert ruled["smoke_ratio"] == pytest.approx(150 / 2400)  # was the plain one
    assert ruled["error_vs_label"] == pytest.approx(0.0)  # the kept region is the label
    assert ruled["uncertainty"] == plain["uncertainty"] and ruled["uncertain_share"] == plain["uncertain_share"]


def test_a_run_under_a_rule_is_summarised_as_shown(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:  # noqa: ANN001
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    registry = window.annotation.controller.registry
    request = ctl.run_current()  # the image shown first, at the plain rule: a map to choose the settings by
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    probability = ctl.prediction.probability
    threshold = round(float(np.quantile(probability, 0.6)), 3)  # 40 % of the image above it
    ctl.settings.set_threshold(threshold)
    ctl.settings.set_keep(f"core:{float(np.quantile(probability, 0.995)):.3f}")  # the brightest regions kept
    rule = ctl.settings.keep
    request = run_all(qtbot, ctl)  # the other images run under the rule, their summaries stamped with it
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    dropped = 0
    for path in window.session.paths[1:]:
        project, image_id = registry.lookup(path)
        qtbot.waitUntil(lambda p=project, i=image_id: ((p.entry(i).prediction or {}).get("model") or {}).get("keep")
                        == rule, timeout=WAIT_MS)
        summary = project.entry(image_id).prediction
        prediction = ctl.cache.get(ResultKey.make(path, ctl.model.model_id, ctl.settings.tau))
        assert prediction is not None
        shown = keep_regions(prediction.probability, rule, threshold)  # what the canvas and the scores take
        dropped += int(0 < shown.sum() < (prediction.probability > threshold).sum())
        label = ctl.scores.label_for(path, prediction.shape)
        assert label is not None
        assert summary["smoke_ratio"] == pytest.approx(shown.mean()), path.name  # was the plain mask's
        assert summary["error_vs_label"] == pytest.approx(_error(shown, label)), path.name
    assert dropped  # the rule dropped regions of some image (else this test tells nothing)
