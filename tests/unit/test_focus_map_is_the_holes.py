"""The Focus Map a prediction shows is the one the model cut the τ hole from.

The model upsamples its stride-16 Focus Map (a probability, σ of the focus logits) bilinearly to the
input and removes the pixels above τ (fosp_core.model.fosp: ``resize(focus_map) > tau``). The
prediction's `focus_map` was σ of the *upsampled logits* instead: on a demo photo at 512 px, 2677
pixels (9 % of the hole) lay on the wrong side of τ, up to 0.068 from it, so the τ contour ("Focus
Map = τ") did not follow the Focus Map's τ level and the hover read "focus 0.08" inside the hole.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from fosp_core.infer import Predictor
from tests.conftest import DEMO_DIR, ROOT

CHECKPOINT = ROOT / "resources" / "models" / "fosp-default.safetensors"
IMAGE = DEMO_DIR / "JPEGImages" / "20200905_ValleyFire_sm-e-mobo-c__1599342149_+00780.jpg"
TAU = 0.15


@pytest.fixture(scope="module")
def predictor() -> Predictor:
    if not CHECKPOINT.is_file():
        pytest.skip(f"needs the bundled default model {CHECKPOINT}")
    torch.set_num_threads(1)
    return Predictor(CHECKPOINT, device="cpu", input_size=512, tau=TAU)


def test_the_hole_is_the_shown_focus_map_above_tau(predictor: Predictor) -> None:
    rgb = np.asarray(Image.open(IMAGE).convert("RGB"))
    assert rgb.shape[:2] == (512, 512)  # the network's own size: no letterbox, no resample to the image
    prediction = predictor.predict(rgb, need="all")
    focus, hole = np.asarray(prediction.focus_map), prediction.hole
    assert focus is not None and hole is not None
    assert 1000 < int(hole.sum()) < hole.size // 2  # a real hole to compare
    wrong = hole != (focus > TAU)
    assert int(np.count_nonzero(wrong & (np.abs(focus - TAU) > 1e-6))) == 0


def test_the_focus_map_is_the_models_own_upsampled(predictor: Predictor) -> None:
    """At the network's size the shown map is the model's `resize(focus_map)`, value for value."""
    rgb = np.asarray(Image.open(IMAGE).convert("RGB"))
    prediction = predictor.predict(rgb, need="all")
    model = predictor.model
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].float()
    with torch.inference_mode():
        out = model(x, tau=TAU)
    expected = torch.nn.functional.interpolate(out.focus_map.float(), size=(512, 512), mode="bilinear",
                                               align_corners=False)[0, 0].numpy()
    assert np.abs(np.asarray(prediction.focus_map) - expected).max() < 1e-5
