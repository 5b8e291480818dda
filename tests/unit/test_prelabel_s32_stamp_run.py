"""A pre-label's stamp (`ModelStamp`: what the project records of the model that made a summary or a
mask) named the checkpoint, τ, threshold and region rule, not the precision the model computed in nor
its network input, both of which change the probabilities: a mask pre-labelled at fp32 on 512 px was
"made by" the same checkpoint at fp16 or on 384 px, so a replacing Pre-label All at the new settings
left it alone (and counted it so), and Run on all left out the images whose summary was a pre-label's
at other settings. The stamp now records both (`precision`, `input`: "512", "tiled 512/128"); a stamp
written before (no such keys) reads as unknown and matches no known run: its image is made again once.
The app's stamps (Pre-label All's count and job, the worklist summaries of Run on all) and ``fosp project
prelabel``'s say them the same way."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from fosp_core.annotation.prelabel import (
    MASK_MODEL_KEY,
    MODEL_KEY,
    ModelStamp,
    network_input,
    predictor_run,
    prelabel,
    prelabel_counts,
)
from fosp_core.annotation.project import Project
from tests.demo_photos import demo_photo_links

DIGEST = "0123456789abcdef"
FP32_512 = ModelStamp(DIGEST, 0.15, 0.5, "plain", precision="fp32", input="512")


def _right(rgb: np.ndarray) -> np.ndarray:
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, rgb.shape[1] // 2:] = 0.9
    return prob


def _project(tmp_path: Path) -> tuple[Path, Path]:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 3)
    return images, location


@pytest.mark.parametrize("other", [ModelStamp(DIGEST, 0.15, 0.5, "plain", precision="fp16", input="512"),
                                   ModelStamp(DIGEST, 0.15, 0.5, "plain", precision="fp32", input="384"),
                                   ModelStamp(DIGEST, 0.15, 0.5, "plain", precision="fp32", input="tiled 512/128")])
def test_another_precision_or_input_replaces_the_masks(tmp_path: Path, other: ModelStamp) -> None:
    images, location = _project(tmp_path)
    with Project.open(images, location) as project:
        prelabel(project, _right, FP32_512)
        assert prelabel_counts(project, FP32_512).predicted == 0  # the same run: nothing to replace
        assert prelabel_counts(project, other).predicted == 3  # was 0: "made by" the same checkpoint
        report = prelabel(project, _right, other, replace_predicted=True)
        assert len(report.replaced) == 3 and report.skipped_masked == 0
        marks = [project.entry(i).extra[MASK_MODEL_KEY] for i in project.ids]
        assert all((m["precision"], m["input"]) == (other.precision, other.input) for m in marks), marks
        stamp = project.entry(project.ids[0]).prediction[MODEL_KEY]  # the worklist summary's, as Run on all reads it
        assert (stamp["precision"], stamp["input"]) == (other.precision, other.input), stamp


def test_a_stamp_written_before_reads_as_unknown(tmp_path: Path) -> None:
    old = {"checkpoint": DIGEST, "tau": 0.15, "threshold": 0.5, "keep": "plain"}  # session 31's stamp
    read = ModelStamp.from_dict(old)
    assert read == ModelStamp(DIGEST, 0.15, 0.5, "plain") and (read.precision, read.input) == ("", "")
    assert read.as_dict() == old  # unknown fields are not written: an old stamp reads and writes the same
    assert ModelStamp.from_dict({**old, "precision": "fp16", "input": "512"}).precision == "fp16"
    assert ModelStamp.from_dict({"tau": 0.1}) is None and ModelStamp.from_dict("x") is None
    images, location = _project(tmp_path)
    with Project.open(images, location) as project:
        prelabel(project, _right, ModelStamp(DIGEST, 0.15, 0.5, "plain"))  # as a release before wrote it
        assert MASK_MODEL_KEY in project.entry(project.ids[0]).extra
        assert "precision" not in project.entry(project.ids[0]).extra[MASK_MODEL_KEY]
        assert prelabel_counts(project, FP32_512).predicted == 3  # unknown is no known run: made again once
        prelabel(project, _right, FP32_512, replace_predicted=True)
        assert prelabel_counts(project, FP32_512).predicted == 0


def test_a_predictors_run_is_said_as_the_kept_scores_say_it() -> None:
    letterbox = SimpleNamespace(precision="FP16", tiled=False, input_size=384, tile=512, overlap=128)
    tiles = SimpleNamespace(precision="bfloat16", tiled=True, input_size=512, tile=256, overlap=64)
    assert predictor_run(letterbox) == ("fp16", "384")
    assert predictor_run(tiles) == ("bf16", "tiled 256/64")
    assert predictor_run(SimpleNamespace()) == ("", "")  # a stand-in that says nothing: unknown
    assert network_input({"input_size": 512, "tiled": False}) == "512"
    assert network_input({"input_size": 512, "tiled": True, "tile": 512, "overlap": 128}) == "tiled 512/128"
    assert ModelStamp(DIGEST, None, 0.5, precision="Float32").precision == "fp32"


def test_fosp_project_prelabel_stamps_its_precision_and_input(tmp_path: Path) -> None:
    from fosp_core.cli import main
    from tests.tiny_checkpoints import save_tiny_checkpoint

    images, location = _project(tmp_path)
    Project.open(images, location).close()
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    assert main(["project", "prelabel", str(location), "--checkpoint", str(ckpt), "--input-size", "64",
                 "--device", "cpu"]) == 0
    with Project.open(images, location) as project:
        entry = project.entry(project.ids[0])
        assert (entry.extra[MASK_MODEL_KEY]["precision"], entry.extra[MASK_MODEL_KEY]["input"]) == ("fp32", "64")
        assert (entry.prediction[MODEL_KEY]["precision"], entry.prediction[MODEL_KEY]["input"]) == ("fp32", "64")


def test_the_apps_stamps_agree(tmp_path: Path) -> None:
    """Pre-label All's count (`counting_stamp`, from the Model panel's settings) and Run on all's summaries
    (`worklist_summaries.model_stamp`, from the loaded model) stamp the same run the same way."""
    from app.analysis.inference_worker import LoadedModel
    from app.annotation.prelabel_runs import counting_stamp
    from app.annotation.worklist_summaries import model_stamp
    from fosp_core.analysis.settings import AnalysisSettings, predictor_input
    from tests.tiny_checkpoints import save_tiny_checkpoint

    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    for choice in ("default", "tiled", "384"):
        chosen = (ckpt, "cpu", "fp32", predictor_input(choice, 64), 0.15, 0.5, "plain")
        counted = counting_stamp(chosen, 0.15)
        assert counted is not None and counted.precision == "fp32"
        settings = AnalysisSettings(precision="fp32")
        settings.set_tau(0.15)
        loaded = LoadedModel("id", SimpleNamespace(tau=0.15), "cpu", counted.checkpoint, "fp32",
                             network_input(predictor_input(choice, 64)), weights=counted.weights)
        assert counted.weights  # the weights' digest, as the worker reads it loading (test_prelabel_s32_same_weights)
        assert model_stamp(loaded, settings, 0.5) == counted, choice  # type: ignore[arg-type]
