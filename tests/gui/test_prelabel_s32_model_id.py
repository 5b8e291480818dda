"""The analysis view's model id (`fosp_core.analysis.results.model_id`: the results cache, the score book
and the kept-scores look are keyed by it) named the input choice, not the size it stands for: "default"
(and "tiled") at the worker's default input size of 512 and at 1024 (`InferenceWorker.set_input_size`,
the video mode's own worker) were one model, so results and scores at one size were taken for the
other's. The id now names what the network runs at ("|512", "|tiled 512/128"), as kept scores and
pre-label stamps do; the kept scores' look (`KeptMetrics`) asks with it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from app.analysis.inference_worker import LoadedModel, _Engine
from app.analysis.kept_metrics import KeptMetrics
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.tiny_model import save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _loaded(checkpoint: Path, size: int, choice: str) -> LoadedModel:
    engine, got = _Engine(size), []
    engine.loaded.connect(lambda _id, model: got.append(model))
    engine.failed.connect(lambda _id, _path, message: pytest.fail(message))
    engine.load(1, checkpoint, "cpu", "fp32", choice)
    assert len(got) == 1
    return got[0]


@pytest.mark.parametrize("choice", ["default", "tiled"])
def test_the_default_input_at_another_size_is_another_model(qapp, checkpoint: Path, choice: str) -> None:  # noqa: ANN001, ARG001
    small, large = _loaded(checkpoint, 64, choice), _loaded(checkpoint, 96, choice)
    assert small.model_id != large.model_id, small.model_id  # was one id
    assert small.model_id.endswith("|" + small.network_input), (small.model_id, small.network_input)
    assert large.network_input in ("96", "tiled 96/24")


def test_a_choice_naming_the_default_size_is_the_same_model(qapp, checkpoint: Path) -> None:  # noqa: ANN001, ARG001
    """"default" at 64 px and "64" run the network alike: one model, one cache."""
    assert _loaded(checkpoint, 64, "default").model_id == _loaded(checkpoint, 96, "64").model_id


def test_the_kept_scores_look_asks_with_the_input(qapp, checkpoint: Path) -> None:  # noqa: ANN001, ARG001
    settings = AnalysisSettings()
    asked = []
    for size in (64, 96):
        host = SimpleNamespace(model=_loaded(checkpoint, size, "default"), settings=settings,
                               session=SimpleNamespace(paths=()))
        asked.append(KeptMetrics._now(SimpleNamespace(analysis=host)))  # type: ignore[arg-type]
    assert asked[0] != asked[1], asked  # a look at 64 px is not taken for a model at 96 px
