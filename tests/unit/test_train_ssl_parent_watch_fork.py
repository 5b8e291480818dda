"""`fosp train-ssl`'s DataLoader forks its workers with no parent-watch thread alive, as the
supervised run's does (`test_train_parent_watch_fork`): a worker forked while the thread held its
event's lock (each second, as its wait times out) or the allocator's would copy that lock held.
Before, the SSL loader was not wrapped in `signals.parent_watch_paused`; now the thread is stopped
around the fork and a new one watches during the steps. Forks are recorded with
`os.register_at_fork`: no timing decides what is checked."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core.train import signals
from fosp_core.train.ssl import SSLTrainer
from tests.unit.test_train_ssl import _cfg, data_root  # noqa: F401  (the fixture)

_record: dict[str, Any] = {}  # the current test's forks (the hook below stays for the process)


def _before_fork() -> None:
    if "alive" in _record:
        _record["alive"].append(sorted(t.name for t in threading.enumerate()
                                       if t.name == "fosp-parent-watch" and t.is_alive()))


os.register_at_fork(before=_before_fork)


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture
def forks() -> Any:
    _record.clear()
    _record["alive"] = []
    yield _record["alive"]
    _record.clear()


def _watchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "fosp-parent-watch" and t.is_alive()]


def test_no_parent_watch_thread_is_alive_when_the_ssl_loader_forks(data_root: Path, tmp_path: Path,  # noqa: F811
                                                                    forks: list[Any],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(signals.PARENT_ENV, str(os.getppid()))
    cfg = _cfg(data_root, tmp_path / "runs", iterations=2, workers=2, save_every=0, probe_size=0, videos="")
    seen_in_loop: list[int] = []
    with signals.stop_signals():
        assert len(_watchers()) == 1  # the app's run: watched
        trainer = SSLTrainer(cfg)
        step = trainer._step

        def counting_step(*args: Any) -> Any:
            seen_in_loop.append(len(_watchers()))
            return step(*args)

        trainer._step = counting_step  # type: ignore[method-assign]
        trainer.run()
    assert len(forks) >= 2, forks  # the two workers forked
    assert all(alive == [] for alive in forks), forks  # was ['fosp-parent-watch'] at each fork
    assert seen_in_loop == [1, 1]  # a new thread watches during the steps
    assert _watchers() == []  # and ends with the block
