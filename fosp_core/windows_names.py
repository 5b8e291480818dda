"""Names and paths Windows cannot hold, said before or after they fail there (the app is used on Windows too).

A file name there may not hold ``<>:"|?*`` or a control character (``:`` opens an NTFS stream), nor be a
device's name (``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM0``-``COM9``, ``LPT0``-``LPT9``, also with a
superscript digit, any case, with any extension after the first dot: ``con.jpg`` is the console), and a
trailing dot or space is dropped (another file's name). A whole path is at most `WINDOWS_PATH_MAX`
characters (a folder's `WINDOWS_FOLDER_MAX`) unless long paths are turned on (the ``LongPathsEnabled``
setting): past it a write fails with 'The system cannot find the path specified', naming nothing useful.
"""

from __future__ import annotations

import errno
import ntpath
import os
import re

__all__ = ["NOT_ON_WINDOWS", "WINDOWS_DEVICES", "WINDOWS_FOLDER_MAX", "WINDOWS_PATH_MAX", "destination_problem",
           "on_windows", "path_too_long_words", "run_name_problem", "windows_name_problem"]

#: characters no Windows file name may hold (``/`` and ``\\`` are path separators)
NOT_ON_WINDOWS = re.compile(r'[<>:"|?*\x00-\x1f]')
#: names Windows keeps for devices: a file so named, with any extension, cannot be made there (case folded)
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                             *(f"{port}{n}" for port in ("com", "lpt") for n in "0123456789\u00b9\u00b2\u00b3")})
#: the longest path of a file (MAX_PATH less its NUL) and of a folder (less room for an 8.3 name) without long paths
WINDOWS_PATH_MAX, WINDOWS_FOLDER_MAX = 259, 247


def windows_name_problem(name: str) -> str | None:
    """Why no Windows file may be called `name` (a file name, no folder), None when one may."""
    if (bad := NOT_ON_WINDOWS.search(name)) is not None:
        return f"Windows refuses the character {bad.group()!r} in file names"
    head = name.split(".", 1)[0].rstrip(" ")
    if head.casefold() in WINDOWS_DEVICES:
        return f"{head} is a name Windows keeps for a device (no file may be called so there)"
    if name.endswith((".", " ")):
        return "Windows drops a file name's trailing dot or space (another file's name there)"
    return None


def on_windows() -> bool:
    """Whether this is Windows (``os.name == "nt"``); a seam for tests, which fake it (pathlib's classes follow
    ``os.name`` itself)."""
    return os.name == "nt"


def run_name_problem(name: str) -> str | None:
    """Why a training run may not be called `name`, on every platform, or None: its folder ``<runs>/<name>`` is
    copied to other machines (a run shared, exported beside its card, listed by the app's Model panel) and must
    open on Windows too; a path separator (``/``, ``\\``) would name another folder."""
    if "/" in name or "\\" in name:
        return "a path separator (/ or \\) names another folder"
    return windows_name_problem(name)


def destination_problem(path: str | os.PathLike[str]) -> str | None:
    """On Windows, why a file or folder cannot be made at the typed `path` there ("aux.json: aux is a name
    Windows keeps for a device ...", naming the part), or None; None elsewhere, where such a name is a file like
    any other. Every part after the drive or root is asked, but ``.`` and ``..``: asked before anything is
    written, the OS's words for it ('The system cannot find the file specified', or a write to the console for
    ``CON``) name nothing useful."""
    if not on_windows():
        return None
    _drive, rest = ntpath.splitdrive(os.fspath(path))  # Windows' rules, whatever os.path is (a test's fake)
    for part in re.split(r"[\\/]+", rest):
        if part in ("", ".", "..") or (problem := windows_name_problem(part)) is None:
            continue
        return f"{part}: {problem}; choose another name"
    return None


#: what a path too long fails with there: ERROR_PATH_NOT_FOUND, ERROR_FILENAME_EXCED_RANGE (both ENOENT)
_TOO_LONG_WINERRORS = frozenset({3, 206})


def path_too_long_words(exc: OSError, shown: str | None = None) -> str | None:
    """On Windows (``os.name == "nt"``), when `exc` is a write that failed because its path is longer than
    Windows takes without long paths: what to say ("PATH: a path of N characters ..."; `shown` the path
    to name instead of ``exc.filename``, e.g. the final one of a temporary file; "": none, the caller names
    it). None elsewhere or otherwise."""
    if os.name != "nt" or exc.filename is None:
        return None
    path = os.fsdecode(exc.filename)
    if len(path) <= WINDOWS_FOLDER_MAX:
        return None
    if getattr(exc, "winerror", None) not in _TOO_LONG_WINERRORS and exc.errno not in (errno.ENOENT, errno.ENAMETOOLONG):
        return None
    named = path if shown is None else shown
    return (f"{named}: " * bool(named) + f"a path of {len(path)} characters (with its temporary name, where one is written "
            f"first), more than Windows takes ({WINDOWS_PATH_MAX}) where long paths are not turned on: choose a "
            "folder with a shorter path (nearer the drive's top, e.g. C:\\data), or turn long paths on (the "
            "LongPathsEnabled setting)")
