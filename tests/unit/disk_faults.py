"""`Faults`: make the writes to one file of a project fail like a full disk (ENOSPC) or a failing
one (EIO), at one step of `fosp_core.io.atomic`'s writers. Linux: a write's file is found through
``/proc/self/fd``."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from fosp_core.io import atomic as atomic_io

__all__ = ["Faults"]


def _target(name: str) -> str:
    """The file a write goes to: ``.project.json.k3j2.tmp`` (an atomic write's temp) -> project.json."""
    if name.startswith(".") and name.endswith(".tmp"):
        return name[1:-4].rsplit(".", 1)[0]
    return name


class Faults:
    """Make one step of the writes to a chosen file fail with an errno, until `clear`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.hits = 0
        self.active = False

    def fail(self, target: str, step: str, err: int) -> None:
        """target: the file's name (``img01.png``, ``changes.jsonl``, ``project.json``); step: "write"
        (nothing written), "half" (half written, then the error), "fsync" or "replace"."""
        self.active = True
        wanted: Callable[[str], bool] = lambda path: self.active and _target(os.path.basename(path)) == target  # noqa: E731

        def hit() -> OSError:
            self.hits += 1
            return OSError(err, os.strerror(err))

        if step in ("write", "half"):
            real = atomic_io._write_chunk

            def write_chunk(fd: int, data: memoryview) -> int:
                if wanted(os.readlink(f"/proc/self/fd/{fd}")):
                    if step == "half" and len(data) > 1:
                        real(fd, data[: len(data) // 2])
                    raise hit()
                return real(fd, data)

            self.monkeypatch.setattr(atomic_io, "_write_chunk", write_chunk)
        elif step == "fsync":
            real_fsync = os.fsync

            def fsync(fd: int) -> None:
                if wanted(os.readlink(f"/proc/self/fd/{fd}")):
                    raise hit()
                real_fsync(fd)

            self.monkeypatch.setattr(os, "fsync", fsync)
        elif step == "replace":
            real_replace = os.replace

            def replace(src: str | os.PathLike, dst: str | os.PathLike) -> None:
                if wanted(os.fspath(dst)):
                    raise hit()
                real_replace(src, dst)

            self.monkeypatch.setattr(os, "replace", replace)
        else:
            raise ValueError(step)

    def clear(self) -> None:
        """The disk has room again."""
        self.active = False
