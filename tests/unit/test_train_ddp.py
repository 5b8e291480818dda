"""DistributedDataParallel: two CPU processes (gloo) train a few iterations and stay in sync."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker(rank: int, world: int, port: int, demo_dir: str, runs: str, out: str) -> None:
    os.environ.update({"RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": str(world),
                       "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)})
    torch.set_num_threads(1)
    from fosp_core.train import distributed
    from fosp_core.train.data import StepBatchSampler
    from fosp_core.train.loop import Trainer
    from fosp_core.train.model_io import unwrap
    from tests.unit.test_train_support import tiny_config

    cfg = tiny_config(Path(demo_dir), Path(runs), train={"iterations": 3, "save_every": 0})
    trainer = Trainer(cfg)
    first_batch = next(iter(StepBatchSampler(0, 1, cfg.train.batch_size, rank, world)))
    trainer.run()
    state = {k: v.detach().clone() for k, v in unwrap(trainer.model).state_dict().items()}
    torch.save({"state": state, "first_batch": first_batch, "iteration": trainer.iteration},
               Path(out) / f"rank{rank}.pt")
    distributed.teardown()


def test_each_rank_draws_its_own_samples_and_together_they_draw_each_once() -> None:
    """What the two-process test checks of the first batch, for every iteration, without processes:
    rank r of w takes batch (it * w + r), so the ranks never share a sample and skip none."""
    from fosp_core.train.data import StepBatchSampler

    world, batch = 3, 2
    per_rank = [list(StepBatchSampler(1, 5, batch, rank, world)) for rank in range(world)]
    assert all(len(batches) == 4 for batches in per_rank)
    drawn = [i for batches in per_rank for b in batches for i in b]
    assert sorted(drawn) == list(range(1 * world * batch, 5 * world * batch))  # iterations 1..4, each sample once
    assert per_rank[1][0] == [(1 * world + 1) * batch, (1 * world + 1) * batch + 1]


@pytest.mark.slow  # two processes that each import torch and train (~7 s on 2 cores)
@pytest.mark.skipif(not torch.distributed.is_available(), reason="torch built without distributed")
def test_two_gloo_ranks_stay_in_sync(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mp.spawn(_worker, args=(2, _free_port(), str(demo_dir), str(tmp_path / "runs"), str(out)), nprocs=2,
             join=True)
    r0 = torch.load(out / "rank0.pt", weights_only=True)
    r1 = torch.load(out / "rank1.pt", weights_only=True)
    assert r0["iteration"] == r1["iteration"] == 3
    assert set(r0["first_batch"]).isdisjoint(r1["first_batch"])  # each rank trains on its own samples
    diff = [k for k in r0["state"] if not torch.equal(r0["state"][k], r1["state"][k])]
    assert not diff, diff[:5]
    # rank 0 alone wrote the run folder; the state holds one RNG set per rank
    run = tmp_path / "runs" / "tiny"
    from fosp_core.train.state import load_state

    state = load_state(run / "last.pt")
    assert len(state["rng"]) == 2 and state["iteration"] == 3
    assert all(torch.equal(state["model"][k], r0["state"][k]) for k in r0["state"])
