"""`train.time_budget_s` under DDP (two gloo ranks on CPU): rank 0 alone probes and shortens the final
validation at the first fit, and every rank ends at rank 0's length (`Trainer._fit_budget` broadcasts
it). Each rank runs on a fake clock: 1 s a step, 100 s a validated image (rank 0 validates)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch
import torch.multiprocessing as mp

from tests.unit.test_train_ddp import _free_port


def _worker(rank: int, world: int, port: int, demo_dir: str, runs: str, out: str) -> None:
    os.environ.update({"RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": str(world),
                       "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)})
    torch.set_num_threads(1)
    from fosp_core.train import distributed
    from fosp_core.train import loop as loop_module
    from fosp_core.train.data import iter_eval_samples
    from tests.unit.test_train_support import tiny_config

    clock = SimpleNamespace(now=1000.0)
    loop_module.time = SimpleNamespace(perf_counter=lambda: clock.now)  # type: ignore[assignment]
    loop_module.BUDGET_WARMUP, loop_module.BUDGET_PACE = 1, 2  # type: ignore[misc]
    cfg = tiny_config(Path(demo_dir), Path(runs), data={"val": [{"path": Path(demo_dir).name}]},
                      train={"iterations": 40, "save_every": 0, "val_every": 0, "time_budget_s": 250.0})
    trainer = loop_module.Trainer(cfg)
    step, validate = trainer._step, trainer.task.validate
    validated: list[int] = []

    def slow_step(*args: Any) -> Any:
        clock.now += 1.0
        return step(*args)

    def slow_validation(model: Any, sources: Any, c: Any, *rest: Any) -> Any:
        validated.append(sum(1 for _ in iter_eval_samples(sources, c.train.val_max_images)))
        clock.now += 100.0 * validated[-1]
        return validate(model, sources, c, *rest)

    trainer._step = slow_step  # type: ignore[method-assign]
    trainer.task.validate = slow_validation  # type: ignore[method-assign]
    trainer.run()
    torch.save({"iteration": trainer.iteration, "validated": validated, "val_max": cfg.train.val_max_images},
               Path(out) / f"rank{rank}.pt")
    distributed.teardown()


@pytest.mark.slow  # two processes that each import torch and train
@pytest.mark.skipif(not torch.distributed.is_available(), reason="torch built without distributed")
def test_ranks_end_together_with_rank_0s_shortened_validation(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mp.spawn(_worker, args=(2, _free_port(), str(demo_dir), str(tmp_path / "runs"), str(out)), nprocs=2,
             join=True)
    r0 = torch.load(out / "rank0.pt", weights_only=True)
    r1 = torch.load(out / "rank1.pt", weights_only=True)
    # the fit at iteration 3 (counts alone under DDP): the probe (2 images, 200 s) leaves 47 s of 250 s,
    # less than the 400 s validation of 4 images: 1 image a source; 3 + (47 - 100) / 1 -> ends at 3
    assert r0["iteration"] == r1["iteration"] == 3, (r0, r1)
    assert r0["validated"] == [1, 1, 1] and r0["val_max"] == 1, r0
    assert r1["validated"] == [] and r1["val_max"] == 0, r1  # rank 1 neither probes nor validates
