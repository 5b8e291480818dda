"""predict_batch takes an (N, H, W) grayscale stack again (each (H, W) image as grayscale, as predict
takes one), as it did before 05c8e34; a single image given as a batch is still refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "JPEGImages"


@pytest.fixture(scope="module")
def predictor(tiny_checkpoint_file: Path):
    import torch

    from fosp_core.infer import Predictor

    torch.set_num_threads(1)
    return Predictor(tiny_checkpoint_file, device="cpu", input_size=64)


@pytest.fixture(scope="module")
def gray_stack() -> np.ndarray:
    from fosp_core.io.images import read_image

    files = sorted(DEMO.glob("*.jpg"))[:3]
    grays = [read_image(f).rgb[::8, ::8][:64, :64].mean(axis=2).astype(np.uint8) for f in files]
    return np.stack(grays)  # (3, 64, 64): real photos as gray


def test_a_gray_stack_gives_one_prediction_per_image_as_alone(predictor, gray_stack: np.ndarray) -> None:
    batch = predictor.predict_batch(gray_stack)
    assert len(batch) == len(gray_stack)
    for pred, gray in zip(batch, gray_stack, strict=True):
        alone = predictor.predict(gray)
        np.testing.assert_allclose(pred.probability, alone.probability, atol=1e-5)


def test_a_single_image_is_still_refused_as_a_batch(predictor, gray_stack: np.ndarray) -> None:
    rgb = np.repeat(gray_stack[0][:, :, None], 3, axis=2)
    for one in (rgb, gray_stack[0], rgb[:, :, :1], np.dstack([rgb, rgb[:, :, :1]])):
        with pytest.raises(ValueError, match=r"one image .*predict\(\)"):
            predictor.predict_batch(one)
