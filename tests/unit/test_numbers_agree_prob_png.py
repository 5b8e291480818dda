"""`fosp predict --save prob` then `fosp eval --predictions OUT/prob` scores what the core scores.

A probability map whose every pixel is under 1.5/255 (a confident "no smoke", e.g. the default model on
a 1517 x 211 crop of a SmokeSeg photo: 8-bit values 0 and 1 only) was written as an 8-bit PNG of 0s
and 1s, which `read_prediction` takes for a 0/1 mask: every pixel at 1/255 became smoke (probability
1.0), so `fosp eval` gave that image M 0.085 where the app and the core give 0.003 (and flagged 8 %
of it). The probability PNGs `fosp predict` writes now say what they are (a ``fosp`` text chunk),
and a 0/1 mask file is still read as a mask.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.infer.outputs import write_prediction
from fosp_core.infer.result import Prediction
from fosp_core.metrics import per_image_scores
from fosp_core.metrics.evaluate import read_prediction
from fosp_core.metrics.prob_png import is_probability_png


def _faint(h: int = 24, w: int = 40) -> np.ndarray:
    """A probability map under 1.5/255 everywhere: 8-bit it holds only 0 and 1."""
    prob = np.full((h, w), 0.001, np.float32)
    prob[:, : w // 3] = 0.004  # rounds to 1/255
    return prob


def test_a_faint_probability_png_reads_back_as_probability(tmp_path: Path) -> None:
    prob = _faint()
    label = np.zeros(prob.shape, np.uint8)  # a smoke-free image
    label[:4, -4:] = 1
    rgb = np.zeros((*prob.shape, 3), np.uint8)
    [path] = write_prediction(tmp_path, "faint", rgb, Prediction(probability=prob), ("prob",), 0.5)
    assert set(np.unique(np.asarray(Image.open(path)))) == {0, 1}  # the ambiguous case
    read = read_prediction(path)
    assert float(read.max()) < 0.01, "pixels at 1/255 were read as smoke (1.0)"
    assert np.abs(read - prob).max() <= 0.5 / 255 + 1e-6
    core, cli = per_image_scores(prob, label), per_image_scores(read, label)
    assert (cli["tp"], cli["fp"]) == (core["tp"], core["fp"]) == (0, 0)
    assert abs(cli["mse"] - core["mse"]) < 1e-4, (cli["mse"], core["mse"])
    assert is_probability_png(path)


def test_a_01_mask_png_is_still_a_mask(tmp_path: Path) -> None:
    """A plain grayscale PNG of 0s and 1s (no fosp chunk: another tool's mask) stays a 0/1 mask."""
    mask = np.zeros((8, 8), np.uint8)
    mask[2:5, 2:5] = 1
    path = tmp_path / "mask.png"
    Image.fromarray(mask).save(path)
    assert not is_probability_png(path)
    assert np.array_equal(read_prediction(path), mask.astype(np.float32))
