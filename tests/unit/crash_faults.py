"""The faults a crash worker (`tests.unit.crash_worker`) installs in itself before it edits: a
SIGKILL at the n-th call of a write step (`install_kill`, `KILL_POINTS` / `BG_KILL_POINTS`), a share
of the ``project.json`` rewrites failing like a full disk (`install_full_disk`), background rewrites
held a few milliseconds so that saves run during them (`slow_background_rewrites`). Each patches the
module-level names the project writes through, in this process only.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

import numpy as np

__all__ = ["BG_KILL_POINTS", "KILL_POINTS", "install_full_disk", "install_kill", "slow_background_rewrites"]

#: where the worker may kill itself: each names a write step and when in it (see `install_kill`)
KILL_POINTS = ("chunk", "before_replace", "after_replace", "fsync", "state_written", "journal_unlinked")
#: where a worker with background rewrites may kill itself (`KILL_POINTS` and during a rewrite)
BG_KILL_POINTS = ("rewriting", "state_written", "journal_unlinked", "chunk", "after_replace")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def install_kill(spec: str) -> None:
    """Make the n-th call of one write step SIGKILL this process (spec "point:n")."""
    from fosp_core.annotation import project as project_module
    from fosp_core.annotation import project_compaction, project_open
    from fosp_core.io import atomic as atomic_io

    point, _, nth = spec.partition(":")
    left = [int(nth)]

    def due() -> bool:
        left[0] -= 1
        return left[0] <= 0

    if point == "chunk":  # half of a temp file's or a journal line's bytes written, then killed
        real_chunk = atomic_io._write_chunk

        def chunk(fd: int, data: memoryview) -> int:
            if due():
                real_chunk(fd, data[: max(len(data) // 2, 1)])
                _die()
            return real_chunk(fd, data)

        atomic_io._write_chunk = chunk
    elif point in ("before_replace", "after_replace"):
        real_replace = os.replace

        def replace(src: str | os.PathLike, dst: str | os.PathLike) -> None:
            if point == "before_replace" and due():
                _die()
            real_replace(src, dst)
            if point == "after_replace" and due():
                _die()

        os.replace = replace
    elif point == "fsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if due():
                _die()
            real_fsync(fd)

        os.fsync = fsync
    elif point == "rewriting":  # inside a background rewrite, the main thread saving meanwhile
        real_rewrite = project_compaction.atomic_write

        def rewrite(path: str | os.PathLike, data: bytes, **kwargs: object) -> None:
            if due():
                time.sleep(0.01)
                _die()
            real_rewrite(path, data, **kwargs)

        project_compaction.atomic_write = rewrite
    elif point in ("state_written", "journal_unlinked"):  # a project.json rewrite, around the journal's end
        real_atomic_write = project_module.atomic_write
        real_unlink = Path.unlink

        def atomic_write(path: str | os.PathLike, data: bytes, **kwargs: object) -> None:
            real_atomic_write(path, data, **kwargs)
            if point == "state_written" and Path(path).name == "project.json" and due():
                _die()

        def unlink(self: Path, missing_ok: bool = False) -> None:
            real_unlink(self, missing_ok=missing_ok)
            if point == "journal_unlinked" and self.name == "changes.jsonl" and due():
                _die()

        project_module.atomic_write = atomic_write  # the rewrites
        project_compaction.atomic_write = atomic_write  # the background ones
        project_open.atomic_write = atomic_write  # the first project.json, made on opening
        Path.unlink = unlink  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown kill point {point!r}")


def install_full_disk(share: float, rng: np.random.Generator) -> None:
    """Make `share` of the ``project.json`` rewrites fail with ENOSPC, half their temp file written."""
    from fosp_core.io import atomic as atomic_io

    real_chunk = atomic_io._write_chunk

    def chunk(fd: int, data: memoryview) -> int:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".project.json.") \
                and rng.random() < share:
            real_chunk(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_chunk(fd, data)

    atomic_io._write_chunk = chunk


def slow_background_rewrites(rng: np.random.Generator) -> None:
    """Hold each background rewrite 0-15 ms before it writes: saves run while it does."""
    from fosp_core.annotation import project_compaction

    real_rewrite = project_compaction.atomic_write
    delays = [float(d) for d in rng.uniform(0, 0.015, 10_000)]  # drawn here: the rng is not thread-safe

    def rewrite(path: str | os.PathLike, data: bytes, **kwargs: object) -> None:
        time.sleep(delays.pop() if delays else 0.0)
        real_rewrite(path, data, **kwargs)

    project_compaction.atomic_write = rewrite
