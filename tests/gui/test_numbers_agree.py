"""The app's numbers are `fosp eval`'s and the core's: same images, checkpoint, threshold, τ and input.

An analyst who moved the Model panel's τ (here 0.3; the default model's is 0.15, and on the demo
photos τ moves its probabilities by up to 0.3) and threshold (0.487) reads the metrics box of the
default model on the demo images, then checks it with `fosp eval`: the box's total row must be the table's and
its "this image" row the image's line of `fosp eval --per-image`. Before, `fosp eval` had no --tau
(nor --precision, nor per-image scores), so the app's numbers at any τ but the model's could not be
checked on the command line at all.

Compare Two Checkpoints runs at the same panel's τ and threshold (its checkpoint A's scores are `fosp eval`'s
lines: from tests/gui/test_compare_runs_at_panel_tau.py, which paid the same window, default model, run and
`fosp eval` of the demo at 512 px again; ~8 s in the suite's durations).
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.analysis.controller import AnalysisController
from app.analysis.metrics_box import _fmt
from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from fosp_core.infer import probability_fn
from fosp_core.metrics import per_image_scores
from fosp_core.metrics.report import setting_text
from tests.conftest import ROOT
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS

TAU, THRESHOLD = 0.3, 0.487
INPUT = 512  # the app's default input, as the model was trained
CHECKPOINT = ROOT / "resources" / "models" / "fosp-default.safetensors"
SAMPLES = 2  # of the demo's 4: each image is run 5 times at 512 px (the panel, `fosp eval`, the core, compare A and B)


@pytest.fixture(scope="module")
def checkpoint() -> Path:
    if not CHECKPOINT.is_file():
        pytest.skip(f"needs the bundled default model {CHECKPOINT}")
    return CHECKPOINT


@pytest.fixture
def demo(demo_dir: Path, tmp_path: Path) -> Path:
    """The demo dataset's first `SAMPLES` images (its val split, their masks): the same photos, each a
    model run at 512 px in five places, the test's time (16 s of the suite's slowest with all 4)."""
    ids = (demo_dir / "ImageSets" / "Segmentation" / "val.txt").read_text(encoding="utf-8").split()[:SAMPLES]
    out = tmp_path / "demo"
    for folder, suffix in (("JPEGImages", ".jpg"), ("SegmentationClass", ".png")):
        (out / folder).mkdir(parents=True)
        for sample in ids:
            shutil.copyfile(demo_dir / folder / f"{sample}{suffix}", out / folder / f"{sample}{suffix}")
    (out / "ImageSets" / "Segmentation").mkdir(parents=True)
    (out / "ImageSets" / "Segmentation" / "val.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    return out


def _run_all(qtbot, ctl: AnalysisController) -> None:  # noqa: ANN001
    request = run_all(qtbot, ctl)
    if request is not None:
        qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    ctl.update_metrics()


def _fosp_eval(demo: Path, checkpoint: Path, out: Path) -> tuple[dict, dict[str, dict[str, float]]]:
    """({split: scores} of `fosp eval --json`, {image id: scores} of its --per-image CSV)."""
    code = main(["eval", "--dataset", str(demo), "--checkpoint", str(checkpoint), "--device", "cpu",
                 "--input-size", str(INPUT), "--tau", str(TAU), "--threshold", str(THRESHOLD),
                 "--json", str(out / "eval.json"), "--per-image", str(out / "images.csv")])
    assert code == 0
    with open(out / "images.csv", newline="", encoding="utf-8") as f:
        images = {row["id"]: {k: float(v) for k, v in row.items() if k not in ("source", "id", "bucket", "trained_on")}
                  for row in csv.DictReader(f)}
    return json.loads((out / "eval.json").read_text(encoding="utf-8")), images


def test_box_fosp_eval_and_core_agree_at_the_panels_tau_and_threshold(qtbot, make_window, checkpoint, demo: Path,
                                                                       tmp_path, settings_path: Path) -> None:
    kept = QSettings(str(settings_path), QSettings.Format.IniFormat)
    kept.setValue("analysis/device", "cpu")  # the panel on the CPU, as `fosp eval --device cpu` (and the compare run)
    kept.sync()
    window = make_window(default_model=checkpoint)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl = window.analysis
    assert ctl.settings.device == "cpu"  # kept: loaded on it at once (a device changed later loads it again)
    if ctl.model is None:
        with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS * 3):
            ctl.settings.set_checkpoint(checkpoint)
    assert (ctl.settings.input, ctl.worker.input_size, ctl.settings.tau) == ("default", INPUT, 0.15)
    window.open_paths([demo / "JPEGImages"], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    ctl.settings.set_tau(TAU)
    ctl.settings.set_threshold(THRESHOLD)
    _run_all(qtbot, ctl)
    table, images = _fosp_eval(demo, checkpoint, tmp_path)
    note = ctl.metrics.note.text()
    assert f"threshold\u00a0{setting_text(THRESHOLD)}" in note and f"τ\u00a0{setting_text(TAU)}" in note, note

    total = table["total"]
    assert ctl.metrics.value("total", "n") == str(total["n"]) == str(len(window.session))
    for column, key in (("F_β", "f_beta"), ("IoU", "miou"), ("P", "precision"), ("R", "recall")):
        assert ctl.metrics.value("total", column) == _fmt(total[key]), column
    buckets = ctl.scores.table.buckets()
    assert math.isclose(buckets["total"].f_beta, total["f_beta"], abs_tol=1e-12)
    assert math.isclose(buckets["total"].m, total["mse"], abs_tol=1e-12)

    # each image: the box's "this image" row, the CSV's line and the core's per_image_scores
    dataset = open_dataset(demo)
    core_fn = probability_fn(checkpoint, device="cpu", input_size=INPUT, tau=TAU)
    for i, path in enumerate(window.session.paths):
        window.session.set_current(i)
        key = ctl._key(path)
        qtbot.waitUntil(lambda key=key: ctl.prediction is not None and ctl.prediction is ctl.cache.get(key),
                        timeout=WAIT_MS)
        ctl.update_metrics()
        line = images[path.stem]
        index = dataset.ids.index(path.stem)
        core = per_image_scores(core_fn(dataset.load_image(index)), dataset.load_mask(index), THRESHOLD)
        for column, key_ in (("F_β", "f_beta"), ("IoU", "iou"), ("P", "precision"), ("R", "recall")):
            assert ctl.metrics.value("this image", column) == _fmt(line[key_]), (path.stem, column)
            assert math.isclose(line[key_], core[key_], abs_tol=1e-9), (path.stem, key_)
        assert ctl.metrics.value("this image", "𝓜") == f"{line['m']:.3f}"
        assert math.isclose(line["m"], core["mse"], abs_tol=1e-9)
    _compare_scores_as_fosp_eval(qtbot, window, checkpoint, images)

    at_model_tau = probability_fn(checkpoint, device="cpu", input_size=INPUT)
    assert any(per_image_scores(at_model_tau(dataset.load_image(i)), dataset.load_mask(i), THRESHOLD)["mse"]
               != images[sample]["m"] for i, sample in enumerate(dataset.ids)), "τ 0.3 changed nothing to test"


def _compare_scores_as_fosp_eval(qtbot, window, checkpoint: Path,  # noqa: ANN001
                                 images: dict[str, dict[str, float]]) -> None:
    """Compare Two Checkpoints (the model x 2) at the panel's τ and threshold: each image's checkpoint A
    scores are `fosp eval --tau 0.3 --per-image`'s line (`images`), B's (the same model) A's. Before, the
    dialog built its Predictors without the panel's τ: each checkpoint ran at its own (0.15)."""
    dialog = window.training.open_compare(checkpoint, checkpoint)
    assert dialog.input_size == INPUT, "compare: the panel's input"
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS * 3) as done:
        assert dialog.start()
    assert done.args == [False], "compare: the run was cancelled"
    assert dialog.request is not None and dialog.request.tau == pytest.approx(TAU), "compare: not the panel's τ"
    assert f"τ {setting_text(TAU)}" in dialog.summary.text(), dialog.summary.text()
    rows = {row.path.stem: row for row in dialog.rows}
    assert sorted(rows) == sorted(images) and all(row.scores is not None for row in rows.values())
    for sample, row in rows.items():
        a, b = row.scores  # type: ignore[misc]
        for field in ("f_beta", "iou", "precision", "recall", "m"):
            assert math.isclose(getattr(a, field), images[sample][field], abs_tol=1e-9), ("compare A", sample, field)
            assert math.isclose(getattr(b, field), getattr(a, field), abs_tol=1e-12), ("compare B", sample, field)
