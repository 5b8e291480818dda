"""The parent-watch thread (`fosp_core.train.signals`, a run the app started with `PARENT_ENV`) is
not alive when the run's DataLoader forks its workers, as the fingerprint thread is not
(`test_train_fingerprint_fork`): a worker forked while it held a lock (its event's, as each second's
wait times out; the allocator's) would copy that lock held. Before, it lived through the fork; now
it is stopped around the fork and a new one watches after. Forks are recorded with
`os.register_at_fork` (`tests/unit/parent_watch_forks`): no timing decides what is checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.train import signals
from tests.unit.parent_watch_forks import watched_run, watchers
from tests.unit.test_train_support import tiny_config


def test_no_parent_watch_thread_is_alive_when_the_loader_forks(demo_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.train.loop import Trainer

    monkeypatch.setenv(signals.PARENT_ENV, str(os.getppid()))
    cfg = tiny_config(demo_dir, tmp_path, data={"workers": 2}, train={"iterations": 2, "save_every": 0})
    forks, seen_in_loop = watched_run(lambda: Trainer(cfg))
    assert len(forks) >= 2, forks  # the two workers forked
    assert all(alive == [] for alive in forks), forks  # was ['fosp-parent-watch'] at each fork
    assert seen_in_loop == [1, 1]  # a new thread watches during the steps
    assert watchers() == []  # and ends with the block


def test_pausing_without_a_watch_is_a_no_op() -> None:
    with signals.parent_watch_paused():
        assert watchers() == []
