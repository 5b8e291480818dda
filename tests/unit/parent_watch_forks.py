"""A training run watched by the parent-watch thread (`fosp_core.train.signals`, a run the app started
with `PARENT_ENV`), with the threads alive at each fork of the process recorded by
`os.register_at_fork`: what `test_train_parent_watch_fork` and `test_train_ssl_parent_watch_fork` check
of the supervised and the SSL loaders. No timing decides what is recorded."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch

from fosp_core.train import signals

__all__ = ["recorded_forks", "watched_run", "watchers"]

WATCH = "fosp-parent-watch"
_record: dict[str, list[list[str]]] = {}  # the current run's forks (the hook below stays for the process)


def _before_fork() -> None:
    if "alive" in _record:
        _record["alive"].append(sorted(t.name for t in threading.enumerate() if t.name == WATCH and t.is_alive()))


os.register_at_fork(before=_before_fork)


def watchers() -> list[threading.Thread]:
    """The parent-watch threads alive now."""
    return [t for t in threading.enumerate() if t.name == WATCH and t.is_alive()]


@contextmanager
def recorded_forks() -> Iterator[list[list[str]]]:
    """A list that gets, at each fork of this process within the block, the names of the parent-watch
    threads alive then (sorted)."""
    _record.clear()
    _record["alive"] = []
    try:
        yield _record["alive"]
    finally:
        _record.clear()


def watched_run(make_trainer: Callable[[], Any]) -> tuple[list[list[str]], list[int]]:
    """Run the trainer `make_trainer` builds (one torch thread) inside `signals.stop_signals`, asserting
    that a parent-watch thread watches it from the start (`PARENT_ENV` must be set): the parent-watch
    threads alive at each fork during it, and how many were alive at each training step."""
    torch.set_num_threads(1)
    seen_in_loop: list[int] = []
    with recorded_forks() as forks, signals.stop_signals():
        assert len(watchers()) == 1  # the app's run: watched
        trainer = make_trainer()
        step = trainer._step

        def counting_step(*args: Any) -> Any:
            seen_in_loop.append(len(watchers()))
            return step(*args)

        trainer._step = counting_step
        trainer.run()
    return forks, seen_in_loop
