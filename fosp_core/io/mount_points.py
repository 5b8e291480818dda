"""Which folders are mount points, known without looking at them: a drive that stopped answering (a network
share gone, a USB disk pulled while mounted) hangs every ``stat`` of a path on it, ``os.path.ismount`` too,
so code that must not hang (the GUI thread) asks the system's mount table instead.

Linux: ``/proc/self/mountinfo`` (the kernel's table: reading it touches no mounted file system). Elsewhere,
where no such table is read: a Windows drive root or UNC share (``E:\\``, ``\\\\server\\share``) and macOS's
``/Volumes/<name>``, by the path's words alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

__all__ = ["MOUNT_INFO", "is_mount_point", "mount_points"]

#: the kernel's mount table of this process (Linux)
MOUNT_INFO = Path("/proc/self/mountinfo")

_ESCAPE = re.compile(r"\\([0-7]{3})")


def _unescape(field: str) -> str:
    """A mountinfo path field: space, tab, newline and backslash are written as octal escapes (``\\040``)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def mount_points(table: Path = MOUNT_INFO) -> frozenset[str] | None:
    """The mount points of the mount table `table` (``/proc/self/mountinfo``'s fifth field), None where it
    cannot be read (not Linux)."""
    try:
        text = table.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    points = set()
    for line in text.splitlines():
        fields = line.split(" ")
        if len(fields) > 4:
            points.add(_unescape(fields[4]))
    return frozenset(points)


def is_mount_point(path: PurePath, points: frozenset[str] | None = None) -> bool:
    """Whether `path` (absolute) is where a file system is mounted, without a look at it: by the mount table
    (`points`, from `mount_points` when None), else by its words (a drive root or a UNC share on Windows, a
    folder of macOS's ``/Volumes``)."""
    text = os.path.normpath(os.fspath(path))
    if points is None:
        points = mount_points()
    if points is not None and text in points:
        return True
    drive, rest = os.path.splitdrive(text)
    if drive and rest.strip("\\/") == "":
        return True  # E:\ or \\server\share
    parts = PurePath(text).parts
    return len(parts) == 3 and parts[0] == "/" and parts[1] == "Volumes"
