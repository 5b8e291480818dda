"""The temporary folders of exports killed mid-way: named for their writer, removed once it is gone.

`fosp_core.data.smokeseg.write_smokeseg` writes a dataset into a hidden sibling of its destination,
``.{DST}.tmp-{host}.{pid}.{random}``, and moves it into place at the end. An export killed before that
(SIGKILL, the OOM killer, a power cut) leaves the folder behind, a full copy of the images written so
far; nothing else would ever remove it. The next export to the same place removes those whose writer is
gone: named for this machine and a process id no process has any more. Kept: one whose process still
runs (another export writing there now; a process id reused since also keeps it, which errs on the
safe side), one of another machine (a shared folder: its writer cannot be seen from here), one named by
an earlier version (``.{DST}.tmp-{random}``, as earlier versions named one whose name would be too long
with them: no writer to ask; now DST is cut to ``<cut>~<digest>`` instead), a symbolic link, and everything that is
not this destination's temporary folder. Liveness is asked of the system as for a project's stale lock
(`fosp_core.annotation.storage.pid_alive`: a zombie is gone). What is removed is told as :class:`DeadExport`s
(the folder and the bytes it held), which the writer hands to its caller (the app's Export dialog and the
command line say them; the writer logs them, as a warning only when no caller takes them).

An export that replaces a dataset moves the old one aside first, ``.{DST}.old-{host}.{pid}.{random}``, moves
its own into place, then removes the old one: killed between the two moves, DST is missing and the folder
aside holds the only copy of the old dataset; killed after them, the folder aside (whole or partly removed) is
left. The next export to the same place settles those of dead writers of this machine first
(:func:`settle_old_copies`, the same rule of liveness): with DST missing or an empty folder, the newest is
put back as DST (the old dataset, as before the killed export); with DST a folder that is not empty (the
killed export's dataset, in place), they are removed. Anything else at DST (a file) leaves them as they are.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fosp_core.io.long_names import fit_name, name_digest
from fosp_core.io.media_sniff import size_text

__all__ = ["DeadExport", "Listing", "clean_dead_exports", "dead_exports", "debris_words", "listing_beside", "old_prefix",
           "remove_dead_exports", "settle_old_copies", "tmp_prefix", "with_debris"]

_RANDOM = r"[a-z0-9_]+"  # what tempfile.mkdtemp appends


def _host() -> str:
    """This machine's name as it goes in a folder name (letters, digits, ``-``, ``_``; no dots)."""
    return re.sub(r"[^A-Za-z0-9-]", "_", socket.gethostname()) or "host"


#: ``mkdtemp`` adds 8 random characters.
_RANDOM_LEN = 8


def tmp_prefix(dst: Path) -> str:
    """The name an export to `dst` gives its temporary folder, less the random end (``mkdtemp``'s prefix):
    ``.{DST}.tmp-{host}.{pid}.``, DST cut (``<cut>~<digest>``) when that would be too long a file name."""
    return _prefix(dst, "tmp")


def old_prefix(dst: Path) -> str:
    """The name an export replacing the dataset at `dst` gives the old one while it moves its own in, less
    the random end: ``.{DST}.old-{host}.{pid}.``, DST cut (``<cut>~<digest>``) when that would be too long."""
    return _prefix(dst, "old")


def _prefix(dst: Path, kind: str) -> str:
    """``.{DST}.{kind}-{host}.{pid}.``, DST cut to ``<cut>~<digest>`` when the name with `mkdtemp`'s random end
    would be too long (`fosp_core.io.long_names.fit_name`: a destination named near the limit could not be
    exported to, 'File name too long')."""
    room = "x" * _RANDOM_LEN
    return fit_name(dst.name, f".{kind}-{_host()}.{os.getpid()}.{room}", ".")[:-_RANDOM_LEN]


#: a folder's listing: (name, whether it is a folder, links not followed) of each entry
Listing = list[tuple[str, bool]]


