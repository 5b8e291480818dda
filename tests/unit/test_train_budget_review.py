"""Review of `train.time_budget_s` counting the whole command (session 29, R4).

- `fosp_core.cli.main` called in a process that imported the CLI long before (a test session, a
  script running several commands) counted each command's budget from that import: the second
  `fosp train ... train.time_budget_s=60` of a script found its budget gone at its first step.
- A fresh run whose final validation cannot fit its budget validates fewer images per source, and
  says so, instead of only warning and running minutes past the budget (`budget.shrunk_val_max`).

Time here is a fake clock (`tests/unit/test_train_budget_in_all.py`'s): no wall-clock thresholds.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fosp_core.train import loop as loop_module


def test_each_command_counts_from_its_own_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Two `fosp train` commands run by one process: each hands the Trainer its own start."""
    from fosp_core import cli

    seen: list[float] = []

    class Recorder:
        def __init__(self, cfg: Any, **kwargs: Any) -> None:
            seen.append(kwargs["started_at"])
            raise loop_module.TrainingError("recorded")

    clock = SimpleNamespace(now=5000.0)
    monkeypatch.setattr(cli, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    monkeypatch.setattr(loop_module, "Trainer", Recorder)
    argv = ["train", "small-cpu", "--runs-dir", str(tmp_path), "--quiet", "train.iterations=1"]
    assert cli.main(argv) == 1
    clock.now += 300.0  # the script does something else for 5 minutes
    assert cli.main(argv) == 1
    assert seen == [5000.0, 5300.0]  # was the CLI's import time, twice
