"""The fingerprint thread (`fosp_core.train.fingerprint_job`) is not alive when the run's DataLoader
forks its workers: a child forked while that thread held a lock (import, allocator, a file's) could
hang on it. Before, the thread hashed on through the fork; now it stops between two files and a new
one goes on after, with the same cache: the fingerprint and the files read are unchanged.

The hashing of the first file is held (it waits until the fork, or until the job asks it to stop),
so the thread is surely alive when the workers start: no timing decides what is checked."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core import trained_on
from fosp_core.train import fingerprint_job
from fosp_core.train.trained_images import run_fingerprint
from tests.unit.test_train_support import tiny_config

_watch: dict[str, Any] = {}  # the current test's record (the fork hooks below stay for the process)


def _before_fork() -> None:
    if "alive" in _watch:
        older = _watch.get("older", set())
        _watch["alive"].append(sorted(t.name for t in threading.enumerate()
                                      if t.name.startswith("fosp-") and t.is_alive() and t not in older))


def _after_fork_in_parent() -> None:
    if "release" in _watch:
        _watch["release"].set()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent)


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture
def held_hashing(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Each file's hashing waits until a fork has happened or the job is stopping; records the forks."""
    jobs: list[Any] = []
    release = threading.Event()
    real_digest, real_init = trained_on.file_digest, fingerprint_job.FingerprintJob.__init__

    def held_digest(path: str | os.PathLike) -> str:
        while not release.is_set() and not any(getattr(j, "stopping", threading.Event()).is_set() for j in jobs):
            release.wait(0.005)
        return real_digest(path)

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        jobs.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(trained_on, "file_digest", held_digest)
    monkeypatch.setattr(fingerprint_job.FingerprintJob, "__init__", init)
    _watch.clear()
    # threads an earlier test in this process left (e.g. the app's idle upsample pools under xdist) are not the run's
    _watch.update(alive=[], release=release, jobs=jobs, older=set(threading.enumerate()))
    yield _watch
    _watch.clear()


def test_no_fingerprint_thread_is_alive_when_the_loader_forks(demo_dir: Path, tmp_path: Path,
                                                              held_hashing: dict[str, Any]) -> None:
    from fosp_core.train.loop import Trainer

    cfg = tiny_config(demo_dir, tmp_path, data={"workers": 2}, train={"iterations": 2, "save_every": 0})
    trainer = Trainer(cfg)
    job = held_hashing["jobs"][0]
    assert job.thread.is_alive()  # held on its first file
    trainer.run()
    forks = held_hashing["alive"]
    assert len(forks) >= 2, forks  # the two workers
    assert forks == [[]] * len(forks), forks  # was [['fosp-fingerprint'], ...]
    assert job.pauses == 1
    got = trainer.trained_on
    sources = trainer.train_sources
    alone = run_fingerprint(sources, cache=trained_on.DigestCache())
    assert got == alone and got.complete and len(got.hashes) == len(sources[0].image_paths)
    assert job.cache.reads == len(sources[0].image_paths)  # the file read at the pause was kept
    assert [row[0] for row in fingerprint_job.read_digests(trainer.run_dir / fingerprint_job.DIGEST_FILE)] == \
        sorted(os.path.abspath(p) for p in sources[0].image_paths)


def test_a_job_paused_and_resumed_gives_the_same_fingerprint(demo_dir: Path, tmp_path: Path,
                                                             held_hashing: dict[str, Any]) -> None:
    """Paused on its first file, forked, resumed: the same digests as one hashing alone; a result()
    asked for while paused goes on by itself."""
    from fosp_core.train.loop import Trainer

    trainer = Trainer(tiny_config(demo_dir, tmp_path))
    job = held_hashing["jobs"][0]
    sources = trainer.train_sources
    with job.paused():
        assert not job.thread.is_alive()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
    assert held_hashing["alive"] == [[]]
    job.pause()  # and result() while paused
    assert job.result() == run_fingerprint(sources, cache=trained_on.DigestCache())
    assert job.cache.reads == len(sources[0].image_paths)
