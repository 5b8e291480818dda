"""This process's own writes of mask files, counted per file in memory, so that the files an image's document was
read from on a worker (`fosp_core.annotation.project_documents.SavedFiles`) can be known unchanged when the GUI
thread takes them without a look at the disk (an ``os.stat`` of the mask file there, per image shown, held the
window on a share that stopped answering).

Every write of a mask file by this process goes through `mask_writing` (`Project.save_mask`: the GUI thread's
saves, recovery, Import Labels and Pre-label All; the save thread's PNG, `mask_saves._write`; a batch's mask put
back, `import_loop._take_back`), which counts the file once as the write starts and once as it ends: a count
unchanged between the reading's start and the taking means no write of this process ran in between, not even one
under way as the reading started. Another process does not write a project this one holds writable (its lock); a
file it writes once it took the project over is the one a status-only save meets anyway (`SavedMasks.holds` looks
at the file then), and the save rescues the mask (`taken_over`). Any thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["mask_writes_of", "mask_writing", "written_counted"]

_lock = threading.Lock()
_counts: dict[str, int] = {}  # mask file (its path's text) -> writes started + writes ended by this process


def mask_writes_of(path: str | os.PathLike) -> int:
    """How many times a write of this process started or ended at the mask file `path` (0: never)."""
    with _lock:
        return _counts.get(os.fspath(path), 0)


def _count(key: str) -> None:
    with _lock:
        _counts[key] = _counts.get(key, 0) + 1


@contextmanager
def mask_writing(path: str | os.PathLike) -> Iterator[None]:
    """Within: this process writes (replaces, puts back or removes) the mask file `path`; counted as it starts and as
    it ends, whatever the write's outcome."""
    key = os.fspath(path)
    _count(key)
    try:
        yield
    finally:
        _count(key)


def written_counted(write: Callable[[Path, bytes], None], path: Path, data: bytes) -> None:
    """`write(path, data)` (an atomic write of the mask file `path`) within `mask_writing`."""
    with mask_writing(path):
        write(path, data)
