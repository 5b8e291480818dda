"""QA of Analysis ▸ Compare Two Checkpoints and the analysis numbers beside it: the comparison
follows the Model panel's decision settings (threshold, input, Regions) and says which it used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from fosp_core.analysis.compare import compare_images
from fosp_core.infer import probability_fn
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import save_tiny_checkpoint

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
torch.set_num_threads(1)
WAIT_MS = 120_000
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "resources" / "models" / "fosp-default.safetensors"
INPUT = 256  # small enough to be quick, large enough for the default model to find plumes


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _window(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path):
    window = make_window(default_model=DEFAULT_MODEL)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.analysis.worker.set_input_size(INPUT)
    paths = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    return window, paths


def test_compare_follows_the_model_panels_regions_rule(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                       tiny: Path, tmp_path: Path) -> None:
    window, paths = _window(qtbot, make_window, demo_dir, tmp_path)
    window.analysis.settings.set_keep("core:0.7")
    dialog = window.training.open_compare(DEFAULT_MODEL, tiny)
    assert "regions with a core above 0.7" in dialog.status.text(), dialog.status.text()
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    assert dialog.request.keep == "core:0.7"
    # the rows are fosp_core's comparison under that rule (= fosp eval --keep core:0.7), not all regions
    fns = [probability_fn(c, device="cpu", input_size=INPUT) for c in (DEFAULT_MODEL, tiny)]
    kept = list(compare_images(paths, *fns, 0.5, keep="core:0.7"))
    plain = list(compare_images(paths, *fns, 0.5))
    assert [r.scores for r in kept] != [r.scores for r in plain]  # the rule matters on these images
    assert [r.scores for r in dialog.rows] == [r.scores for r in kept]
    assert [r.flagged for r in dialog.rows] == [r.flagged for r in kept]
    # and the summary says which settings these numbers were run with, whatever the panel says later
    window.analysis.settings.set_keep("plain")
    dialog._update_summary()
    assert "mask threshold 0.50, regions with a core above 0.7" in dialog.summary.text(), dialog.summary.text()


def test_results_cached_counts_the_loaded_models_results(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                         tiny: Path, tmp_path: Path) -> None:
    """"N results cached" under the Model panel counted every model's results; after a run with another
    checkpoint it said 2 where the loaded model had 1 (and 'Run on all' would run the rest)."""
    from tests.gui.tiny_model import INPUT as TINY_INPUT
    from tests.gui.tiny_model import ready_window

    other = save_tiny_checkpoint(tmp_path / "other.safetensors", seed=1)
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], tmp_path / "projects")
    assert ctl.worker.input_size == TINY_INPUT
    for checkpoint in (None, other):
        if checkpoint is not None:
            with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
                ctl.settings.set_checkpoint(checkpoint)
        request = ctl.run_current()
        qtbot.waitUntil(lambda r=request: r not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    assert len(ctl.cache) == 2  # one result of each model
    assert ctl.panel.status_label.text().endswith("· 1 image done"), ctl.panel.status_label.text()


@pytest.mark.parametrize("shape", [(1080, 1920), (512, 512), (480, 120)])
def test_compare_grid_png_keeps_the_ground_truth_outline(qtbot, tmp_path: Path, shape: tuple[int, int]) -> None:
    """The paper's Fig. 7 panel "Focus Map & ground truth": the one-pixel outline was drawn as an image,
    so a PNG 1800 px wide lost it when the image was scaled down (none of it left for a 1920×1080 frame,
    the right and bottom edges gone at 512×512)."""
    import cv2
    import numpy as np

    from app.analysis.compare_grid import COLUMNS, CompareGrid
    from app.analysis.grid_panels import PREDICTION_LINE
    from fosp_core.infer.result import Prediction

    h, w = shape
    grid = CompareGrid()
    qtbot.addWidget(grid)
    grid.layers.set_colormap("focus map", "inferno")  # no green of its own (viridis's, in the key, read as the outline)
    rgb = np.zeros((h, w, 3), np.uint8)
    prob = np.zeros((h, w), np.float32)
    label = np.zeros((h, w), np.uint8)
    box = (slice(h // 4, h // 2), slice(w // 4, w // 2))
    prob[box] = 0.9
    label[box] = 1
    grid.set_content(rgb, Prediction(probability=prob, focus_map=np.zeros((h, w), np.float32)), label, 0.5)
    out = tmp_path / "grid.png"
    assert grid.export_png(out)
    png = cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)
    column = png.shape[1] // len(COLUMNS)
    panel = png[:, column:2 * column].astype(int)
    green = (panel[..., 1] > 150) & (panel[..., 0] < 120) & (panel[..., 2] < 140)
    ys, xs = np.nonzero(green)
    assert ys.size, "no ground-truth outline in the exported grid"
    # all four sides of the box are there: the outline spans the box, both ways
    right = png[:, 4 * column:].astype(int)
    edge = np.abs(right - np.array(PREDICTION_LINE)).max(axis=2) <= 12  # its dark-rose edge
    prediction = (right > 250).all(axis=2) | edge  # the white mask and its edge (the titles are grey)
    py, px = np.nonzero(prediction)
    assert abs((ys.max() - ys.min()) - (py.max() - py.min())) <= 3
    assert abs((xs.max() - xs.min()) - (px.max() - px.min())) <= 3
    for side in (ys == ys.min(), ys == ys.max()):  # top and bottom edges run the box's width
        assert xs[side].max() - xs[side].min() >= 0.8 * (px.max() - px.min())
    for side in (xs == xs.min(), xs == xs.max()):
        assert ys[side].max() - ys[side].min() >= 0.8 * (py.max() - py.min())


def test_hover_reads_every_map_under_the_cursor(qtbot, make_window: WindowFactory, demo_dir: Path, tiny: Path,
                                                tmp_path: Path) -> None:
    """The status-bar readout of the analysis view gives the probability, the Focus value and the
    separated background's RGB of the pixel under the cursor (the background was missing: with that
    layer shown, the only RGB in the status bar was the image's)."""
    from tests.gui.tiny_model import ready_window

    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], tmp_path / "projects")
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    pred = ctl.prediction
    assert pred.background is not None and pred.focus_map is not None
    h, w = pred.shape
    for x, y in ((0, 0), (w - 1, h - 1), (w // 3, h // 2)):
        ctl.canvas.hovered.emit(x, y)
        text = ctl.hover_label.text()
        assert f"p {pred.probability[y, x]:.3f}" in text and f"focus {pred.focus_map[y, x]:.3f}" in text
        r, g, b = (int(v) for v in pred.background[y, x])
        assert f"bg RGB {r} {g} {b}" in text, text
