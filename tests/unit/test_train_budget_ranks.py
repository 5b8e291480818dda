"""Under DDP every process runs `Trainer.run`, but only rank 0 validates, says, logs and writes the
run folder. The start validation's budget rule (`budget_validation.shorten_start_validation`, a
`val_at_start` run) was called on every rank: each other rank probed a validation of its own, cut
its own `train.val_max_images` and rewrote config.toml with what its clock decided, over rank 0's.

Rank 1 is a stand-in trainer whose budget is already gone (no probe needed to decide): it must leave
its config and the run folder alone."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fosp_core.train import budget_validation


class _Cfg:
    def __init__(self) -> None:
        self.train = SimpleNamespace(val_max_images=0, time_budget_s=50.0, ema_validate_raw=False)

    def recorded(self) -> dict[str, Any]:
        return {"train": {"val_max_images": self.train.val_max_images}}


def _trainer(tmp_path: Path, main: bool) -> SimpleNamespace:
    said: list[str] = []
    logged: list[dict[str, Any]] = []
    return SimpleNamespace(main=main, cfg=_Cfg(), val_sources=[SimpleNamespace(size=4, name="val")],
                           _budget_t0=0.0, iteration=0, total=300, run_dir=tmp_path, ema=None,
                           say=said.append, said=said, log=SimpleNamespace(write=logged.append), logged=logged)


def test_only_rank_0_shortens_the_start_validation(tmp_path: Path) -> None:
    other = _trainer(tmp_path / "rank1", main=False)
    (tmp_path / "rank1").mkdir()
    budget_validation.shorten_start_validation(other, lambda: 80.0)  # 80 s gone of 50
    assert other.cfg.train.val_max_images == 0  # was 1: rank 1's own decision
    assert not (tmp_path / "rank1" / "config.toml").exists()  # was written by rank 1
    assert other.logged == []

    main = _trainer(tmp_path / "rank0", main=True)
    (tmp_path / "rank0").mkdir()
    budget_validation.shorten_start_validation(main, lambda: 80.0)
    assert main.cfg.train.val_max_images == 1 and (tmp_path / "rank0" / "config.toml").is_file()
    assert [e["event"] for e in main.logged] == ["time_budget_validation"]
