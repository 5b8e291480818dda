"""`fosp train-ssl`'s DataLoader forks its workers with no parent-watch thread alive, as the
supervised run's does (`test_train_parent_watch_fork`): a worker forked while the thread held its
event's lock (each second, as its wait times out) or the allocator's would copy that lock held.
Before, the SSL loader was not wrapped in `signals.parent_watch_paused`; now the thread is stopped
around the fork and a new one watches during the steps. Forks are recorded with
`os.register_at_fork` (`tests/unit/parent_watch_forks`): no timing decides what is checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.train import signals
from fosp_core.train.ssl import SSLTrainer
from tests.unit.parent_watch_forks import watched_run, watchers
from tests.unit.test_train_ssl import _cfg, data_root  # noqa: F401  (the fixture)


def test_no_parent_watch_thread_is_alive_when_the_ssl_loader_forks(data_root: Path, tmp_path: Path,  # noqa: F811
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(signals.PARENT_ENV, str(os.getppid()))
    cfg = _cfg(data_root, tmp_path / "runs", iterations=2, workers=2, save_every=0, probe_size=0, videos="")
    forks, seen_in_loop = watched_run(lambda: SSLTrainer(cfg))
    assert len(forks) >= 2, forks  # the two workers forked
    assert all(alive == [] for alive in forks), forks  # was ['fosp-parent-watch'] at each fork
    assert seen_in_loop == [1, 1]  # a new thread watches during the steps
    assert watchers() == []  # and ends with the block
