"""The committed default model: it loads with the current code (its card agrees), and it finds the
labelled smoke of the bundled demo images (SmokeSeg val samples it was never trained on)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fosp_core.checkpoint import load_checkpoint
from fosp_core.data.datasets import open_dataset
from fosp_core.infer import Predictor
from fosp_core.metrics.scores import per_image_scores
from fosp_core.paths import BUNDLED_MODELS, DEFAULT_MODEL_FILE

WEIGHTS = BUNDLED_MODELS / DEFAULT_MODEL_FILE
CARD = BUNDLED_MODELS / "fosp-default.card.json"

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_weights_and_card_are_committed_and_agree():
    assert WEIGHTS.is_file() and CARD.is_file()
    card = json.loads(CARD.read_text())
    model = load_checkpoint(WEIGHTS)
    assert model.name == card["model"]["name"] == "fosp-s"
    assert model.config.is_fosp and model.config.backbone == card["model"]["config"]["backbone"]
    assert sum(p.numel() for p in model.parameters()) == card["model"]["parameters"]


def test_finds_the_smoke_of_the_demo_images(demo_dir):
    predictor = Predictor(WEIGHTS, device="cpu")
    dataset = open_dataset(demo_dir)
    scores = []
    for sample in dataset:
        prob = predictor.predict(sample.image).probability
        assert prob.shape == sample.mask.shape and np.isfinite(prob).all()
        scores.append(per_image_scores(prob, sample.mask))
    # A broken or mis-loaded model scores ~0 (it flags nothing, or everything: precision ~ delta).
    mean_f = float(np.mean([s["f_beta"] for s in scores]))
    assert mean_f > 0.2, [round(s["f_beta"], 3) for s in scores]
    assert all(s["precision"] > 2 * s["delta"] for s in scores if s["tp"])
