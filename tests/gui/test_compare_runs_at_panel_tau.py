"""Compare Two Checkpoints runs at the Model panel's τ, as the Model dock and `fosp eval --tau` do.

The dialog built its Predictors without the panel's Focus τ, so each checkpoint ran at its own (the
default model's 0.15) and its status line ("the Model panel's settings") named input, threshold and
regions but not τ: after moving τ to 0.3 the dialog's scores were not the metrics box's nor
`fosp eval --tau 0.3`'s. Now the request carries the panel's τ, the line names it and follows a τ
change while the dialog is open (as it follows device and precision), and the run's summary says it.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from app.training.compare_dialog import CompareDialog
from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from fosp_core.infer import probability_fn
from fosp_core.metrics import per_image_scores
from fosp_core.metrics.report import setting_text
from tests.conftest import ROOT
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import WAIT_MS

TAU, THRESHOLD = 0.3, 0.487
INPUT = 512  # the app's default input, as the model was trained
CHECKPOINT = ROOT / "resources" / "models" / "fosp-default.safetensors"
KEYS = (("f_beta", "f_beta"), ("iou", "iou"), ("precision", "precision"), ("recall", "recall"), ("m", "m"))


@pytest.fixture(scope="module")
def checkpoint() -> Path:
    if not CHECKPOINT.is_file():
        pytest.skip(f"needs the bundled default model {CHECKPOINT}")
    return CHECKPOINT


def _open(qtbot, make_window: WindowFactory, demo_dir: Path, checkpoint: Path, tmp_path: Path) -> CompareDialog:  # noqa: ANN001
    """The demo's images open, the panel on cpu at the default τ, and the compare dialog on the model x 2."""
    window = make_window(default_model=checkpoint)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([demo_dir / "JPEGImages"], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    window.analysis.settings.set_device("cpu")
    assert window.analysis.settings.tau == 0.15
    return window.training.open_compare(checkpoint, checkpoint)


def test_the_line_names_the_panels_tau_and_follows_it(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                      checkpoint: Path, tmp_path: Path) -> None:
    dialog = _open(qtbot, make_window, demo_dir, checkpoint, tmp_path)
    assert f"τ {setting_text(0.15)} (the Model panel's settings)." in dialog.status.text(), dialog.status.text()
    dialog.analysis.set_tau(0.3)  # the panel's τ moved, the dialog left open
    assert f"τ {setting_text(0.3)} (the Model panel's settings)." in dialog.status.text(), dialog.status.text()
    dialog.analysis.set_tau(0.155)
    assert "τ 0.155 " in dialog.status.text(), dialog.status.text()
    request = dialog.make_request()
    assert not isinstance(request, str) and request.tau == pytest.approx(0.155)


def test_checkpoint_a_scores_as_fosp_eval_at_the_panels_tau(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                             checkpoint: Path, tmp_path: Path) -> None:
    dialog = _open(qtbot, make_window, demo_dir, checkpoint, tmp_path)
    dialog.analysis.set_tau(TAU)
    dialog.analysis.set_threshold(THRESHOLD)
    assert dialog.input_size == INPUT
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS * 3) as done:
        assert dialog.start()
    assert done.args == [False]
    assert dialog.request is not None and dialog.request.tau == pytest.approx(TAU)
    assert f"τ {setting_text(TAU)}" in dialog.summary.text(), dialog.summary.text()
    rows = {row.path.stem: row for row in dialog.rows}
    dataset = open_dataset(demo_dir)
    assert sorted(rows) == sorted(dataset.ids) and all(row.scores is not None for row in rows.values())

    # `fosp eval --tau 0.3 --per-image`: each image's line is checkpoint A's (and B's, the same model) scores
    out = tmp_path / "images.csv"
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(checkpoint), "--device", "cpu",
                 "--input-size", str(INPUT), "--tau", str(TAU), "--threshold", str(THRESHOLD),
                 "--per-image", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        lines = {line["id"]: line for line in csv.DictReader(f)}
    assert sorted(lines) == sorted(rows)
    for sample, row in rows.items():
        a, b = row.scores  # type: ignore[misc]
        for field, column in KEYS:
            assert math.isclose(getattr(a, field), float(lines[sample][column]), abs_tol=1e-9), (sample, field)
            assert math.isclose(getattr(b, field), getattr(a, field), abs_tol=1e-12), (sample, field)

    # the core at the model's own τ gives other numbers: the test would see a run that ignored the panel's τ
    at_model_tau = probability_fn(checkpoint, device="cpu", input_size=INPUT)
    own = (per_image_scores(at_model_tau(dataset.load_image(i)), dataset.load_mask(i), THRESHOLD)["mse"]
           for i in range(len(dataset.ids)))  # (lazy: predicted only up to the first image that differs)
    assert any(not math.isclose(m, rows[s].scores[0].m, abs_tol=1e-9)  # type: ignore[index]
               for m, s in zip(own, dataset.ids, strict=True)), "τ 0.3 changed nothing to test"
