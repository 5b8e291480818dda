"""``fosp eval`` could not score the Model panel's last Input, "512 px tiles, full resolution" (session 36's
review, an analyst checking the metrics box against the command line on the demo frame). The README
says the box gives "the same numbers as ``fosp eval`` over those images" and that eval's ``--tau``,
``--precision`` and ``--input-size`` run the checkpoint as the panel does, but with Input on tiles no command gave
them: ``fosp eval --tiled`` was refused (exit 2, "unrecognized arguments"), and ``fosp predict --tiled`` then
``fosp eval --predictions`` scored 8-bit probabilities. ``fosp eval --tiled`` runs the checkpoint on tiles as
the app's Input does (:func:`fosp_core.analysis.settings.predictor_input`)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.analysis.settings import predictor_input
from fosp_core.cli import main
from fosp_core.metrics.scores import per_image_scores
from tests.conftest import ROOT

DEMO = ROOT / "resources" / "demo"
STEM = "20200829_inside-Mexico_cp-s-mobo-c__1598725736_+01920"
CHECKPOINT = ROOT / "resources" / "models" / "fosp-default.safetensors"


def _dataset(root: Path) -> tuple[np.ndarray, np.ndarray]:
    """The demo frame and its label at 384 x 256 (two 256 px tiles, which differ from the whole image there), SmokeSeg layout."""
    rgb = np.asarray(Image.open(DEMO / "JPEGImages" / f"{STEM}.jpg").convert("RGB").resize((384, 256)))
    label_png = Image.open(DEMO / "SegmentationClass" / f"{STEM}.png")
    label_big = label_png.resize((384, 256), Image.Resampling.NEAREST)
    for folder in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (root / folder).mkdir(parents=True)
    Image.fromarray(rgb).save(root / "JPEGImages" / f"{STEM}.png")
    label_big.save(root / "SegmentationClass" / f"{STEM}.png")
    (root / "ImageSets" / "Segmentation" / "val.txt").write_text(f"{STEM}\n")
    return rgb, np.asarray(label_big)


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """(the dataset, the app's tiled scores of its image, its whole-image scores at the same size)."""
    if not CHECKPOINT.is_file() or not (DEMO / "JPEGImages" / f"{STEM}.jpg").is_file():
        pytest.skip(f"needs the bundled default model {CHECKPOINT} and demo image {STEM}")
    from fosp_core.infer.predictor import Predictor

    data = tmp_path_factory.mktemp("review2_s36_tiled") / "big"
    rgb, label = _dataset(data)
    panel = Predictor(CHECKPOINT, device="cpu", **predictor_input("tiled", 256))  # the app's Input "tiled" (at 256 px)
    tiles = per_image_scores(panel.predict_batch([rgb], need=())[0].probability, label)
    whole = per_image_scores(Predictor(CHECKPOINT, device="cpu", **predictor_input("256"))
                             .predict_batch([rgb], need=())[0].probability, label)
    assert abs(tiles["f_beta"] - whole["f_beta"]) > 1e-3  # (the two inputs do differ here)
    return data, tiles, whole


def test_eval_scores_tiles_as_the_model_panel_runs_them(scored: tuple[Path, dict, dict], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data, tiles, _whole = scored
    csv_path = tmp_path / "scores.csv"
    code = main(["eval", "--dataset", str(data), "--checkpoint", str(CHECKPOINT), "--device", "cpu",
                 "--tiled", "--input-size", "256", "--per-image", str(csv_path)])
    assert code == 0, capsys.readouterr().err  # was 2: unrecognized arguments: --tiled
    said = next(csv.DictReader(csv_path.open(encoding="utf-8")))
    for key in ("f_beta", "iou", "precision", "recall"):
        assert float(said[key]) == pytest.approx(tiles[key], abs=1e-9), key
    assert "256 px tiles" in capsys.readouterr().out  # the table's title says how it ran


def test_compare_runs_tiles_as_the_model_panel_does(scored: tuple[Path, dict, dict], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """``fosp compare`` (the app's Analysis ▸ Compare Two Checkpoints, which runs the panel's Input) had no
    way to run tiles either; ``--tiled`` runs them and its CSV's setup says so, as the app's does."""
    data, tiles, _whole = scored
    csv_path = tmp_path / "compare.csv"
    code = main(["compare", str(CHECKPOINT), str(CHECKPOINT), str(data / "JPEGImages" / f"{STEM}.png"),
                 "--device", "cpu", "--tiled", "--input-size", "256", "--csv", str(csv_path)])
    assert code == 0, capsys.readouterr().err  # was 2: unrecognized arguments: --tiled
    row = next(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert row["input"] == "256 px tiles, full resolution", row  # the app's words for its tiled run
    assert float(row["F_beta A"]) == pytest.approx(100 * tiles["f_beta"], abs=0.006)  # the tiles' score
