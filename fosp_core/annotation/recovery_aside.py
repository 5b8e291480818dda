"""Recovery logs set aside: a log that opening could not apply, or not all of it, is kept under a name
no opening reads (``<log>.unapplied``, `set_aside`) until the user discards it (`unapplied_logs`;
``fosp project discard-log``). A log set aside while it stays (a hard link) gets a copy of its own
before it is cut or appended to (`unshare_log`), so the set-aside file keeps the bytes it was set
aside with (`fosp_core.annotation.recovery` for the whole story).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fosp_core.annotation.recovery_records import RECOVERY_SUFFIX, read_log_checked
from fosp_core.io.atomic import write_atomic
from fosp_core.io.long_names import IdsOfStems, fit_name

__all__ = ["UNAPPLIED_SUFFIX", "UnappliedLog", "set_aside", "unapplied_logs", "unshare_log"]

#: what `set_aside` adds to a log's name (then ``-2``, ``-3``, ... when one is kept there already)
UNAPPLIED_SUFFIX = ".unapplied"


def set_aside(log: Path, *, keep: bool = False) -> Path:
    """Rename `log` to ``<name>.unapplied`` (``.unapplied-2``, ...: never over one kept before),
    which no opening applies, so that new records never follow its own; the path it has now.
    `keep`: a hard link under that name instead (no room needed), `log` staying where it is until
    the save of its records removes it; one set aside before that is this very file, or holds all of
    its bytes (`unshare_log` gave the log a copy of its own since), is reused (an opening whose save
    failed, then another); where no link can be made, renamed all the same."""
    for n in range(1, 1000):
        aside = log.with_name(_aside_name(log.name, UNAPPLIED_SUFFIX + ("" if n == 1 else f"-{n}")))
        if keep and aside.exists():
            if _holds(aside, log):
                return aside
            continue
        if not aside.exists():
            if keep:
                with contextlib.suppress(OSError):
                    os.link(log, aside)
                    return aside
            try:
                log.rename(aside)
            except OSError:
                return log
            return aside
    return log


def _aside_name(name: str, tail: str) -> str:
    """``<name><tail>``, or its short form (`fit_name`, the ``.png.recovery`` kept) when that is
    longer than a file name may be."""
    marker = ".png" + RECOVERY_SUFFIX
    stem, kept = (name[:-len(marker)], marker) if name.endswith(marker) else (name, "")
    return fit_name(stem, kept + tail)  # a log's stem in short form keeps its digest: it maps back to its image


def _holds(aside: Path, log: Path) -> bool:
    """Whether `aside` is `log` (one inode) or begins with all of `log`'s bytes."""
    try:
        return os.path.samefile(aside, log) or aside.read_bytes().startswith(log.read_bytes())
    except OSError:
        return False


def unshare_log(log: Path) -> bool:
    """Before a write or a cut of the live log `log`: when it shares its inode with a copy set
    aside (`set_aside(keep=True)`, a hard link), give it one of its own - its bytes, up to a torn
    last line (`LogReading.torn_at`), written to a temporary file, fsynced and renamed over `log` -
    so that the set-aside file keeps the bytes it was set aside with. Whether a copy was made
    (False: `log` is its only name, or missing). Raises OSError (disk full: no room for the copy),
    `log` and the set-aside file then as they were."""
    try:
        if os.stat(log).st_nlink <= 1:
            return False
        data = log.read_bytes()
    except FileNotFoundError:
        return False
    torn_at = read_log_checked(log).torn_at
    write_atomic(log, data if torn_at is None else data[:torn_at])
    return True


@dataclass(frozen=True)
class UnappliedLog:
    """A recovery log set aside (`set_aside`): image `image_id`'s, kept at `path`. No opening reads
    it again; it stays until the user discards it (``fosp project discard-log``), never silently."""

    image_id: str
    path: Path


def unapplied_logs(masks: Path, ids: Iterable[str] = ()) -> list[UnappliedLog]:
    """The logs set aside in the mask folder `masks` (``<id>.png.recovery.unapplied[-N]``), by
    path; [] when there is none or the folder cannot be listed. `ids`: the project's image ids, which
    name the image of a log in short form (``<id cut>~<digest>.png.recovery.unapplied``; without
    them, or for an id not among them, the short stem stands for the id)."""
    stems = IdsOfStems(lambda: ids)
    marker = f".png{RECOVERY_SUFFIX}{UNAPPLIED_SUFFIX}"
    try:
        paths = sorted(masks.glob(f"*{marker}*"))
    except OSError:
        return []
    found = []
    for path in paths:
        image_id, _, rest = path.name.rpartition(marker)
        if image_id and (rest == "" or (rest[:1] == "-" and rest[1:].isdigit())):
            found.append(UnappliedLog(stems.id_of(image_id), path))
    return found
