"""A run cancelled (Stop, or the window closing) while a huge image is predicted in tiled mode used to go
on through every tile of that image: cancellation was checked between images only, so a close on the CPU
froze for as long as the whole image took. The engine now checks between tiles too, and the cancelled
image's tiles done so far are dropped (no result emitted, nothing cached)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.analysis.inference_worker import Job, _Engine
from fosp_core.infer.predictor import Predictor
from tests.unit.test_infer_fakes import FakeFoSp


def _engine() -> tuple[_Engine, Predictor, dict[str, list]]:
    engine = _Engine(64)
    predictor = Predictor(FakeFoSp(), device="cpu", tiled=True, tile=64, overlap=32, batch_size=1)
    engine.predictor, engine.model_id = predictor, "fake"
    told: dict[str, list] = {"result": [], "done": [], "failed": []}
    engine.result.connect(lambda *a: told["result"].append(a))
    engine.done.connect(lambda *a: told["done"].append(a))
    engine.failed.connect(lambda *a: told["failed"].append(a))
    return engine, predictor, told


def test_a_cancel_during_a_tiled_image_stops_before_its_remaining_tiles() -> None:
    engine, predictor, told = _engine()
    rgb = np.random.default_rng(0).integers(0, 255, (256, 256, 3), np.uint8)
    tiles: list[int] = []
    encode = predictor.runner.encode

    def spy(x):  # noqa: ANN001, ANN202 - the second tile's forward pass: a Stop comes in meanwhile
        tiles.append(int(x.shape[0]))
        if len(tiles) == 2:
            engine.cancel_upto = 1
        return encode(x)

    predictor.runner.encode = spy
    engine.predict(1, [Job(Path("big.png"), rgb), Job(Path("next.png"), rgb)], "fake", 0.15, None)
    total = 49  # 7 x 7 windows of 64 px every 32 px
    assert len(tiles) == 2, f"the cancelled image ran {len(tiles)} of its {total} tiles"
    assert told["result"] == [], "a cancelled image's partial result was emitted"
    assert told["failed"] == [], told["failed"]  # a cancel is not an error
    assert told["done"] == [(1, True)]
    assert predictor._cache is None  # nothing of it is kept for a later threshold change
    assert predictor.tile_progress is None  # the engine's hook is put back


def test_a_tiled_run_not_cancelled_runs_every_tile_and_is_shown() -> None:
    engine, predictor, told = _engine()
    rgb = np.random.default_rng(1).integers(0, 255, (128, 96, 3), np.uint8)
    engine.predict(2, [Job(Path("small.png"), rgb)], "fake", 0.15, None)
    assert [r[1] for r in told["result"]] == [Path("small.png")]
    assert told["result"][0][4].probability.shape == (128, 96)
    assert told["done"] == [(2, False)] and told["failed"] == []
