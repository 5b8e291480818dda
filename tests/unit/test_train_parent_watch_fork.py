"""The parent-watch thread (`fosp_core.train.signals`, a run the app started with `PARENT_ENV`) is
not alive when the run's DataLoader forks its workers, as the fingerprint thread is not
(`test_train_fingerprint_fork`): a worker forked while it held a lock (its event's, as each second's
wait times out; the allocator's) would copy that lock held. Before, it lived through the fork; now
it is stopped around the fork and a new one watches after. Forks are recorded with
`os.register_at_fork`: no timing decides what is checked."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core.train import signals
from tests.unit.test_train_support import tiny_config

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


def test_no_parent_watch_thread_is_alive_when_the_loader_forks(demo_dir: Path, tmp_path: Path, forks: list[Any],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.train.loop import Trainer

    monkeypatch.setenv(signals.PARENT_ENV, str(os.getppid()))
    cfg = tiny_config(demo_dir, tmp_path, data={"workers": 2}, train={"iterations": 2, "save_every": 0})
    seen_in_loop: list[int] = []
    with signals.stop_signals():
        assert len(_watchers()) == 1  # the app's run: watched
        trainer = Trainer(cfg)
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


def test_pausing_without_a_watch_is_a_no_op() -> None:
    with signals.parent_watch_paused():
        assert _watchers() == []
