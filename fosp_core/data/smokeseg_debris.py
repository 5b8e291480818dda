"""The temporary folders of exports killed mid-way: named for their writer, removed once it is gone.

`fosp_core.data.smokeseg.write_smokeseg` writes a dataset into a hidden sibling of its destination,
``.{DST}.tmp-{host}.{pid}.{random}``, and moves it into place at the end. An export killed before that
(SIGKILL, the OOM killer, a power cut) leaves the folder behind, a full copy of the images written so
far; nothing else would ever remove it. The next export to the same place removes those whose writer is
gone: named for this machine and a process id no process has any more. Kept: one whose process still
runs (another export writing there now; a process id reused since also keeps it, which errs on the
safe side), one of another machine (a shared folder: its writer cannot be seen from here), one named by
an earlier version, or one whose name would be too long with them (``.{DST}.tmp-{random}``: no writer
to ask), a symbolic link, and everything that is
not this destination's temporary folder. Liveness is asked of the system as for a project's stale lock
(`fosp_core.annotation.storage.pid_alive`: a zombie is gone). What is removed is told as :class:`DeadExport`s
(the folder and the bytes it held), which the writer logs and hands to its caller (the app's Export dialog
says them: it sets up no logging).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

from fosp_core.io.media_sniff import size_text

__all__ = ["DeadExport", "clean_dead_exports", "dead_exports", "remove_dead_exports", "tmp_prefix"]

_RANDOM = r"[a-z0-9_]+"  # what tempfile.mkdtemp appends


def _host() -> str:
    """This machine's name as it goes in a folder name (letters, digits, ``-``, ``_``; no dots)."""
    return re.sub(r"[^A-Za-z0-9-]", "_", socket.gethostname()) or "host"


#: The longest file name most file systems take, in bytes; ``mkdtemp`` adds 8 random characters.
_NAME_MAX, _RANDOM_LEN = 255, 8


def tmp_prefix(dst: Path) -> str:
    """The name an export to `dst` gives its temporary folder, less the random end (``mkdtemp``'s prefix):
    ``.{DST}.tmp-{host}.{pid}.``, or the unnamed ``.{DST}.tmp-`` of earlier versions when that would be
    too long a file name (never removed by a later export then: no writer to ask)."""
    named = f".{dst.name}.tmp-{_host()}.{os.getpid()}."
    if len(os.fsencode(named)) + _RANDOM_LEN <= _NAME_MAX:
        return named
    return f".{dst.name}.tmp-"


def dead_exports(dst: Path) -> list[Path]:
    """The temporary folders beside `dst` left by exports to `dst` whose writer is gone (module doc), sorted."""
    from fosp_core.annotation.storage import pid_alive  # here: importing the writer loads no annotation code

    pattern = re.compile(rf"\.{re.escape(dst.name)}\.tmp-(?P<host>[A-Za-z0-9_-]+)\.(?P<pid>\d+)\.{_RANDOM}")
    host = _host()
    try:
        with os.scandir(dst.parent) as entries:
            found = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
    except OSError:
        return []
    dead = []
    for name, is_folder in found:
        match = pattern.fullmatch(name)
        if match is None or not is_folder or match["host"] != host:
            continue
        if not pid_alive(int(match["pid"])):
            dead.append(dst.parent / name)
    return sorted(dead)


@dataclass(frozen=True)
class DeadExport:
    """A dead export's temporary folder that a later export removed: where it was, and the bytes its files
    held (their sizes, read before it was removed)."""

    path: Path
    size: int

    def words(self) -> str:
        """".out.tmp-host.123.ab12cd34, 120.4 MB": the folder's name and what it held."""
        return f"{self.path.name}, {size_text(self.size)}"


def _folder_size(folder: Path) -> int:
    """The bytes of the files under `folder` (``lstat`` sizes: a link counts as itself); what cannot be read, 0."""
    total = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    total += _folder_size(Path(entry.path))
                else:
                    total += entry.stat(follow_symlinks=False).st_size
    except OSError:
        pass
    return total


def remove_dead_exports(dst: Path) -> list[DeadExport]:
    """Remove the folders `dead_exports(dst)` finds; those removed, with the bytes each held (one that cannot
    be removed wholly is left out)."""
    removed = []
    for folder in dead_exports(dst):
        size = _folder_size(folder)
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder):
            removed.append(DeadExport(folder, size))
    return removed


def clean_dead_exports(dst: Path) -> list[Path]:
    """The folders :func:`remove_dead_exports` removed, without their sizes."""
    return [dead.path for dead in remove_dead_exports(dst)]
