"""`fosp train` said 'new best fbeta = 0.1960 at iteration N' (a fraction, the config key) while the
validation table and the run's last line say 'best F_β 19.60 at iteration N (...)' (percent). The
running line now says its score as they do."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_a_run_says_its_new_best_as_its_last_line_does(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.train.loop import Trainer

    cfg = tiny_config(demo_dir, tmp_path / "runs", data={"val": [{"path": demo_dir.name, "split": "val"}]},
                      train={"iterations": 2, "val_every": 2})
    stream = io.StringIO()
    result = Trainer(cfg, stream=stream).run()
    assert result.best is not None
    lines = stream.getvalue().splitlines()
    news = [line for line in lines if line.startswith("new best")]
    assert news == [f"new best F_β {100 * result.best['value']:.2f} at iteration 2"], news
    done = [line for line in lines if line.startswith("done: ")]
    assert len(done) == 1 and news[0].removeprefix("new ") in done[0]


def _trainer(tmp_path: Path, key: str, ema: object | None) -> SimpleNamespace:
    said: list[str] = []
    return SimpleNamespace(
        cfg=SimpleNamespace(train=SimpleNamespace(best_metric=key), name="run"), best=None, best_key_warned=False,
        said=said, say=said.append, ema=ema, iteration=7, run_dir=tmp_path, wall_time=1.0,
        task=SimpleNamespace(save_weights=lambda model, path, meta: None), eval_model=nn.Identity)


@pytest.mark.parametrize(("key", "value", "ema", "said"), [
    ("fbeta", 0.195963, None, "new best F_β 19.60 at iteration 7"),
    ("demo/val/f_beta_max", 0.5, None, "new best F_β(max) demo/val 50.00 at iteration 7"),
    ("mse", 0.01234, None, "new best M(MSE) 0.0123 at iteration 7"),
    ("psnr", 21.5, None, "new best psnr 21.5 at iteration 7"),
    ("fbeta", 0.25, SimpleNamespace(decay=0.999), "new best F_β 25.00 at iteration 7 (average weights)"),
])
def test_the_new_best_line_says_the_score_as_the_table(tmp_path: Path, key: str, value: float, ema: object | None,
                                                       said: str) -> None:
    from fosp_core.train.best import keep_best

    trainer = _trainer(tmp_path, key, ema)
    keep_best(trainer, {key: value}, "table")  # type: ignore[arg-type]
    assert trainer.said == [said]
    assert trainer.best["value"] == value  # the record keeps the raw value
