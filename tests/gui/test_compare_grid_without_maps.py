"""The compare grid of a model without the maps it shows (task P, session 29's QA sweep).

With a SegFormer checkpoint (``separation: false``, no Focus stage: ablation row (a)) the Focus Map,
separated background and separated foreground panels were blank with no word why, and the ground
truth's outline, drawn on the Focus Map's picture, was gone with it. Now each such panel says why
it is empty, and the ground truth is outlined on a plain panel; a model with a Focus Map but no
Separation module (row (c)) says so on the two separated panels only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtGui import QImage

from app.analysis.compare_grid import COLUMNS, CompareGrid
from fosp_core.analysis.layers import GROUND_TRUTH_COLOUR, SOLID_COLORS
from fosp_core.infer import Predictor
from fosp_core.model import build_model

H, W = 48, 64
FOCUS, BACKGROUND, FOREGROUND = COLUMNS[1], COLUMNS[2], COLUMNS[3]


def _rgb() -> np.ndarray:
    y, x = np.mgrid[0:H, 0:W]
    return np.stack([x * 4, y * 5, (x + y) * 2], axis=-1).clip(0, 255).astype(np.uint8)


def _label() -> np.ndarray:
    label = np.zeros((H, W), np.uint8)
    label[12:36, 16:48] = 1
    return label


@pytest.fixture(scope="module")
def predictions() -> dict[str, object]:
    """What the app's worker makes (every map it shows asked for) with a SegFormer-b0, a model with a
    Focus Map but no Separation module and a full fosp-s, at a tiny input."""
    torch.manual_seed(0)
    models = {"segformer": build_model("segformer-b0"),
              "no separation": build_model("fosp-s", separation=False, domain_fusion=False),
              "fosp": build_model("fosp-s")}
    return {name: Predictor(model.eval(), device="cpu", input_size=64).predict(
        _rgb(), need="focus,hole,background,foreground") for name, model in models.items()}


def _grid(qtbot, prediction) -> CompareGrid:
    grid = CompareGrid()
    qtbot.addWidget(grid)
    grid.resize(1200, 300)
    grid.set_content(_rgb(), prediction, _label(), 0.5)
    grid.maps.wait()
    grid.masks.wait()
    return grid


def test_a_segformer_says_why_its_panels_are_empty(qtbot, predictions) -> None:
    grid = _grid(qtbot, predictions["segformer"])
    assert grid.missing_texts() == {
        FOCUS: "This model has no Focus Map: a SegFormer baseline",
        BACKGROUND: "This model has no separated background: a SegFormer baseline",
        FOREGROUND: "This model has no separated foreground: a SegFormer baseline"}


def test_without_separation_only_the_separated_panels_say_so(qtbot, predictions) -> None:
    grid = _grid(qtbot, predictions["no separation"])
    assert grid.missing_texts() == {
        BACKGROUND: "This model has no separated background: it has no Separation module",
        FOREGROUND: "This model has no separated foreground: it has no Separation module"}
    grid.set_content(_rgb(), predictions["fosp"], _label(), 0.5)
    assert grid.missing_texts() == {}
    grid.set_content(None, None, None, 0.5)
    assert grid.missing_texts() == {}


def _truth_pixels(path: Path, column: int) -> int:
    """How many pixels of the exported grid's `column` are the ground truth's outline colour."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    bgr = rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].astype(int)
    panel = image.width() // len(COLUMNS)
    r, g, b = SOLID_COLORS[GROUND_TRUTH_COLOUR]
    near = (np.abs(bgr[..., 2] - r) < 40) & (np.abs(bgr[..., 1] - g) < 40) & (np.abs(bgr[..., 0] - b) < 40)
    return int(near[:, column * panel:(column + 1) * panel].sum())


@pytest.mark.parametrize("model", ["segformer", "fosp"])
def test_the_ground_truth_is_outlined_with_or_without_a_focus_map(qtbot, predictions, model, tmp_path) -> None:
    grid = _grid(qtbot, predictions[model])
    path = tmp_path / "grid.png"
    assert grid.export_png(path)
    assert _truth_pixels(path, 1) > 200  # the outline of a 32x24 square, 360 px panels: ~600 px of it