def listing_beside(dst: Path) -> Listing:
    """The listing of `dst`'s parent folder, read once for both kinds of dead exports' folders (`dead_exports`'
    `listing`: an export settles the old datasets, then removes the unfinished copies); [] when it cannot be
    listed."""
    try:
        with os.scandir(dst.parent) as entries:
            return [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
    except OSError:
        return []


def dead_exports(dst: Path, kind: str = "tmp", listing: Listing | None = None) -> list[Path]:
    """The temporary folders beside `dst` left by exports to `dst` whose writer is gone (module doc), sorted;
    `kind` "old": the old datasets they had moved aside (`old_prefix`). `listing`: the parent folder's, read
    already (`listing_beside`); None reads it."""
    from fosp_core.annotation.storage import pid_alive  # here: importing the writer loads no annotation code

    named = rf"(?:{re.escape(dst.name)}|.*~{name_digest(dst.name)})"  # the name, or its short form (`_prefix`)
    pattern = re.compile(rf"\.{named}\.{kind}-(?P<host>[A-Za-z0-9_-]+)\.(?P<pid>\d+)\.{_RANDOM}", re.DOTALL)
    host = _host()
    found = listing_beside(dst) if listing is None else listing
    dead = []
    for name, is_folder in found:
        match = pattern.fullmatch(name)
        if match is None or not is_folder or match["host"] != host:
            continue
        if not pid_alive(int(match["pid"])):
            dead.append(dst.parent / name)
    return sorted(dead)


#: What a later export did with a dead export's folder: "unfinished" its temporary folder, removed; "old" the
#: old dataset it had moved aside, removed (its own was in place); "restored" that old dataset, put back as DST
Fate = Literal["unfinished", "old", "restored"]


@dataclass(frozen=True)
class DeadExport:
    """A dead export's folder that a later export removed or put back (`fate`): where it was, and the bytes
    its files held (their sizes, read before it was removed or moved)."""

    path: Path
    size: int
    fate: Fate = "unfinished"

    def words(self) -> str:
        """".out.tmp-host.123.ab12cd34, 120.4 MB": the folder's name and what it held."""
        return f"{self.path.name}, {size_text(self.size)}"


_WHAT = {"unfinished": ("removed a dead export's unfinished copy beside it",
                        "dead exports' unfinished copies beside it"),
         "old": ("removed the old dataset a dead export had moved aside",
                 "old datasets dead exports had moved aside"),
         "restored": ("put back the dataset a dead export had moved aside (it was killed while replacing it)", "")}


def debris_words(dead: list[DeadExport]) -> str:
    """"removed a dead export's unfinished copy beside it: .out.tmp-host.123.ab12cd34, 120.4 MB", and as
    much for the old datasets removed or put back (`DeadExport.fate`); "" for none."""
    parts = []
    for fate, (one, many) in _WHAT.items():
        these = [d for d in dead if d.fate == fate]
        if these:
            what = one if len(these) == 1 else f"removed {len(these)} {many}"
            parts.append(f"{what}: {'; '.join(d.words() for d in these)}")
    return "; ".join(parts)


def with_debris(reason: str, dead: list[DeadExport]) -> str:
    """An export's failure `reason`, and what it did with dead exports' folders before it failed."""
    return f"{reason}; before failing, it {debris_words(dead)}" if dead else reason


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


def remove_dead_exports(dst: Path, listing: Listing | None = None) -> list[DeadExport]:
    """Remove the folders `dead_exports(dst, listing=listing)` finds; those removed, with the bytes each held
    (one that cannot be removed wholly is left out)."""
    removed = []
    for folder in dead_exports(dst, listing=listing):
        size = _folder_size(folder)
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder):
            removed.append(DeadExport(folder, size))
    return removed


def clean_dead_exports(dst: Path) -> list[Path]:
    """The folders :func:`remove_dead_exports` removed, without their sizes."""
    return [dead.path for dead in remove_dead_exports(dst)]


def _state(dst: Path) -> str:
    """"missing", "empty" (a folder), "full" (a folder with something in it) or "other" (a file, a link,
    a folder that cannot be listed)."""
    try:
        if not os.path.lexists(dst):
            return "missing"
        if dst.is_symlink() or not dst.is_dir():
            return "other"
        with os.scandir(dst) as entries:
            return "full" if next(entries, None) is not None else "empty"
    except OSError:
        return "other"


def _moved_at(folder: Path) -> int:
    """When `folder` was last renamed (its ctime), 0 when it cannot be read."""
    try:
        return folder.stat().st_ctime_ns
    except OSError:
        return 0


def _rename_over_empty(folder: Path, dst: Path) -> None:
    """Rename `folder` to `dst`, which is missing or an empty folder (replaced); refused when something
    appeared in it. Windows' rename never replaces a folder, even an empty one: there it is removed first."""
    try:
        os.rename(folder, dst)
    except FileExistsError:
        if os.name != "nt":
            raise
        os.rmdir(dst)  # refused when something appeared in it
        os.rename(folder, dst)


def settle_old_copies(dst: Path, listing: Listing | None = None) -> list[DeadExport]:
    """Settle the old datasets that dead exports replacing `dst` had moved aside (module doc): the newest put
    back as `dst` when it is missing or an empty folder, the others (all of them when `dst` is a folder with
    something in it) removed; none touched when `dst` is anything else. What was done, as DeadExports.
    `listing`: the parent folder's (`listing_beside`), None reads it."""
    olds = dead_exports(dst, "old", listing)
    done: list[DeadExport] = []
    if not olds:
        return done
    state = _state(dst)
    if state in ("missing", "empty"):
        newest = max(olds, key=_moved_at)  # the last moved aside
        size = _folder_size(newest)
        try:
            _rename_over_empty(newest, dst)
        except OSError:
            return done  # kept, all of them: the next export settles them
        done.append(DeadExport(newest, size, "restored"))
        olds.remove(newest)
    elif state != "full":
        return done
    for old in olds:
        size = _folder_size(old)
        shutil.rmtree(old, ignore_errors=True)
        if not os.path.lexists(old):
            done.append(DeadExport(old, size, "old"))
    return done
