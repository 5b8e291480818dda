"""`train.best_metric` may name any validation key, and some of them are errors or false-alarm shares,
where lower is better: `mse` (M), `far_fp`, `crops_flagged`, `crops_flagged_scenes` (and the inpainter's
`hole_l1` / `known_l1`). `keep_best` kept a checkpoint only when its score was HIGHER than the best so
far, so `train.best_metric=far_fp` kept the run's worst weights as best.safetensors (and the EMA run's
raw-versus-average choice picked the worse of the two). Lower-is-better keys now win when lower."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from torch import nn


def _trainer(tmp_path: Path, key: str) -> SimpleNamespace:
    saved: list[int] = []
    trainer = SimpleNamespace(
        cfg=SimpleNamespace(train=SimpleNamespace(best_metric=key), name="run"), best=None, best_key_warned=False,
        say=lambda line: None, ema=None, iteration=0, run_dir=tmp_path, wall_time=1.0, saved=saved,
        eval_model=nn.Identity)
    trainer.task = SimpleNamespace(save_weights=lambda model, path, meta: saved.append(trainer.iteration))
    return trainer


@pytest.mark.parametrize("key", ["far_fp", "mse", "crops_flagged", "demo[val]/total/crops_flagged_scenes",
                                 "hole_l1"])
def test_a_lower_error_is_the_better_checkpoint(tmp_path: Path, key: str) -> None:
    from fosp_core.train.best import keep_best

    trainer = _trainer(tmp_path, key)
    for iteration, value in ((100, 0.05), (200, 0.01), (300, 0.08)):
        trainer.iteration = iteration
        keep_best(trainer, {key: value}, "table")  # type: ignore[arg-type]
    assert trainer.best["iteration"] == 200 and trainer.best["value"] == 0.01
    assert trainer.saved == [100, 200]  # the worse third one is not written over the best


@pytest.mark.parametrize("key", ["fbeta", "demo[val]/total/f_beta", "miou", "psnr"])
def test_a_higher_score_is_still_the_better_checkpoint(tmp_path: Path, key: str) -> None:
    from fosp_core.train.best import keep_best

    trainer = _trainer(tmp_path, key)
    for iteration, value in ((100, 0.5), (200, 0.7), (300, 0.6), (400, 0.7)):
        trainer.iteration = iteration
        keep_best(trainer, {key: value}, "table")  # type: ignore[arg-type]
    assert trainer.best["iteration"] == 200 and trainer.saved == [100, 200]


def test_better_reads_the_direction_of_the_key() -> None:
    from fosp_core.train.best import better

    assert better(0.01, 0.05, "far_fp") and not better(0.05, 0.01, "far_fp")
    assert better(0.7, 0.5, "fbeta") and not better(0.5, 0.7, "fbeta")
    assert better(0.7, 0.5)  # no key: higher, as before
    assert not better(float("nan"), 0.5, "mse") and better(0.5, float("nan"), "mse")
