"""Qt-free analysis state: layer stack, layer arrays, error map, τ contour, result cache, labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.analysis.layers import LayerStack, layer_arrays
from fosp_core.analysis.results import (
    ERROR_FN,
    ERROR_FP,
    ResultCache,
    ResultKey,
    bucket_means,
    error_map,
    find_label,
    image_scores,
    set_scores,
    tau_contour,
)
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction


def _prediction(h: int = 6, w: int = 8) -> Prediction:
    rng = np.random.default_rng(0)
    prob = rng.random((h, w), dtype=np.float32)
    focus = rng.random((h, w), dtype=np.float32)
    return Prediction(probability=prob, focus_map=focus, hole=focus > 0.5,
                      background=rng.integers(0, 255, (h, w, 3), dtype=np.uint8),
                      foreground_energy={s: rng.random((h, w), dtype=np.float32) for s in (32, 16, 8, 4)},
                      tau=0.5)


def test_layer_stack_events_and_validation() -> None:
    stack = LayerStack()
    seen: list[tuple[str, str]] = []
    stack.events.changed.connect(lambda name, what: seen.append((name, what)))
    stack.toggle("hole")
    stack.set_opacity("hole", 3.0)
    stack.set_colormap("probability", "viridis")
    assert stack["hole"].visible and stack["hole"].opacity == 1.0
    assert seen == [("hole", "visible"), ("hole", "opacity"), ("probability", "colormap")]
    with pytest.raises(ValueError):
        stack.set_colormap("prediction mask", "viridis")  # binary layers take solid colours
    assert "prediction mask" in stack.names and "mask" not in stack.names  # distinct from annotation


def test_layer_arrays_follow_prediction_and_label() -> None:
    pred = _prediction()
    label = np.zeros(pred.shape, np.uint8)
    label[:3] = 1
    label[0, 0] = 255
    arrays = layer_arrays(pred, 0.4, label)
    assert arrays["probability"] is pred.probability
    np.testing.assert_array_equal(arrays["prediction mask"], pred.mask(0.4))
    assert {f"foreground energy /{s}" for s in (32, 16, 8, 4)} <= set(arrays)
    errors = arrays["error map"]
    np.testing.assert_array_equal(errors == ERROR_FP, (pred.probability > 0.4) & (label == 0))
    np.testing.assert_array_equal(errors == ERROR_FN, (pred.probability <= 0.4) & (label == 1))
    assert "ground truth" not in layer_arrays(pred, 0.4, None)


def test_error_map_ignores_255() -> None:
    mask = np.array([[1, 1, 0, 0]], np.uint8)
    label = np.array([[0, 255, 1, 0]], np.uint8)
    assert error_map(mask, label).tolist() == [[ERROR_FP, 0, ERROR_FN, 0]]


def test_tau_contour_is_the_boundary() -> None:
    hole = np.zeros((7, 7), bool)
    hole[1:6, 1:6] = True
    edge = tau_contour(hole)
    assert edge.sum() == 16 and not edge[3, 3] and edge[1, 3]


def test_result_cache_keys_and_lru(tmp_path: Path) -> None:
    cache = ResultCache(max_items=2)
    a, b, c = (ResultKey.make(tmp_path / f"{n}.jpg", "m", 0.15) for n in "abc")
    for key in (a, b):
        cache.put(key, _prediction())
    assert cache.get(a) is not None  # a is now the most recent
    cache.put(c, _prediction())
    assert b not in cache and a in cache and c in cache
    assert ResultKey.make(tmp_path / "a.jpg", "m", 0.150001) == a  # τ rounded
    assert cache.latest_for(tmp_path / "a.jpg", "m") is cache.get(a)
    assert set(cache.for_model("m", 0.15)) == {a.path, c.path}


def test_scores_and_label_lookup(demo_dir: Path) -> None:
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    assert find_label(image) == demo_dir / "SegmentationClass" / f"{image.stem}.png"
    pred = _prediction()
    label = (pred.probability > 0.5).astype(np.uint8)
    perfect = image_scores(pred, label, 0.5)
    assert perfect.iou == pytest.approx(1.0) and perfect.f_beta == pytest.approx(1.0)
    buckets = set_scores([(pred, label)], 0.5)
    assert buckets["total"].n == 1
    same = bucket_means([(perfect, float((label == 1).mean()))])
    assert same["total"].iou == pytest.approx(buckets["total"].iou)
    assert same[[k for k in ("small", "medium", "large") if buckets[k].n][0]].n == 1


def test_settings_clamp_and_notify() -> None:
    s = AnalysisSettings()
    seen: list[str] = []
    s.events.changed.connect(seen.append)
    s.set_threshold(1.7)
    s.set_tau(0.25)
    s.set_tau(0.25)
    assert s.threshold == 1.0 and s.tau == 0.25 and seen == ["threshold", "tau"]


def test_input_choices_map_to_predictor_arguments_and_name_their_own_model() -> None:
    from fosp_core.analysis.results import model_id
    from fosp_core.analysis.settings import INPUT_CHOICES, predictor_input

    assert predictor_input("default", 512) == {"input_size": 512, "tiled": False}
    assert predictor_input("384", 512) == {"input_size": 384, "tiled": False}
    assert predictor_input("tiled", 512) == {"input_size": 512, "tiled": True, "tile": 512, "overlap": 128}
    for choice, label in INPUT_CHOICES:
        assert predictor_input(choice, 512) and label
    for bad in ("500", "huge", ""):
        with pytest.raises(ValueError, match="input choice"):
            predictor_input(bad, 512)
    s = AnalysisSettings()
    seen: list[str] = []
    s.events.changed.connect(seen.append)
    s.set_input("tiled")
    s.set_input("tiled")
    assert s.input == "tiled" and seen == ["input"]
    with pytest.raises(ValueError):
        s.set_input("999")
    assert s.input == "tiled"
    ids = {model_id("m.safetensors", "cpu", "fp32", c) for c, _ in INPUT_CHOICES}
    assert len(ids) == len(INPUT_CHOICES)  # a result at one input is never shown for another
    assert model_id("m.safetensors", "cpu", "fp32") == model_id("m.safetensors", "cpu", "fp32", "default")


def test_region_rule_setting_layers_and_scores() -> None:
    """The Model panel's "Regions": a core rule drops the weak region from the mask, the error map
    and the scores; the probability layer stays the model's own map."""
    from fosp_core.analysis.settings import KEEP_CHOICES

    prob = np.zeros((40, 40), np.float32)
    prob[2:12, 2:12] = 0.9   # a confident plume
    prob[25:35, 25:35] = 0.6  # a faint patch of haze
    label = np.zeros(prob.shape, np.uint8)
    label[2:12, 2:12] = 1
    pred = Prediction(probability=prob)
    plain = layer_arrays(pred, 0.5, label)
    core = layer_arrays(pred, 0.5, label, keep="core:0.7")
    assert plain["prediction mask"][30, 30] == 1 and core["prediction mask"][30, 30] == 0
    assert core["prediction mask"][5, 5] == 1
    assert core["probability"] is prob
    assert (plain["error map"] == ERROR_FP).sum() == 100 and (core["error map"] == ERROR_FP).sum() == 0
    assert image_scores(pred, label, 0.5).precision == pytest.approx(0.5)
    assert image_scores(pred, label, 0.5, "core:0.7").precision == pytest.approx(1.0)

    s = AnalysisSettings()
    seen: list[str] = []
    s.events.changed.connect(seen.append)
    assert s.keep == "plain"
    s.set_keep("core:0.70")
    s.set_keep("core:0.7")
    assert s.keep == "core:0.7" and seen == ["keep"]
    with pytest.raises(ValueError, match="decision rule"):
        s.set_keep("strongest")
    assert s.keep == "core:0.7"
    assert [c for c, _ in KEEP_CHOICES][0] == "plain" and all(label for _, label in KEEP_CHOICES)
